import { createReadStream } from 'node:fs';
import { open, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { isObject, writeFileAtomic, writeViaTemp } from '@purchase/core';
import { readCsvRecords } from '@purchase/preprocessing';
import { csvField, defaultErrorsPath, writeText } from './csv-output';
import type { ScoreCsvResult } from './score-csv-file';

export const PART_FORMAT = 'purchase-scored-part';
export const PART_FORMAT_VERSION = 1;

/** The file of shard `index` for a whole file `file`: `<file>.part-<index>`. */
export function partPath(file: string, index: number): string {
  return `${file}.part-${index}`;
}

/** What a scored shard records beside its output (`<part>.json`), for the merge. */
interface PartManifest {
  format: typeof PART_FORMAT;
  formatVersion: typeof PART_FORMAT_VERSION;
  input: string;
  inputBytes: number;
  index: number;
  count: number;
  startByte: number;
  endByte: number;
  headerEnd: number;
  headerLines: number;
  /** Line feeds in [startByte, endByte): the lines of the input this shard holds. */
  lines: number;
  rows: number;
  scored: number;
  rejected: number;
  blankLines: number;
  /** The errors file of this shard, beside the output, when it rejected a row. */
  errors: string | null;
}

/** Written by scoreCsvFile after a shard is scored. */
export async function writeShardManifest(outputPath: string, inputPath: string, errorsPath: string, result: ScoreCsvResult): Promise<void> {
  const shard = result.shard;
  if (!shard) throw new Error('writeShardManifest: not a sharded result');
  const manifest: PartManifest = {
    format: PART_FORMAT,
    formatVersion: PART_FORMAT_VERSION,
    input: path.resolve(inputPath),
    inputBytes: shard.size,
    index: shard.index,
    count: shard.count,
    startByte: shard.start,
    endByte: shard.end,
    headerEnd: shard.headerEnd,
    headerLines: shard.headerLines,
    lines: shard.lines,
    rows: result.rows,
    scored: result.scored,
    rejected: result.rejected,
    blankLines: result.blankLines,
    errors: result.rejected > 0 ? path.resolve(errorsPath) : null,
  };
  await writeFileAtomic(`${outputPath}.json`, `${JSON.stringify(manifest, null, 2)}\n`);
}

export interface MergeResult {
  outputPath: string;
  /** undefined when no shard rejected a row (no errors file then, and an older one is removed). */
  errorsPath: string | undefined;
  parts: number;
  rows: number;
  scored: number;
  rejected: number;
  blankLines: number;
}

/**
 * Joins the scored shards of one input (`<output>.part-<i>`, their errors files and manifests) into
 * `outputPath` and its errors file, in input order, as one unsharded run writes them: the header
 * once, and lines renumbered from the file's start (each shard numbers them from its own). Refuses
 * parts that do not tile the input exactly (a missing, repeated or foreign shard, or an input that
 * changed in between). The parts are left in place.
 */
export async function mergeScoredParts(outputPath: string, options: { errorsPath?: string; input?: string } = {}): Promise<MergeResult> {
  const errorsPath = options.errorsPath ?? defaultErrorsPath(outputPath);
  const first = await readManifest(partPath(outputPath, 0));
  const manifests: PartManifest[] = [first];
  for (let k = 1; k < first.count; k++) manifests.push(await readManifest(partPath(outputPath, k)));
  checkTiling(manifests, outputPath);
  if (options.input !== undefined && path.resolve(options.input) !== first.input) {
    throw new Error(`the parts of ${outputPath} were scored from ${first.input}, not ${path.resolve(options.input)}`);
  }
  const inputBytes = await stat(first.input).then(
    (s) => s.size,
    () => undefined,
  );
  if (inputBytes !== undefined && inputBytes !== first.inputBytes) {
    throw new Error(`${first.input} has ${inputBytes} bytes, the shards scored ${first.inputBytes}: it changed since; score it again`);
  }

  // Line numbers: shard k's line 1 is the line after the header and the lines of shards 0..k-1.
  const offsets: number[] = [];
  let offset = first.headerLines;
  for (const m of manifests) {
    offsets.push(offset);
    offset += m.lines;
  }
  const totals = { rows: 0, scored: 0, rejected: 0, blankLines: 0 };
  for (const m of manifests) {
    totals.rows += m.rows;
    totals.scored += m.scored;
    totals.rejected += m.rejected;
    totals.blankLines += m.blankLines;
  }
  await writeViaTemp(outputPath, async (tmp) => {
    await writeRecords(tmp, manifests.map((_, k) => partPath(outputPath, k)), (header) => (header[0] === 'line' ? offsets : undefined));
  });
  if (totals.rejected > 0) {
    await writeViaTemp(errorsPath, async (tmp) => {
      const files = manifests.map((m) => m.errors);
      await writeRecords(tmp, files, () => offsets);
    });
  } else {
    await rm(errorsPath, { force: true });
  }
  return { outputPath, errorsPath: totals.rejected > 0 ? errorsPath : undefined, parts: manifests.length, ...totals };
}

async function readManifest(part: string): Promise<PartManifest> {
  const file = `${part}.json`;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file} is missing: that shard was not scored (or not to the end)` : `${file} is not a shard manifest: ${(err as Error).message}`);
  }
  if (!isObject(json) || json.format !== PART_FORMAT || json.formatVersion !== PART_FORMAT_VERSION) {
    throw new Error(`${file} is not a ${PART_FORMAT} manifest of format version ${PART_FORMAT_VERSION}`);
  }
  return json as unknown as PartManifest;
}

function checkTiling(manifests: PartManifest[], outputPath: string): void {
  const [first] = manifests;
  manifests.forEach((m, k) => {
    const where = `${partPath(outputPath, k)}.json`;
    if (m.index !== k || m.count !== first.count) throw new Error(`${where} is shard ${m.index}/${m.count}, expected ${k}/${first.count}`);
    if (m.input !== first.input || m.inputBytes !== first.inputBytes) throw new Error(`${where} scored ${m.input} (${m.inputBytes} bytes), shard 0 scored ${first.input} (${first.inputBytes} bytes)`);
    const expectedStart = k === 0 ? first.headerEnd : manifests[k - 1].endByte;
    if (m.startByte !== expectedStart) throw new Error(`${where} starts at byte ${m.startByte}, where shard ${k - 1} ended at ${expectedStart}: the shards do not tile the input`);
  });
  const last = manifests[manifests.length - 1];
  if (last.endByte !== first.inputBytes) throw new Error(`the last shard ends at byte ${last.endByte} of ${first.inputBytes}: the shards do not cover the input`);
}

/**
 * Writes the records of `files` (null: none) to `target`: the first file's header once, then every
 * data record, its first field (a line number) shifted by the file's offset when `offsetsFor(header)`
 * gives offsets.
 */
async function writeRecords(target: string, files: (string | null)[], offsetsFor: (header: string[]) => number[] | undefined): Promise<void> {
  const out = await open(target, 'w');
  try {
    let headerWritten = false;
    for (const [k, file] of files.entries()) {
      if (file === null) continue;
      let header: string[] | undefined;
      let offsets: number[] | undefined;
      let text = '';
      for await (const batch of readCsvRecords(createReadStream(file))) {
        if (batch.syntaxError) throw new Error(`${file}: line ${batch.syntaxError.line} is not valid CSV: ${batch.syntaxError.message}`);
        for (const cells of batch.records) {
          if (header === undefined) {
            header = cells;
            offsets = offsetsFor(header);
            if (!headerWritten) text += `${cells.map(csvField).join(',')}\n`;
            headerWritten = true;
            continue;
          }
          if (offsets) cells[0] = String(Number(cells[0]) + offsets[k]);
          text += `${cells.map(csvField).join(',')}\n`;
        }
        await writeText(out, text);
        text = '';
      }
    }
    await out.sync();
  } finally {
    await out.close();
  }
}


