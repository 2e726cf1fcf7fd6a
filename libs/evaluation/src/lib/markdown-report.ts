import { buildReportDocument } from './build-report-document';
import { escapeMarkdown } from './escape-text';
import type { EvaluationReport } from './report-data';
import { cellText, columnAlign, type ReportBlock, type ReportCell, type ReportTable } from './report-document';

/** The report as GitHub-flavoured Markdown (tables; plots are in the HTML report). Pure: same data, same text. */
export function renderMarkdownReport(report: EvaluationReport): string {
  const doc = buildReportDocument(report);
  const lines: string[] = [`# ${escapeMarkdown(doc.title)}`, ''];
  for (const s of doc.sections) {
    lines.push(`${'#'.repeat(s.level)} ${escapeMarkdown(s.title)}`, '');
    for (const b of s.blocks) lines.push(...block(b), '');
  }
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

function block(b: ReportBlock): string[] {
  switch (b.kind) {
    case 'paragraph':
      return [escapeMarkdown(b.text)];
    case 'list':
      return b.items.map((item) => `- ${escapeMarkdown(item)}`);
    case 'table':
      return markdownTable(b.table);
    case 'plots':
      return [`Plots (${b.plots.map((p) => escapeMarkdown(p.title)).join('; ')}) are in report.html.`];
  }
}

function cell(c: ReportCell): string {
  const text = escapeMarkdown(cellText(c));
  return typeof c === 'string' ? text : `**${text}**`;
}

function markdownTable(t: ReportTable): string[] {
  const rule = t.header.map((_, i) => (columnAlign(t, i) === 'right' ? '---:' : ':---'));
  return [
    `| ${t.header.map(escapeMarkdown).join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...t.rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
  ];
}
