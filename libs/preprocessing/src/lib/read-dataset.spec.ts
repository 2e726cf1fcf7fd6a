import { readFileSync } from 'node:fs';
import path from 'node:path';
import { bundledSpec, ROOT } from '../test-fixtures/bundled-specs';
import { tempFile } from '../test-fixtures/temp-files';
import { parseSpec } from './parse-spec';
import { readDataset } from './read-dataset';

const spec = bundledSpec('customer-sessions');
const HEADER = 'customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type,purchase';

// Line numbers on the right; the last line is truncated and has no line end.
const BAD = [
  HEADER, //                                       1
  '1,12.5,6.0,30.00,Mobile,Returning,1', //         2 kept
  '2,abc,6.0,30.00,Mobile,Returning,1', //          3 wrong type
  '3,12.5,6.0,30.00,Phone,Returning,0', //          4 unknown category
  '', //                                            5 blank
  '4,12.5,,,"Desktop",New,0', //                    6 kept, two missing cells
  '1,5,5,5,Tablet,New,1', //                        7 duplicate id
  '5,,7.0,12.00,Tablet,,', //                       8 missing target
  '"6",8.5,"3.0",1.00,Mobile,"New",1', //           9 kept
  '7,9.1,4.0', //                                  10 truncated
].join('\n');

