import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tempName } from '@purchase/core';
import { readCsvRecords, RowCoercer, type RawRecord } from '@purchase/preprocessing';
import { LOYALTY_VISITS, publishDatasetBundle, publishSessionsBundle, SESSIONS_CSV, type SessionsBundle } from '../test-fixtures/sessions-bundle';
import { PurchasePredictor } from './purchase-predictor';
import { scoreCsvFile, type ScoreProgress } from './score-csv-file';

let root: string;
let fixture: SessionsBundle;
let predictor: PurchasePredictor;
let sessionLines: string[];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'score-csv-spec-'));
  fixture = await publishSessionsBundle(path.join(root, 'models'), { version: 'v1', threshold: 0.4 });
  predictor = await PurchasePredictor.load(fixture.published.dir);
  sessionLines = (await readFile(SESSIONS_CSV, 'utf8')).split('\n').filter((l) => l !== '');
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(root, 'run-'));
});

/** Parses the scorer's output (no quoted fields in it for these inputs). */
async function readCsv(file: string): Promise<string[][]> {
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.split(','));
}

describe('scoreCsvFile', () => {
  it('scores the training file exactly as PurchasePredictor does, in file order', async () => {
    const output = path.join(dir, 'scored.csv');
    const result = await scoreCsvFile(predictor, SESSIONS_CSV, output);
    const rows = await readCsv(output);
    expect(rows[0]).toEqual(['customer_id', 'purchase_probability', 'purchase_prediction', 'prediction_confidence']);
    const expected = predictor.predictMany(fixture.records);
    expect(rows.slice(1)).toEqual(
      expected.map((p, i) => [fixture.ids[i], String(p.purchase_probability), String(p.purchase_prediction), p.prediction_confidence]),
    );
    // The text written parses back to the very float32 probability.
    expect(rows.slice(1).map((r) => Number(r[1]))).toEqual(expected.map((p) => p.purchase_probability));
    expect(result).toEqual({
      outputPath: output,
      errorsPath: undefined,
      rows: sessionLines.length - 1,
      scored: fixture.records.length,
      rejected: sessionLines.length - 1 - fixture.records.length,
      blankLines: 0,
      removedTemps: [],
    });
    // Nothing rejected: no errors file.
    expect(existsSync(path.join(dir, 'scored.errors.csv'))).toBe(false);
  });

  it('first removes the temps a killed run left for the same files, keeps a live one, and says which', async () => {
    const output = path.join(dir, 'scored.csv');
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const leftOutput = tempName(output, { pid: dead });
    const leftErrors = tempName(path.join(dir, 'scored.errors.csv'), { pid: dead });
    const live = tempName(output);
    const otherFile = tempName(path.join(dir, 'other.csv'), { pid: dead });
    await writeFile(leftOutput, 'x'.repeat(300));
    await writeFile(leftErrors, 'line,id\n');
    await writeFile(live, 'being written');
    await writeFile(otherFile, 'not ours');
    const result = await scoreCsvFile(predictor, SESSIONS_CSV, output);
    expect(result.removedTemps).toEqual([
      { path: leftOutput, bytes: 300, directory: false },
      { path: leftErrors, bytes: 8, directory: false },
    ]);
    expect((await readdir(dir)).sort()).toEqual(
      ['scored.csv', path.basename(live), path.basename(otherFile)].sort(),
    );
  });

  it('writes each problem of a rejected row to the errors file with its line number, and scores the rest', async () => {
    const [header, first, second, third] = sessionLines;
    const input = path.join(dir, 'mixed.csv');
    await writeFile(
      input,
      [
        header,
        first, // line 2
        '901,12.5,4,20.0,Phone,New,', // line 3: unknown category (the target may be empty when scoring)
        '', // line 4: blank
        second, // line 5
        '902,abc,4.5,1,Mobile,New,1', // line 6: two problems
        '903,1,2,3', // line 7: too few fields
        '"904,1,2', // line 8: a quote left open rejects this line alone...
        third, // line 9: ...and this one is scored
      ].join('\n') + '\n',
    );
    const output = path.join(dir, 'out.csv');
    const errorsPath = path.join(dir, 'rejected.csv');
    const result = await scoreCsvFile(predictor, input, output, { errorsPath });
    expect(result).toMatchObject({ rows: 7, scored: 3, rejected: 4, blankLines: 1, errorsPath });
    expect(await readFile(errorsPath, 'utf8')).toBe(
      [
        'line,id,column,rule,reason',
        '3,901,device_type,category,"device_type: ""Phone"" is not one of ""Mobile"", ""Desktop"", ""Tablet"", ""Unknown"""',
        '6,902,time_spent,type,"time_spent: expected a number, got ""abc"""',
        '6,902,pages_viewed,integer,"pages_viewed: expected an integer, got ""4.5"""',
        '7,903,,field_count,"has 4 fields, the header has 7"',
        '8,,,csv_syntax,not valid CSV: unterminated quoted field starting at character 1',
        '',
      ].join('\n'),
    );
    const scored = await readCsv(output);
    expect(scored.map((r) => r[0])).toEqual(['customer_id', ...[first, second, third].map((l) => l.split(',')[0])]);
  });

  it('reads CRLF line ends, a byte-order mark and quoted fields, a record by the line it starts on', async () => {
    const [header, first] = sessionLines;
    const cells = first.split(',');
    const quoted = cells.map((c, i) => (i === 4 ? `"${c}"` : c)).join(',');
    const input = path.join(dir, 'windows.csv');
    // Lines: 1 header, 2 a row, 3 the same row quoted, 4-5 one record over two lines (its id holds a line break), 6 a bad value.
    await writeFile(input, `\uFEFF${header}\r\n${first}\r\n${quoted}\r\n"7\r\n7",1,2,3,Mobile,New,0\r\n999,-1,2,3,Mobile,New,0\r\n`);
    const output = path.join(dir, 'out.csv');
    const result = await scoreCsvFile(predictor, input, output);
    expect(result).toMatchObject({ rows: 4, scored: 2, rejected: 2 });
    const rows = await readCsv(output);
    expect(rows[0]).toEqual(['customer_id', 'purchase_probability', 'purchase_prediction', 'prediction_confidence']);
    expect(rows[2]).toEqual(rows[1]);
    expect(await readFile(result.errorsPath as string, 'utf8')).toBe(
      [
        'line,id,column,rule,reason',
        `4,"7\r\n7",customer_id,id,"customer_id: id must be an integer, got ""7\\r\\n7"""`,
        '6,999,time_spent,range,time_spent: -1 is below the minimum 0',
        '',
      ].join('\n'),
    );
  });

  it('scores a record whose quoted field holds a line break once, at its first line: the line inside is no row', async () => {
    const [header, first, second] = sessionLines;
    const input = path.join(dir, 'notes.csv');
    // An extra column the spec ignores holds a note over lines 3-4; its second line looks like a row of its own.
    await writeFile(input, [`${header},note`, `${first},plain`, `${second},"says ""hi"", then`, `${first}"`, `${first},"a, b"`, ''].join('\n'));
    const output = path.join(dir, 'out.csv');
    const result = await scoreCsvFile(predictor, input, output);
    expect(result).toMatchObject({ rows: 3, scored: 3, rejected: 0, errorsPath: undefined });
    await scoreCsvFile(predictor, SESSIONS_CSV, path.join(dir, 'all.csv'));
    const all = await readCsv(path.join(dir, 'all.csv'));
    expect(await readCsv(output)).toEqual([all[0], all[1], all[2], all[1]]);
  });

  it('reports malformed quoting with the line the record starts on, and reads on from the next line', async () => {
    const [header, first, second, third] = sessionLines;
    const input = path.join(dir, 'broken.csv');
    const bad = `${first.slice(0, first.indexOf(','))},"12"x,1,2,Mobile,New,0`;
    await writeFile(input, [header, first, bad, second, `"${third}`, third, ''].join('\n'));
    const output = path.join(dir, 'out.csv');
    const errorsPath = path.join(dir, 'rejected.csv');
    const result = await scoreCsvFile(predictor, input, output, { errorsPath });
    expect(result).toMatchObject({ rows: 5, scored: 3, rejected: 2 });
    expect(await readFile(errorsPath, 'utf8')).toBe(
      [
        'line,id,column,rule,reason',
        `3,,,csv_syntax,"not valid CSV: a quoted field must be followed by "","" or the end of the line, found ""x"" at character ${bad.indexOf('x') + 1}"`,
        '5,,,csv_syntax,not valid CSV: unterminated quoted field starting at character 1',
        '',
      ].join('\n'),
    );
    expect((await readCsv(output)).slice(1).map((r) => r[0])).toEqual([first, second, third].map((l) => l.split(',')[0]));
  });

  it('reads the dialect of the bundle spec, and a delimiter given in the options over it', async () => {
    const [header, first, second] = sessionLines;
    const semicolons = path.join(dir, 'semicolons.csv');
    await writeFile(semicolons, [header, first, second].map((l) => l.replace(/,/g, ';')).join('\n') + '\n');
    const expected = await scoreCsvFile(predictor, SESSIONS_CSV, path.join(dir, 'all.csv'));
    expect(expected.scored).toBeGreaterThan(2);
    const viaOption = await scoreCsvFile(predictor, semicolons, path.join(dir, 'option.csv'), { delimiter: ';' });
    expect(viaOption).toMatchObject({ rows: 2, scored: 2, rejected: 0 });
    const all = await readCsv(path.join(dir, 'all.csv'));
    expect(await readCsv(path.join(dir, 'option.csv'))).toEqual(all.slice(0, 3));

    // A spec declaring `;` and `'`: a quoted category in that dialect.
    const spec = { ...predictor.spec, csv: { delimiter: ';', quote: "'" } };
    const withDialect = Object.create(predictor, { spec: { value: spec } }) as PurchasePredictor;
    const cells = second.split(',');
    cells[4] = `'${cells[4]}'`;
    await writeFile(semicolons, [header, first, cells.join(',')].map((l) => l.replace(/,/g, ';')).join('\n'));
    expect(await scoreCsvFile(withDialect, semicolons, path.join(dir, 'spec.csv'))).toMatchObject({ rows: 2, scored: 2, rejected: 0 });
    expect(await readCsv(path.join(dir, 'spec.csv'))).toEqual(all.slice(0, 3));
    await expect(scoreCsvFile(predictor, semicolons, path.join(dir, 'x.csv'), { delimiter: '\n' })).rejects.toThrow('the delimiter must not be a line break');
  });

  it('identifies rows by line number when the file has no id column', async () => {
    const input = path.join(dir, 'no-id.csv');
    const lines = sessionLines.slice(0, 4).map((l) => l.slice(l.indexOf(',') + 1));
    await writeFile(input, lines.join('\n'));
    const output = path.join(dir, 'out.csv');
    await scoreCsvFile(predictor, input, output);
    const rows = await readCsv(output);
    expect(rows.map((r) => r[0])).toEqual(['line', '2', '3', '4']);
  });

  it('refuses a file without the required columns, and writes nothing', async () => {
    const input = path.join(dir, 'bad-header.csv');
    await writeFile(input, 'customer_id,time_spent,pages\n1,2,3\n');
    await expect(scoreCsvFile(predictor, input, path.join(dir, 'out.csv'))).rejects.toThrow(
      `${input} lacks the required columns "pages_viewed", "basket_value", "device_type", "customer_type" of spec "customer-sessions" (its header has "customer_id", "time_spent", "pages")`,
    );
    const broken = path.join(dir, 'broken-header.csv');
    await writeFile(broken, '"customer_id,time_spent\n1,2\n');
    await expect(scoreCsvFile(predictor, broken, path.join(dir, 'out.csv'))).rejects.toThrow(
      `${broken}: the header line is not valid CSV: unterminated quoted field starting at character 1`,
    );
    expect((await readdir(dir)).sort()).toEqual(['bad-header.csv', 'broken-header.csv']);
  });

  it('says which input is missing or empty', async () => {
    const missing = path.join(dir, 'nope.csv');
    await expect(scoreCsvFile(predictor, missing, path.join(dir, 'out.csv'))).rejects.toThrow(`input file ${missing} does not exist`);
    const empty = path.join(dir, 'empty.csv');
    await writeFile(empty, '');
    await expect(scoreCsvFile(predictor, empty, path.join(dir, 'out.csv'))).rejects.toThrow(
      `${empty} is empty: expected a CSV header line naming the columns`,
    );
    await expect(scoreCsvFile(predictor, empty, empty)).rejects.toThrow(`${empty} is the input file: refusing to overwrite it`);
    expect((await readdir(dir)).sort()).toEqual(['empty.csv']);
  });

  it('leaves no output behind when scoring fails midway', async () => {
    const input = path.join(dir, 'big.csv');
    await writeFile(input, [sessionLines[0], ...Array.from({ length: 30 }, () => sessionLines.slice(1)).flat()].join('\n'));
    let calls = 0;
    const failing = Object.create(predictor) as PurchasePredictor;
    failing.predictChecked = (records) => {
      if (++calls === 2) throw new Error('model crashed');
      return predictor.predictChecked(records);
    };
    await expect(scoreCsvFile(failing, input, path.join(dir, 'out.csv'), { batchSize: 1000 })).rejects.toThrow('model crashed');
    expect(await readdir(dir)).toEqual(['big.csv']);
  });

  it('streams a large file in batches, never holding more rows than one batch', async () => {
    const body = sessionLines.slice(1);
    const rows = 25_000;
    const input = path.join(dir, 'large.csv');
    const lines = [sessionLines[0]];
    for (let i = 0; i < rows; i++) {
      const line = body[i % body.length];
      lines.push(`${i + 1}${line.slice(line.indexOf(','))}`);
    }
    await writeFile(input, lines.join('\n') + '\n');

    const batchLengths: number[] = [];
    const spy = Object.create(predictor) as PurchasePredictor;
    spy.predictChecked = (records) => {
      batchLengths.push(records.length);
      return predictor.predictChecked(records);
    };
    const progress: ScoreProgress[] = [];
    const output = path.join(dir, 'large.out.csv');
    const result = await scoreCsvFile(spy, input, output, { batchSize: 4096, onProgress: (p) => progress.push({ ...p }) });

    expect(result.rows).toBe(rows);
    expect(result.scored).toBe(countValid(lines.slice(1)));
    expect(result.scored + result.rejected).toBe(rows);
    expect(Math.max(...batchLengths)).toBe(4096);
    expect(batchLengths.slice(0, -1).every((n) => n === 4096)).toBe(true);
    expect(batchLengths.reduce((a, b) => a + b, 0)).toBe(result.scored);

    const out = (await readFile(output, 'utf8')).split('\n').filter((l) => l !== '');
    expect(out).toHaveLength(result.scored + 1);
    expect(out[out.length - 1].startsWith(`${rows},`) || result.rejected > 0).toBe(true);

    const bytes = progress.map((p) => p.bytesRead);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(progress[progress.length - 1]).toEqual({
      bytesRead: progress[0].totalBytes,
      totalBytes: progress[0].totalBytes,
      rowsScored: result.scored,
      rowsRejected: result.rejected,
    });
  });
});

