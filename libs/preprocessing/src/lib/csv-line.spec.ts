import { CsvSyntaxError, splitCsvLine } from './csv-line';

describe('splitCsvLine', () => {
  it('splits plain cells, keeping empty ones (a trailing comma is an empty last cell)', () => {
    expect(splitCsvLine('1,,6.0,,Mobile,')).toEqual(['1', '', '6.0', '', 'Mobile', '']);
    expect(splitCsvLine('')).toEqual(['']);
  });

  it('drops the \\r of a CRLF line end, and only that', () => {
    expect(splitCsvLine('a,b\r')).toEqual(['a', 'b']);
    expect(splitCsvLine('"a",b\r')).toEqual(['a', 'b']);
    expect(splitCsvLine('a\rb,c')).toEqual(['a\rb', 'c']);
  });

  it('reads quoted cells with commas and doubled quotes', () => {
    expect(splitCsvLine('"Smith, J.","say ""hi""",3')).toEqual(['Smith, J.', 'say "hi"', '3']);
    expect(splitCsvLine('1,"",x')).toEqual(['1', '', 'x']);
    expect(splitCsvLine('1,"last"')).toEqual(['1', 'last']);
    expect(splitCsvLine('1,"trailing",')).toEqual(['1', 'trailing', '']);
  });

  it('keeps a quote inside an unquoted cell as text (as papaparse does)', () => {
    expect(splitCsvLine('5"7,x')).toEqual(['5"7', 'x']);
  });

  it('throws CsvSyntaxError for an unterminated quote or text after a closing quote', () => {
    expect(() => splitCsvLine('1,"open')).toThrow(new CsvSyntaxError('unterminated quoted field starting at character 3', 'unterminated'));
    expect(() => splitCsvLine('1,"ab"c,3')).toThrow('a quoted field must be followed by a comma, found "c" at character 7');
  });
});
