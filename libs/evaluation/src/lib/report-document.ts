import type { LinePlot } from './svg-line-plot';

/**
 * A report as format-neutral blocks of plain (unescaped) text, built once from the report data
 * and rendered by the Markdown and HTML writers, so both always show the same numbers.
 */
export interface ReportDocument {
  title: string;
  sections: ReportSection[];
}

export interface ReportSection {
  title: string;
  /** 2 for a section, 3 for a subsection. */
  level: 2 | 3;
  blocks: ReportBlock[];
}

export type ReportBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; table: ReportTable }
  /** Rendered as inline SVG in HTML; Markdown points to the HTML report. */
  | { kind: 'plots'; plots: LinePlot[] };

export interface ReportTable {
  header: string[];
  rows: ReportCell[][];
  /** Column alignment; default: first column left, the others right (numbers). */
  align?: ('left' | 'right')[];
}

/** A cell's text; `strong` marks the selected model and the baseline row. */
export type ReportCell = string | { text: string; strong: true };

export function cellText(cell: ReportCell): string {
  return typeof cell === 'string' ? cell : cell.text;
}

export function columnAlign(table: ReportTable, column: number): 'left' | 'right' {
  return table.align?.[column] ?? (column === 0 ? 'left' : 'right');
}
