import { escapeHtml } from './escape-text';

/** One line of a plot; x[k], y[k] in [0, 1]. */
export interface LineSeries {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

export interface LinePlot {
  title: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** A dashed reference line (chance diagonal, perfect calibration, prevalence), not in the legend's model list. */
  reference?: LineSeries;
  /** Also draw a dot at every point (for sparse lines such as calibration bins). */
  markers?: boolean;
}

/** The plot area is a square; the legend sits in the right margin, off the lines. */
const PLOT_W = 300;
const PLOT_H = 300;
const MARGIN = { left: 56, right: 180, top: 32, bottom: 48 };
const WIDTH = MARGIN.left + PLOT_W + MARGIN.right;
const HEIGHT = MARGIN.top + PLOT_H + MARGIN.bottom;
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
/** Okabe-Ito: distinguishable with the common colour-vision deficiencies. */
export const SERIES_COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];

/**
 * A unit-square line plot as standalone SVG markup: axes with ticks at 0.2 steps, axis labels,
 * a title, one <path> per series (data-series names it; one M/L command per point) and a legend.
 * Needs no script, font or stylesheet: it renders the same in a browser or an image viewer.
 */
export function renderLinePlotSvg(plot: LinePlot): string {
  for (const s of [...plot.series, ...(plot.reference ? [plot.reference] : [])]) {
    if (s.x.length !== s.y.length) {
      throw new Error(`series "${s.name}" has ${s.x.length} x values and ${s.y.length} y values`);
    }
  }
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" aria-label="${escapeHtml(plot.title)}" font-family="sans-serif" font-size="12">`,
  );
  parts.push(`<rect x="0" y="0" width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  parts.push(
    `<text x="${MARGIN.left + PLOT_W / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${escapeHtml(plot.title)}</text>`,
  );
  parts.push(axes(plot));
  if (plot.reference) {
    parts.push(
      `<path data-reference="${escapeHtml(plot.reference.name)}" d="${pathData(plot.reference)}" fill="none" stroke="#888888" stroke-width="1" stroke-dasharray="4 4"/>`,
    );
  }
  plot.series.forEach((s, i) => {
    const colour = SERIES_COLOURS[i % SERIES_COLOURS.length];
    parts.push(
      `<path data-series="${escapeHtml(s.name)}" d="${pathData(s)}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"/>`,
    );
    if (plot.markers) parts.push(markers(s, colour));
  });
  parts.push(legend(plot));
  parts.push('</svg>');
  return parts.join('\n');
}

function px(x: number): string {
  return (MARGIN.left + clamp01(x) * PLOT_W).toFixed(1);
}

function py(y: number): string {
  return (MARGIN.top + (1 - clamp01(y)) * PLOT_H).toFixed(1);
}

function clamp01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** "M x y L x y ...": exactly one command per point. */
function pathData(s: LineSeries): string {
  const commands: string[] = [];
  for (let k = 0; k < s.x.length; k++) commands.push(`${k === 0 ? 'M' : 'L'}${px(s.x[k])} ${py(s.y[k])}`);
  return commands.join(' ');
}

function markers(s: LineSeries, colour: string): string {
  const dots: string[] = [];
  for (let k = 0; k < s.x.length; k++) dots.push(`<circle cx="${px(s.x[k])}" cy="${py(s.y[k])}" r="3"/>`);
  return `<g data-markers="${escapeHtml(s.name)}" fill="${colour}">${dots.join('')}</g>`;
}

function axes(plot: LinePlot): string {
  const left = MARGIN.left;
  const bottom = MARGIN.top + PLOT_H;
  const out: string[] = [];
  out.push(`<g class="axes" stroke="#333333" stroke-width="1">`);
  out.push(`<line x1="${left}" y1="${bottom}" x2="${left + PLOT_W}" y2="${bottom}"/>`);
  out.push(`<line x1="${left}" y1="${MARGIN.top}" x2="${left}" y2="${bottom}"/>`);
  for (const t of TICKS) {
    out.push(`<line x1="${px(t)}" y1="${bottom}" x2="${px(t)}" y2="${bottom + 5}"/>`);
    out.push(`<line x1="${left - 5}" y1="${py(t)}" x2="${left}" y2="${py(t)}"/>`);
    out.push(`<line x1="${px(t)}" y1="${MARGIN.top}" x2="${px(t)}" y2="${bottom}" stroke="#eeeeee"/>`);
    out.push(`<line x1="${left}" y1="${py(t)}" x2="${left + PLOT_W}" y2="${py(t)}" stroke="#eeeeee"/>`);
  }
  out.push('</g>');
  for (const t of TICKS) {
    out.push(`<text x="${px(t)}" y="${bottom + 18}" text-anchor="middle">${t.toFixed(1)}</text>`);
    out.push(`<text x="${left - 8}" y="${(Number(py(t)) + 4).toFixed(1)}" text-anchor="end">${t.toFixed(1)}</text>`);
  }
  out.push(`<text x="${left + PLOT_W / 2}" y="${HEIGHT - 10}" text-anchor="middle">${escapeHtml(plot.xLabel)}</text>`);
  const yMid = MARGIN.top + PLOT_H / 2;
  out.push(
    `<text x="16" y="${yMid}" text-anchor="middle" transform="rotate(-90 16 ${yMid})">${escapeHtml(plot.yLabel)}</text>`,
  );
  return out.join('\n');
}

/** Legend right of the plot area, one swatch per series, then the reference. */
function legend(plot: LinePlot): string {
  const entries = plot.series.map((s, i) => ({ name: s.name, colour: SERIES_COLOURS[i % SERIES_COLOURS.length], dash: '' }));
  if (plot.reference) entries.push({ name: plot.reference.name, colour: '#888888', dash: ' stroke-dasharray="4 4"' });
  const rowH = 16;
  const boxW = MARGIN.right - 24;
  const boxH = entries.length * rowH + 8;
  const x0 = MARGIN.left + PLOT_W + 16;
  const y0 = MARGIN.top;
  const out = [`<g class="legend">`, `<rect x="${x0}" y="${y0}" width="${boxW}" height="${boxH}" fill="#ffffff" fill-opacity="0.9" stroke="#cccccc"/>`];
  entries.forEach((e, i) => {
    const y = y0 + 12 + i * rowH;
    out.push(`<line x1="${x0 + 8}" y1="${y}" x2="${x0 + 30}" y2="${y}" stroke="${e.colour}" stroke-width="2"${e.dash}/>`);
    out.push(`<text x="${x0 + 36}" y="${y + 4}">${escapeHtml(e.name)}</text>`);
  });
  out.push('</g>');
  return out.join('\n');
}
