import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { FeaturePipeline } from '@purchase/features';
import { loadSpec, readCsvRecords, readDataset, RowCoercer, stratifiedSplit, type RawRecord } from '@purchase/preprocessing';
import { sessionChunks } from '../generate-data/sessions';
import { printTable, timeMs } from './table';

const ROWS = 1_000_000;

/** Parses generated CSV text (chunks of it) as streaming scoring does: readCsvRecords + RowCoercer. */
async function parseRecords(chunks: readonly string[], coercerFor: (header: string[]) => RowCoercer): Promise<RawRecord[]> {
  let coercer: RowCoercer | undefined;
  const records: RawRecord[] = [];
  for await (const batch of readCsvRecords(chunks)) {
    if (batch.syntaxError) throw new Error(`line ${batch.syntaxError.line}: ${batch.syntaxError.message}`);
    for (let i = 0; i < batch.records.length; i++) {
      const cells = batch.records[i];
      if (coercer === undefined) coercer = coercerFor(cells);
      else if (cells.length > 1 || cells[0] !== '') {
        const row = coercer.coerce(cells);
        if (!row.ok) throw new Error(`line ${batch.lines[i]}: ${row.errors[0].message}`);
        records.push(row.record);
      }
    }
  }
  return records;
}

/**
 * Feature transform throughput on 1M generated records (target >= 1M rows/s on one core), beside two
 * floors run in the same process: a loop copying the same number of floats, and a loop that only
 * reads the same fields of the same records. Then the training-side reads (readDataset) for scale.
 */
export async function run(): Promise<void> {
  const spec = await loadSpec('data/specs/customer-sessions.json');
  const chunks = Array.from(sessionChunks({ rows: ROWS, seed: 7 }));

  let t = performance.now();
  const records = await parseRecords(chunks, (header) => RowCoercer.forHeader(spec, header, 'generated'));
  const parseSeconds = (performance.now() - t) / 1000;

  t = performance.now();
  const pipeline = FeaturePipeline.fit(spec, records);
  const fitSeconds = (performance.now() - t) / 1000;
  const floats = ROWS * pipeline.width;

  const src = new Float32Array(floats).fill(0.5);
  const dst = new Float32Array(floats);
  const copy = (await timeMs(() => {
    for (let i = 0; i < floats; i++) dst[i] = src[i];
  })) / 1000;

  const names = spec.columns.map((c) => c.name);
  let sink = 0;
  const readOnly = (await timeMs(() => {
    for (let r = 0; r < records.length; r++) {
      const record = records[r];
      for (let k = 0; k < names.length; k++) if (record[names[k]] != null) sink++;
    }
  })) / 1000;
  if (sink < 0) throw new Error('unreachable');

  const batch = (await timeMs(() => pipeline.transform(records))) / 1000;
  const chunk = 1024;
  const buffer = new Float32Array(chunk * pipeline.width);
  const chunked = (await timeMs(() => {
    for (let start = 0; start < records.length; start += chunk) pipeline.transformInto(records.slice(start, start + chunk), buffer);
  })) / 1000;
  const singles = 200_000;
  const single = (await timeMs(() => {
    for (let r = 0; r < singles; r++) pipeline.transformOne(records[r]);
  })) / 1000;

  const row = (step: string, rows: number, seconds: number, floor: number) => ({
    step,
    rows,
    seconds,
    'rows/s': rows / seconds,
    'x floor time': seconds / floor,
  });
  console.log(`${pipeline.width} model columns: ${pipeline.columnNames.join(', ')}\n`);
  printTable([
    row('floor: copy the same floats (Float32Array loop)', ROWS, copy, copy),
    row('floor: read the same record fields only', ROWS, readOnly, copy),
    row('transform, one batch of 1M', ROWS, batch, copy),
    row('transformInto, chunks of 1,024, reused buffer', ROWS, chunked, copy),
    row('transformOne, row by row', singles, single, (copy * singles) / ROWS),
  ]);
  console.log('');
  printTable([
    { step: 'CSV record -> typed record (readCsvRecords + RowCoercer)', rows: records.length, seconds: parseSeconds, 'rows/s': records.length / parseSeconds },
    { step: 'FeaturePipeline.fit on 1M records', rows: records.length, seconds: fitSeconds, 'rows/s': records.length / fitSeconds },
    ...(await trainingReads()),
  ]);
}

/** readDataset (readCsvRecords + validation) on the UCI file and on 100k generated rows, and the UCI fit + transform. */
async function trainingReads(): Promise<Record<string, string | number>[]> {
  const uciSpec = await loadSpec('data/specs/online-shoppers.json');
  const uciFile = 'data/external/online_shoppers_intention.csv';
  const uciRead = (await timeMs(() => readDataset(uciFile, uciSpec), 3)) / 1000;
  const uci = await readDataset(uciFile, uciSpec);
  const train = Array.from(stratifiedSplit(uci.labels).train, (i) => uci.records[i]);
  const uciPipeline = FeaturePipeline.fit(uciSpec, train);
  const uciTransform = (await timeMs(() => uciPipeline.transform(uci.records))) / 1000;

  const dir = mkdtempSync(path.join(tmpdir(), 'features-bench-'));
  const file = path.join(dir, 'sessions-100k.csv');
  let text = '';
  for (const chunk of sessionChunks({ rows: 100_000, seed: 7 })) text += chunk;
  writeFileSync(file, text);
  const sessionsSpec = await loadSpec('data/specs/customer-sessions.json');
  const t = performance.now();
  await readDataset(file, sessionsSpec);
  const readGenerated = (performance.now() - t) / 1000;
  rmSync(dir, { recursive: true, force: true });

  const n = uci.records.length;
  return [
    { step: 'readDataset UCI file (readCsvRecords + validation)', rows: n, seconds: uciRead, 'rows/s': n / uciRead },
    { step: 'readDataset 100k generated rows', rows: 100_000, seconds: readGenerated, 'rows/s': 100_000 / readGenerated },
    { step: `UCI transform (${uciPipeline.width} columns)`, rows: n, seconds: uciTransform, 'rows/s': n / uciTransform },
  ];
}
