import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sha256, sha256File } from './sha256';

describe('sha256', () => {
  it('is the SHA-256 of bytes, text and files (known digests)', async () => {
    expect(sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sha-'));
    try {
      await writeFile(path.join(dir, 'f'), 'abc');
      expect(await sha256File(path.join(dir, 'f'))).toBe(sha256('abc'));
    } finally {
      await rm(dir, { recursive: true });
    }
  });
});
