/** The models CLI as a function: arguments in, exit code out (tests call it directly). */
import { recordsTable, runCli, UsageError, type CliDeclaration } from '@purchase/cli';
import { diffBundles, listBundles, promoteBundle, pruneBundles, rollbackBundle, showBundle, type RegistryEntry } from '@purchase/inference';

/** The models CLI: the registry's commands over a models directory. */
export const MODELS_CLI = {
  name: 'models',
  command: 'npm run models --',
  description:
    'Operates the models directory as a registry: the bundles in it, the one that is current (what the API serves), ' +
    'and the history of every switch of current (history.json), from which rollback finds the previous one.',
  commands: {
    list: { meaning: 'every bundle, oldest first: version, created, data, selected model, test metrics; * current, < previous; broken ones with why' },
    show: { args: ['VERSION'], meaning: "one bundle's manifest, verified (JSON on stdout)" },
    promote: { args: ['VERSION'], meaning: 'makes VERSION current (verified first), atomically; recorded in the history' },
    rollback: { meaning: 'makes the previous current current again (rolling back twice steps back twice)' },
    prune: { meaning: 'removes all but the --keep newest bundles, never the current one nor the previous one' },
    diff: { args: ['A', 'B'], meaning: 'two bundles side by side: model, threshold, data, every test metric and its change' },
  },
  options: {
    models: { type: 'string', value: 'DIR', default: 'models', meaning: 'the models directory' },
    keep: { type: 'string', value: 'N', default: '5', meaning: 'prune: how many of the newest bundles to keep' },
    'dry-run': { type: 'boolean', meaning: 'prune: say what would be removed, remove nothing' },
  },
} as const satisfies CliDeclaration;

export function modelsCli(argv: string[]): Promise<number> {
  return runCli(MODELS_CLI, argv, async ({ values, positionals }) => {
    const [command, ...args] = positionals;
    const dir = values.models;
    switch (command) {
      case 'list':
        return printList(await listBundles(dir));
      case 'show':
        console.log(JSON.stringify(await showBundle(dir, args[0]), null, 2));
        return;
      case 'promote': {
        const { version, previous } = await promoteBundle(dir, args[0]);
        console.error(`current: ${version} (was ${previous ?? 'none'})`);
        return;
      }
      case 'rollback': {
        const { version, previous } = await rollbackBundle(dir);
        console.error(`current: ${version} (rolled back from ${previous ?? 'none'})`);
        return;
      }
      case 'prune': {
        const keep = /^\d+$/.test(values.keep) ? Number(values.keep) : NaN;
        if (!Number.isInteger(keep)) throw new UsageError(`--keep must be an integer >= 0, got "${values.keep}"`);
        const { removed, kept } = await pruneBundles(dir, keep, { dryRun: values['dry-run'] });
        const verb = values['dry-run'] ? 'would remove' : 'removed';
        console.error(`${verb} ${removed.length} bundle${removed.length === 1 ? '' : 's'}${removed.length > 0 ? `: ${removed.join(', ')}` : ''}; kept ${kept.join(', ') || 'none'}`);
        return;
      }
      case 'diff':
        console.log(
          recordsTable((await diffBundles(dir, args[0], args[1])).map((r) => ({ field: r.field, [args[0]]: show(r.a), [args[1]]: show(r.b), change: r.change === null ? '' : signed(r.change) }))),
        );
        return;
    }
  });
}

function printList(bundles: RegistryEntry[]): void {
  if (bundles.length === 0) {
    console.error('no bundles (npm run train publishes one)');
    return;
  }
  console.log(recordsTable(
    bundles.map((b) => {
      const m = b.manifest;
      return {
        '': b.current ? '*' : b.previous ? '<' : '',
        version: b.version,
        created: m ? m.createdAt.replace('T', ' ').slice(0, 19) : '',
        data: m ? `${m.data.file} (${m.data.rows})` : '',
        model: m ? `${m.model.candidate} @ ${m.model.threshold.toFixed(3)}` : '',
        'test roc_auc': show(m?.model.metrics.roc_auc),
        'test f1': show(m?.model.metrics.f1),
        status: b.ok ? 'ok' : `refused: ${b.problems[0]}${b.problems.length > 1 ? ` (+${b.problems.length - 1})` : ''}`,
      };
    }),
  ));
  console.log('\n* current, < previous (what rollback returns to)');
}

function show(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4)) : v;
}

function signed(x: number): string {
  return `${x > 0 ? '+' : ''}${Number.isInteger(x) ? x : x.toFixed(4)}`;
}
