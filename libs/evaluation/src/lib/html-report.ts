import { buildReportDocument } from './build-report-document';
import { escapeHtml } from './escape-text';
import type { EvaluationReport } from './report-data';
import { cellText, columnAlign, type ReportBlock, type ReportCell, type ReportTable } from './report-document';
import { renderLinePlotSvg } from './svg-line-plot';

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #1a1a1a; line-height: 1.45; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; font-size: 0.9rem; }
th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; }
th { background: #f3f3f3; } td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.strong td { background: #fafae6; }
.plots { display: flex; flex-wrap: wrap; gap: 1rem; } figure { margin: 0; }
`;

/**
 * The report as one self-contained HTML page: inline CSS and inline SVG plots (ROC, PR and
 * calibration, one line per model), no script, font, image or stylesheet to fetch. Every piece of
 * text from the data is escaped. Pure: same data, same page.
 */
export function renderHtmlReport(report: EvaluationReport): string {
  const doc = buildReportDocument(report);
  const body: string[] = [`<h1>${escapeHtml(doc.title)}</h1>`];
  for (const s of doc.sections) {
    body.push(`<h${s.level}>${escapeHtml(s.title)}</h${s.level}>`);
    for (const b of s.blocks) body.push(block(b));
  }
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    ...body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function block(b: ReportBlock): string {
  switch (b.kind) {
    case 'paragraph':
      return `<p>${escapeHtml(b.text)}</p>`;
    case 'list':
      return `<ul>\n${b.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('\n')}\n</ul>`;
    case 'table':
      return htmlTable(b.table);
    case 'plots':
      return `<div class="plots">\n${b.plots
        .map((p) => `<figure>\n${renderLinePlotSvg(p)}\n</figure>`)
        .join('\n')}\n</div>`;
  }
}

function htmlTable(t: ReportTable): string {
  const cls = (i: number) => (columnAlign(t, i) === 'right' ? ' class="num"' : '');
  const head = t.header.map((h, i) => `<th${cls(i)}>${escapeHtml(h)}</th>`).join('');
  const rows = t.rows.map((r) => {
    const strong = r.some((c: ReportCell) => typeof c !== 'string');
    const cells = r
      .map((c, i) => {
        const text = escapeHtml(cellText(c));
        return `<td${cls(i)}>${typeof c === 'string' ? text : `<strong>${text}</strong>`}</td>`;
      })
      .join('');
    return `<tr${strong ? ' class="strong"' : ''}>${cells}</tr>`;
  });
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}