describe('scoreCsvFile on the loyalty-visits fixture: a third schema, semicolons, string ids, records over two lines', () => {
  let loyalty: PurchasePredictor;
  let text: string;
  /** The physical line (header = 1) on which the record of `id` starts, counted in the raw text. */
  const lineOf = (id: string): number => text.slice(0, text.indexOf(`"${id}";`)).split('\n').length;
  const visit = (n: number): string => `V-${900000 + n}`;

  beforeAll(async () => {
    const bundle = await publishDatasetBundle(path.join(root, 'models-loyalty'), LOYALTY_VISITS, { version: 'loyalty-1', select: 'lr' });
    loyalty = await PurchasePredictor.load(bundle.published.dir);
    text = await readFile(LOYALTY_VISITS.scoreMe, 'utf8');
  });
  afterAll(() => loyalty?.dispose());

  /** The records of score-me.csv that the spec accepts, with their ids, read as a client would parse the file. */
  async function validRecords(): Promise<{ ids: string[]; records: RawRecord[] }> {
    const ids: string[] = [];
    const records: RawRecord[] = [];
    let coercer: RowCoercer | undefined;
    for await (const batch of readCsvRecords([text], { dialect: { delimiter: ';', quote: '"' } })) {
      for (const cells of batch.records) {
        if (coercer === undefined) coercer = RowCoercer.forHeader(loyalty.spec, cells, LOYALTY_VISITS.scoreMe, { target: 'ignore' });
        else {
          const row = coercer.coerce(cells);
          if (row.ok) {
            ids.push(row.id as string);
            records.push(row.record);
          }
        }
      }
    }
    return { ids, records };
  }

  it('scores 47 of the 50 records and reports the 3 bad ones by the physical line they start on, with the reason', async () => {
    const output = path.join(dir, 'visits.scored.csv');
    const result = await scoreCsvFile(loyalty, LOYALTY_VISITS.scoreMe, output);
    // 50 records on 52 lines: the header, and visit 10's store "Click &\ncollect" takes two.
    expect(text.match(/\r\n/g)).toHaveLength(51);
    expect(text.match(/\n/g)).toHaveLength(52);
    expect(result).toMatchObject({ rows: 50, scored: 47, rejected: 3, blankLines: 0, errorsPath: path.join(dir, 'visits.scored.errors.csv') });
    // Rows 21, 34 and 45 of the file start on lines 23, 36 and 47: one line later than without the record over two lines.
    expect([21, 34, 45].map((n) => lineOf(visit(n)))).toEqual([23, 36, 47]);
    expect(await readFile(result.errorsPath as string, 'utf8')).toBe(
      [
        'line,id,column,rule,reason',
        '23,V-900021,visit_minutes,range,visit_minutes: 999.5 is above the maximum 240',
        '36,V-900034,store_format,category,"store_format: ""Drive-through"" is not one of ""Hypermarket"", ""City store"", ""Express"", ""Click &\\ncollect"", ""Unknown"""',
        '47,V-900045,aisles_visited,missing,"aisles_visited: is missing and its missing-value rule is ""reject"""',
        '',
      ].join('\n'),
    );
  });

  it('echoes the string ids in file order, scores the record over two lines once, and as PurchasePredictor does', async () => {
    const output = path.join(dir, 'visits.scored.csv');
    await scoreCsvFile(loyalty, LOYALTY_VISITS.scoreMe, output);
    const rows = await readCsv(output);
    expect(rows[0]).toEqual(['visit_id', 'purchase_probability', 'purchase_prediction', 'prediction_confidence']);
    const expectedIds = Array.from({ length: 50 }, (_, i) => visit(i + 1)).filter((id) => !['V-900021', 'V-900034', 'V-900045'].includes(id));
    expect(rows.slice(1).map((r) => r[0])).toEqual(expectedIds);

    const { ids, records } = await validRecords();
    expect(ids).toEqual(expectedIds);
    const expected = loyalty.predictMany(records);
    expect(rows.slice(1)).toEqual(expected.map((p, i) => [ids[i], String(p.purchase_probability), String(p.purchase_prediction), p.prediction_confidence]));

    // Visit 10 starts on line 11 and ends on line 12; it is one row, read with its store "Click &\ncollect", which the model tells from Unknown.
    expect(lineOf(visit(10))).toBe(11);
    const multiline = records[ids.indexOf(visit(10))];
    expect(multiline.store_format).toBe('Click &\ncollect');
    expect(rows.filter((r) => r[0] === visit(10))).toHaveLength(1);
    expect(loyalty.predictOne({ ...multiline, store_format: 'Unknown' }).purchase_probability).not.toBe(expected[ids.indexOf(visit(10))].purchase_probability);
  });
});

/** How many of these lines the scorer accepts: those whose cells after the id are a valid record's. */
function countValid(lines: string[]): number {
  const valid = new Set(fixture.ids);
  const validBodies = new Set(sessionLines.slice(1).filter((l) => valid.has(l.slice(0, l.indexOf(',')))).map((l) => l.slice(l.indexOf(','))));
  return lines.filter((l) => validBodies.has(l.slice(l.indexOf(',')))).length;
}
