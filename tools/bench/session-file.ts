import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { sessionChunks } from '../generate-data/sessions';

/** Writes `rows` generated sessions (seeded) as a CSV file, streamed: the benches' input files. */
export async function writeSessions(file: string, rows: number, seed: number): Promise<void> {
  const out = createWriteStream(file);
  for (const chunk of sessionChunks({ rows, seed })) if (!out.write(chunk)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}
