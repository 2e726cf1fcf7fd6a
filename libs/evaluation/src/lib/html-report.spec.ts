import { MODEL_NAMES, sampleReport } from '../test-fixtures/sample-report';
import { renderHtmlReport } from './html-report';
import { renderMarkdownReport } from './markdown-report';

function figure(html: string, title: string): string {
  const start = html.indexOf(`aria-label="${title}"`);
  if (start < 0) throw new Error(`no plot titled ${title}`);
  return html.slice(start, html.indexOf('</svg>', start));
}

function pointsOf(svg: string, series: string): number {
  const m = svg.match(new RegExp(`<path data-series="${series}" d="([^"]*)"`));
  if (!m) throw new Error(`no ${series} line`);
  return m[1].match(/[ML]/g)!.length;
}

describe('renderHtmlReport', () => {
  const report = sampleReport();
  const html = renderHtmlReport(report);

  it('is one self-contained page: no script, no external stylesheet, image or font', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|<img|src=|href=|@import|url\(/i);
  });

  it('has the ROC, PR and calibration plots with one line per model and the right number of points', () => {
    const roc = figure(html, 'ROC curve (test)');
    const pr = figure(html, 'Precision-recall curve (test)');
    const cal = figure(html, 'Calibration (test)');
    report.models.forEach((m) => {
      expect(pointsOf(roc, m.name)).toBe(m.curves!.roc.fpr.length);
      expect(pointsOf(pr, m.name)).toBe(m.curves!.pr.recall.length);
      expect(pointsOf(cal, m.name)).toBe(m.calibration!.bins.length);
    });
    for (const svg of [roc, pr, cal]) expect(svg.match(/<path data-series=/g)).toHaveLength(MODEL_NAMES.length);
    expect(roc).toContain('data-reference="chance"');
    expect(cal).toContain('data-reference="perfectly calibrated"');
  });

  it('shows the same tables as the Markdown report: every model and the baseline row', () => {
    for (const split of ['validation', 'test']) {
      const section = html.split(`<h2>Metrics on the ${split} split</h2>`)[1].split('<h2>')[0];
      const rows = section.match(/<tr[^>]*><td/g)!;
      expect(rows).toHaveLength(1 + MODEL_NAMES.length);
      expect(section).toContain('<tr class="strong"><td><strong>always purchase (baseline)</strong></td>');
      for (const name of MODEL_NAMES) expect(section).toMatch(new RegExp(`<td>(<strong>)?${name}( \\(selected\\))?(</strong>)?</td>`));
    }
    // Every number cell of the Markdown report appears in the HTML too.
    const mdNumbers = renderMarkdownReport(report).match(/\| -?[\d,]+\.\d+ (?=\|)/g)!.map((c) => c.slice(2, -1));
    for (const n of mdNumbers) expect(html).toContain(`>${n}<`);
  });

  it('escapes model names everywhere, tables and SVG alike', () => {
    const evil = '<script>alert("x")</script>';
    const page = renderHtmlReport(sampleReport(['lr', 'mlp', evil]));
    expect(page).not.toContain('<script');
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; (selected)');
    expect(page).toContain('data-series="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
  });
});
