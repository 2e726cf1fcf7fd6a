import { readCsvRecords, type ReadCsvOptions } from './read-csv-records';

type Read = Array<[number, string[]] | ['syntax', number, string]>;

/** Every record with its line, and every syntax error in its place, for the text cut into chunks of `size` bytes. */
async function read(text: string, size = 1 << 16, options: ReadCsvOptions = {}): Promise<Read> {
  const bytes = Buffer.from(text, 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  const out: Read = [];
  for await (const batch of readCsvRecords(chunks, options)) {
    batch.records.forEach((cells, i) => out.push([batch.lines[i], cells]));
    if (batch.syntaxError) out.push(['syntax', batch.syntaxError.line, batch.syntaxError.message]);
  }
  return out;
}

/** The same records whatever the chunk size: a chunk may end anywhere, inside a quote or a character. */
async function readEveryWay(text: string, options: ReadCsvOptions = {}): Promise<Read> {
  const whole = await read(text, 1 << 16, options);
  for (const size of [1, 2, 3, 5, 7, 16]) expect(await read(text, size, options)).toEqual(whole);
  return whole;
}

describe('readCsvRecords', () => {
  it('reads quoted delimiters and doubled quotes', async () => {
    expect(await readEveryWay('id,note\n1,"a, b"\n2,"say ""hi"""\n3,""\n')).toEqual([
      [1, ['id', 'note']],
      [2, ['1', 'a, b']],
      [3, ['2', 'say "hi"']],
      [4, ['3', '']],
    ]);
  });

  it('keeps empty cells (a trailing delimiter is an empty last cell), also after a quoted one', async () => {
    expect(await readEveryWay('id,a,b,c,d,e\n1,,6.0,,Mobile,\n2,"trailing",\n3,"last"\n')).toEqual([
      [1, ['id', 'a', 'b', 'c', 'd', 'e']],
      [2, ['1', '', '6.0', '', 'Mobile', '']],
      [3, ['2', 'trailing', '']],
      [4, ['3', 'last']],
    ]);
  });

  it('keeps a quote inside an unquoted cell, and a lone \\r inside a cell, as text', async () => {
    expect(await readEveryWay('a,b\n5"7,x\na\rb,c\r\n')).toEqual([
      [1, ['a', 'b']],
      [2, ['5"7', 'x']],
      [3, ['a\rb', 'c']],
    ]);
  });

  it('makes a quoted field with line breaks one record, at the line it starts on; the line inside is not a record', async () => {
    expect(await readEveryWay('id,note\n1,"first\n2,looks like a row\nlast"\n2,after\n')).toEqual([
      [1, ['id', 'note']],
      [2, ['1', 'first\n2,looks like a row\nlast']],
      [5, ['2', 'after']],
    ]);
  });

  it('reads CRLF line ends (also mixed with LF), a byte-order mark, blank lines and a last line without its end', async () => {
    expect(await readEveryWay('\uFEFFid,note\r\n1,"x"\r\n\r\n2,"two\r\nlines"\r\n3,plain\n4,é')).toEqual([
      [1, ['id', 'note']],
      [2, ['1', 'x']],
      [3, ['']],
      [4, ['2', 'two\r\nlines']],
      [6, ['3', 'plain']],
      [7, ['4', 'é']],
    ]);
  });

  it('reads the dialect it is given', async () => {
    const dialect = { delimiter: ';', quote: "'" };
    expect(await readEveryWay("id;note\n1;'a; b'\n2;'it''s'\n3;\"x\"\n", { dialect })).toEqual([
      [1, ['id', 'note']],
      [2, ['1', 'a; b']],
      [3, ['2', "it's"]],
      [4, ['3', '"x"']],
    ]);
    expect(await readEveryWay('a\tb\n1\t2\n', { dialect: { delimiter: '\t', quote: '"' } })).toEqual([
      [1, ['a', 'b']],
      [2, ['1', '2']],
    ]);
  });

  it('reports malformed quoting at the line its record starts on, and reads on from the next line', async () => {
    const text = ['id,note', '1,"ab"c', '2,ok', '3,"two', 'lines" x', '4,ok', '5,"never closed', '6,ok', ''].join('\n');
    expect(await readEveryWay(text)).toEqual([
      [1, ['id', 'note']],
      ['syntax', 2, 'a quoted field must be followed by "," or the end of the line, found "c" at character 7'],
      [3, ['2', 'ok']],
      ['syntax', 4, 'a quoted field must be followed by "," or the end of the line, found " " at character 7 of line 5'],
      [5, ['lines" x']],
      [6, ['4', 'ok']],
      ['syntax', 7, 'unterminated quoted field starting at character 3'],
      [8, ['6', 'ok']],
    ]);
  });

  it('holds no more than maxRecordLength of an unfinished record', async () => {
    const x = 'x'.repeat(20);
    expect(await read(`id,note\n1,"open\n${x}\n${x}\n2,ok\n`, 8, { maxRecordLength: 30 })).toEqual([
      [1, ['id', 'note']],
      ['syntax', 2, 'unterminated quoted field starting at character 3 (no record end within 30 characters)'],
      [3, [x]],
      [4, [x]],
      [5, ['2', 'ok']],
    ]);
    await expect(read(`id,note\n${'y'.repeat(40)}`, 8, { maxRecordLength: 30 })).rejects.toThrow(
      'line 2 is longer than 30 characters: not a CSV file of records?',
    );
  });

  it('yields nothing for an empty input', async () => {
    expect(await read('')).toEqual([]);
  });
});