describe('readDataset', () => {
  it('keeps valid rows and lists every rejected one with its line and reasons', async () => {
    const result = await readDataset(tempFile('bad.csv', BAD), spec);
    expect(result.records).toEqual([
      { time_spent: 12.5, pages_viewed: 6, basket_value: 30, device_type: 'Mobile', customer_type: 'Returning' },
      { time_spent: 12.5, pages_viewed: null, basket_value: null, device_type: 'Desktop', customer_type: 'New' },
      { time_spent: 8.5, pages_viewed: 3, basket_value: 1, device_type: 'Mobile', customer_type: 'New' },
    ]);
    expect([...result.labels]).toEqual([1, 0, 1]);
    expect(result.ids).toEqual(['1', '4', '6']);
    expect([...result.lines]).toEqual([2, 6, 9]);
    expect(result.rejected.map(({ line, id, column, reason }) => ({ line, id, column, reason }))).toEqual([
      { line: 3, id: '2', column: 'time_spent', reason: 'time_spent: expected a number, got "abc"' },
      { line: 4, id: '3', column: 'device_type', reason: 'device_type: "Phone" is not one of "Mobile", "Desktop", "Tablet", "Unknown"' },
      { line: 7, id: '1', column: 'customer_id', reason: 'customer_id: duplicate id "1" (first on line 2)' },
      { line: 8, id: '5', column: 'purchase', reason: 'purchase: target is missing' },
      { line: 10, id: '7', column: undefined, reason: 'has 3 fields, the header has 7' },
    ]);
    expect(result.report).toEqual({
      file: expect.stringMatching(/bad\.csv$/),
      spec: 'customer-sessions',
      dataLines: 8,
      kept: 3,
      rejected: 5,
      blankLines: [5],
      positives: 2,
      negatives: 1,
      rejectedByRule: { type: 1, category: 1, duplicate_id: 1, target: 1, field_count: 1 },
      missingByColumn: { time_spent: 0, pages_viewed: 1, basket_value: 1, device_type: 0, customer_type: 0 },
      duplicateRows: 0,
      ignoredColumns: [],
    });
  });

  it('gives the same result for CRLF line ends', async () => {
    const lf = await readDataset(tempFile('lf.csv', BAD), spec);
    const crlf = await readDataset(tempFile('crlf.csv', BAD.replace(/\n/g, '\r\n') + '\r\n'), spec);
    expect(crlf.records).toEqual(lf.records);
    expect(crlf.lines).toEqual(lf.lines);
    expect(crlf.rejected).toEqual(lf.rejected);
  });

  it('counts the lines inside a quoted cell, so later line numbers stay exact', async () => {
    const text = [HEADER, '1,1,1,1,"Mob', 'ile",New,1', '2,1,1,1,Mobile,New,x', '3,1,1,1,Tablet,New,0'].join('\n') + '\n';
    const result = await readDataset(tempFile('quoted.csv', text), spec);
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([
      [2, 'device_type: "Mob\\nile" is not one of "Mobile", "Desktop", "Tablet", "Unknown"'],
      [4, 'purchase: target must be "1" (positive) or "0" (negative), got "x"'],
    ]);
    expect([...result.lines]).toEqual([5]);
  });

  it('reads a record whose quoted cell holds a line break as one row, at the line it starts on', async () => {
    // An extra column (ignored by the spec) holds a note over lines 2-3; line 3 looks like a row of its own.
    const text = [`${HEADER},note`, '1,1,1,1,Mobile,New,1,"see', '2,1,1,1,Mobile,New,0"', '3,1,1,1,Tablet,New,0,"a, ""b"""'].join('\n');
    const result = await readDataset(tempFile('note.csv', text), spec);
    expect([result.ids, [...result.lines], result.rejected]).toEqual([['1', '3'], [2, 4], []]);
    expect(result.report.ignoredColumns).toEqual(['note']);
  });

  it("reads the spec's dialect, and a delimiter given in the options over it", async () => {
    const semicolons = parseSpec({ ...JSON.parse(JSON.stringify(spec)), csv: { delimiter: ';', quote: "'" } }, 'semicolons');
    const text = [HEADER.replace(/,/g, ';'), "1;12.5;6;30;'Mobile';Returning;1", "2;1;1;1;'Tab;let';New;0"].join('\n');
    const result = await readDataset(tempFile('semi.csv', text), semicolons);
    expect([result.ids, [...result.lines]]).toEqual([['1'], [2]]);
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([[3, 'device_type: "Tab;let" is not one of "Mobile", "Desktop", "Tablet", "Unknown"']]);
    const override = await readDataset(tempFile('semi.csv', text.replace(/'/g, '').replace(/;/g, '|')), semicolons, { delimiter: '|' });
    expect([override.ids, override.rejected.map((r) => r.line)]).toEqual([['1'], [3]]);
    await expect(readDataset(tempFile('semi.csv', text), spec)).rejects.toThrow(/is not comma-separated CSV: .*it has semicolons: read it with --delimiter ";"/);
  });

  it('reads the bundled 500 sessions: all kept, the generator\'s missing cells counted per column', async () => {
    const file = path.join(ROOT, 'data/raw/customer_sessions.csv');
    const result = await readDataset(file, spec);
    // The oracle: the file's text split by hand (it has no quotes, so a comma is a cell boundary).
    const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(','));
    const column = (name: string) => header.indexOf(name);
    const positives = rows.filter((r) => r[column('purchase')] === '1').length;
    const missing = Object.fromEntries(
      ['time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type'].map((name) => [name, rows.filter((r) => r[column(name)] === '').length]),
    );
    expect([result.report.kept, result.report.rejected, result.report.positives]).toEqual([500, 0, positives]);
    expect(result.report.missingByColumn).toEqual(missing);
    expect(Object.values(missing).every((n) => n > 0)).toBe(true);
    const cell = (r: number, name: string) => rows[r][column(name)];
    const number = (text: string) => (text === '' ? null : Number(text));
    expect(result.records[1]).toEqual({
      time_spent: number(cell(1, 'time_spent')),
      pages_viewed: number(cell(1, 'pages_viewed')),
      basket_value: number(cell(1, 'basket_value')),
      device_type: cell(1, 'device_type') || null,
      customer_type: cell(1, 'customer_type') || null,
    });
    expect([result.ids[499], result.lines[499]]).toEqual(['500', 501]);
  });

  it('reads the UCI file (CRLF, no id column): line numbers as ids, its 125 exact duplicates counted and kept', async () => {
    const result = await readDataset(path.join(ROOT, 'data/external/online_shoppers_intention.csv'), bundledSpec('online-shoppers'));
    expect([result.report.kept, result.report.rejected, result.report.positives, result.report.duplicateRows]).toEqual([12330, 0, 1908, 125]);
    expect(result.ids.slice(0, 2)).toEqual(['2', '3']);
    expect(result.records[12329]).toEqual({
      Administrative: 0,
      Administrative_Duration: 0,
      Informational: 0,
      Informational_Duration: 0,
      ProductRelated: 3,
      ProductRelated_Duration: 21.25,
      BounceRates: 0,
      ExitRates: 0.066666667,
      PageValues: 0,
      SpecialDay: 0,
      Month: 'Nov',
      OperatingSystems: '3',
      Browser: '2',
      Region: '1',
      TrafficType: '2',
      VisitorType: 'New_Visitor',
      Weekend: 'TRUE',
    });
    expect(result.labels[12329]).toBe(0);
  });

  it('rejects exact duplicate rows when the spec says so', async () => {
    const noId = parseSpec(
      {
        format: 'purchase-dataset-spec',
        formatVersion: 1,
        name: 'no-id',
        idColumn: null,
        duplicateRows: 'reject',
        target: { column: 'y', positive: '1', negative: '0' },
        columns: [{ name: 'x', type: 'number', missing: { rule: 'reject' } }],
      },
      'no-id',
    );
    const result = await readDataset(tempFile('d.csv', 'x,y\n1,0\n2,1\n1,0\n1,1\n'), noId);
    expect(result.ids).toEqual(['2', '3', '5']);
    expect(result.rejected.map((r) => [r.line, r.reason])).toEqual([[4, 'same cells as line 2']]);
    expect(result.report.duplicateRows).toBe(1);
  });

  describe('fails with one clear message when the file cannot be used', () => {
    const read = (name: string, content: string | Uint8Array) => {
      const file = tempFile(name, content);
      return readDataset(file, spec).catch((err: Error) => {
        throw new Error(err.message.replace(file, '<file>'));
      });
    };

    it('absent', async () => {
      await expect(readDataset('/nonexistent/sessions.csv', spec)).rejects.toThrow('/nonexistent/sessions.csv: no such file');
    });
    it('empty, or only blank lines', async () => {
      await expect(read('e.csv', '')).rejects.toThrow(new Error('<file> is empty: expected a CSV header line naming the columns'));
      await expect(read('e.csv', '\n \r\n\n')).rejects.toThrow(new Error('<file> is empty: expected a CSV header line naming the columns'));
    });
    it('a blank first line', async () => {
      await expect(read('f.csv', `\n${HEADER}\n1,1,1,1,Mobile,New,1\n`)).rejects.toThrow(
        new Error('<file>: the first line is blank; expected a CSV header line naming the columns'),
      );
    });
    it('a header and no rows', async () => {
      await expect(read('h.csv', `${HEADER}\n\n`)).rejects.toThrow(new Error('<file> has a header but no data rows'));
    });
    it('a missing column', async () => {
      await expect(read('m.csv', 'customer_id,time_spent,pages_viewed,basket_value,device_type,purchase\n1,1,1,1,Mobile,1\n')).rejects.toThrow(
        new Error(
          '<file> lacks the required column "customer_type" of spec "customer-sessions" (its header has "customer_id", "time_spent", ' +
            '"pages_viewed", "basket_value", "device_type", "purchase")',
        ),
      );
    });
    it('not CSV: binary, JSON, another separator', async () => {
      await expect(read('b.csv', Uint8Array.of(0x50, 0x4b, 0x03, 0x04, 0x00, 0x08))).rejects.toThrow(
        new Error('<file> is not a CSV text file: it contains binary data (a NUL byte at offset 4)'),
      );
      await expect(read('j.csv', '[{"customer_id": 1}]\n')).rejects.toThrow(new Error('<file> is not CSV: it looks like JSON (it starts with "[")'));
      await expect(read('s.csv', HEADER.replace(/,/g, ';') + '\n1;2;3;4;Mobile;New;1\n')).rejects.toThrow(
        new Error(
          '<file> is not comma-separated CSV: its first line "customer_id;time_spent;pages_viewed;basket_value;device_type;customer_type;purch..." ' +
            'has no comma (expected a header like customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type,purchase); ' +
            'it has semicolons: read it with --delimiter ";" or "csv": {"delimiter": ";"} in the spec',
        ),
      );
    });
    it('broken quoting, with the line', async () => {
      await expect(read('q.csv', `${HEADER}\n1,2,3,4,Mobile,New,1\n2,"3,4,5,Mobile,New,1\n`)).rejects.toThrow(
        new Error('<file> is not valid CSV: line 3: unterminated quoted field starting at character 3'),
      );
      await expect(read('q.csv', `${HEADER}\n1,2,3,4,"Mob\nile"x,New,1\n2,3,4,5,Mobile,New,1\n`)).rejects.toThrow(
        new Error('<file> is not valid CSV: line 2: a quoted field must be followed by "," or the end of the line, found "x" at character 5 of line 3'),
      );
    });
  });
});
