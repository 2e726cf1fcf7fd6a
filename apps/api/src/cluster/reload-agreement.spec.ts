import { agreeOnReload, type Participant } from './reload-agreement';

/** A participant that records what it was asked, preparing as told. */
function participant(id: number, prepare: (dir: string) => Promise<string>): Participant & { log: string[] } {
  const log: string[] = [];
  return {
    id,
    log,
    prepare: (dir) => {
      log.push(`prepare ${dir}`);
      return prepare(dir);
    },
    commit: async () => {
      log.push('commit');
      return { version: 'v2', previous_version: 'v1' };
    },
    abort: () => {
      log.push('abort');
    },
  };
}

describe('agreeOnReload', () => {
  it('commits on every participant once all have prepared the same bundle', async () => {
    const all = [1, 2, 3].map((id) => participant(id, async () => 'v2'));
    await expect(agreeOnReload(all, '/models/v2')).resolves.toEqual({ outcome: { version: 'v2', previous_version: 'v1' }, committed: 3 });
    for (const p of all) expect(p.log).toEqual(['prepare /models/v2', 'commit']);
  });

  it('aborts everywhere when one refuses, and commits nowhere', async () => {
    const all = [
      participant(1, async () => 'v2'),
      participant(2, async () => {
        throw new Error('pipeline.json does not match its SHA-256 in manifest.json');
      }),
      participant(3, () => new Promise((resolve) => setTimeout(() => resolve('v2'), 20))),
    ];
    await expect(agreeOnReload(all, '/models/v2')).resolves.toEqual({ refused: 'worker 2: pipeline.json does not match its SHA-256 in manifest.json' });
    for (const p of all) expect(p.log).toEqual(['prepare /models/v2', 'abort']);
  });

  it('refuses with no participant, and names no worker when there is one', async () => {
    await expect(agreeOnReload([], '/models/v2')).resolves.toEqual({ refused: 'no worker is running' });
    const one = participant(1, () => Promise.reject(new Error('gone')));
    await expect(agreeOnReload([one], '/models/v2')).resolves.toEqual({ refused: 'gone' });
  });
});
