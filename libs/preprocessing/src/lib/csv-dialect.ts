import type { CsvDialect, DatasetSpec } from './dataset-spec';

export const DEFAULT_CSV_DIALECT: Readonly<CsvDialect> = Object.freeze({ delimiter: ',', quote: '"' });

/** Why `value` cannot be a dialect's delimiter or quote, or null when it can. */
export function dialectCharacterProblem(value: unknown): string | null {
  if (typeof value !== 'string' || [...value].length !== 1) return `must be one character, got ${JSON.stringify(value) ?? String(value)}`;
  if (value === '\n' || value === '\r') return 'must not be a line break';
  if (value === '\uFEFF') return 'must not be a byte-order mark';
  return null;
}

/** The dialect files of `spec` are read with: the spec's `csv`, else `,` and `"`; `delimiter` (a CLI's --delimiter) overrides. */
export function csvDialectOf(spec: DatasetSpec, delimiter?: string): CsvDialect {
  const dialect = { ...(spec.csv ?? DEFAULT_CSV_DIALECT) };
  if (delimiter !== undefined) {
    const problem = dialectCharacterProblem(delimiter);
    if (problem) throw new Error(`the delimiter ${problem}`);
    if (delimiter === dialect.quote) throw new Error(`the delimiter must differ from the quote character ${JSON.stringify(dialect.quote)}`);
    dialect.delimiter = delimiter;
  }
  return dialect;
}

const NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** "comma", "semicolon", "tab", "pipe", else the character in quotes: for messages. */
export function delimiterName(delimiter: string): string {
  return NAMES[delimiter] ?? JSON.stringify(delimiter);
}
