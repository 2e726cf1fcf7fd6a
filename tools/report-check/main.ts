/**
 * node tools/run-ts.mjs tools/report-check/main.ts --report models/current/report.html [--out tmp/report-check]
 *
 * Opens a training report in headless Chromium (Debian's `chromium`), screenshots the whole page, and
 * screenshots each inline SVG plot on its own page to check that it renders curves (coloured pixels),
 * not a blank frame. Exits non-zero if Chromium is missing or a plot is blank.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { countColouredPixels, decodePng } from './png';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** A plot with fewer coloured pixels than this has drawn no curve. */
const MIN_COLOURED_PIXELS = 300;

function screenshot(htmlFile: string, pngFile: string, width: number, height: number): void {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'report-check-'));
  try {
    execFileSync(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--hide-scrollbars',
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--screenshot=${pngFile}`,
        `file://${path.resolve(htmlFile)}`,
      ],
      { stdio: 'pipe', timeout: 60_000 },
    );
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

function main(): void {
  const { values } = parseArgs({
    options: { report: { type: 'string', default: 'models/current/report.html' }, out: { type: 'string', default: 'tmp/report-check' } },
  });
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`);
  const report = values.report!;
  const html = readFileSync(report, 'utf8');
  const out = values.out!;
  mkdirSync(out, { recursive: true });

  const full = path.join(out, 'report.png');
  screenshot(report, full, 1280, 4000);
  const page = decodePng(readFileSync(full));
  console.log(`page: ${full} (${page.width}x${page.height}), coloured pixels ${countColouredPixels(page)}`);

  const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
  if (svgs.length === 0) throw new Error(`${report} has no inline SVG plot`);
  let blank = 0;
  svgs.forEach((svg, i) => {
    const title = /<title>([^<]*)<\/title>/.exec(svg)?.[1] ?? /aria-label="([^"]*)"/.exec(svg)?.[1] ?? `plot ${i + 1}`;
    const htmlFile = path.join(out, `plot-${i + 1}.html`);
    writeFileSync(htmlFile, `<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`);
    const png = path.join(out, `plot-${i + 1}.png`);
    screenshot(htmlFile, png, 800, 700);
    const coloured = countColouredPixels(decodePng(readFileSync(png)));
    const ok = coloured >= MIN_COLOURED_PIXELS;
    if (!ok) blank++;
    console.log(`${ok ? 'ok   ' : 'BLANK'} ${title}: ${coloured} coloured pixels (${png})`);
  });
  if (blank > 0) throw new Error(`${blank} of ${svgs.length} plots rendered blank`);
  console.log(`all ${svgs.length} plots render`);
}

try {
  main();
} catch (err) {
  console.error(`report-check: ${(err as Error).message}`);
  process.exit(1);
}
