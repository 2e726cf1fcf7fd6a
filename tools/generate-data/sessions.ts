import { Sampler } from './sampler';

/** The columns of a generated session file, in file order. */
export const SESSION_COLUMNS = [
  'customer_id',
  'time_spent',
  'pages_viewed',
  'basket_value',
  'device_type',
  'customer_type',
  'purchase',
] as const;

/**
 * The generating process (documented in data/README.md). Shapes follow the reference data's
 * published figures; the logit coefficients were tuned with tools/generate-data/tune.ts so that the
 * point-biserial correlations of the observed (non-missing) cells match the reference's.
 */
export interface SessionProcess {
  /** Share of empty cells per column, drawn independently (missing completely at random). */
  missing: { time_spent: number; pages_viewed: number; basket_value: number; device_type: number; customer_type: number };
  time: { min: number; max: number };
  /** pages_viewed = 1 + Binomial(trials, p): integers 1..trials+1. */
  pages: { trials: number; p: number };
  /** basket_value = max(0, Normal(mean, sd)). */
  basket: { mean: number; sd: number };
  device: { Mobile: number; Desktop: number; Tablet: number };
  /** P(Returning); the rest is New. */
  returning: number;
  logit: {
    intercept: number;
    /** per standard deviation of basket_value */
    basket: number;
    /** per standard deviation of pages_viewed */
    pages: number;
    returning: number;
    /** per standard deviation of time_spent, for everyone */
    time: number;
    /** interaction: time_spent helps Returning customers and hurts New ones by this much per sd */
    timeByCustomer: number;
    /** threshold: a session of at most `bounceMaxPages` pages loses this much */
    bouncePenalty: number;
    bounceMaxPages: number;
    mobile: number;
    tablet: number;
  };
}

export const DEFAULT_PROCESS: SessionProcess = {
  missing: { time_spent: 0.13, pages_viewed: 0.084, basket_value: 0.166, device_type: 0.038, customer_type: 0.054 },
  time: { min: 7, max: 60 },
  pages: { trials: 18, p: 0.45 },
  basket: { mean: 48, sd: 27 },
  device: { Mobile: 0.46 / 0.96, Desktop: 0.34 / 0.96, Tablet: 0.16 / 0.96 },
  returning: 0.58 / 0.94,
  logit: {
    intercept: 2.2097,
    basket: 2.1498,
    pages: 1.2456,
    returning: 1.547,
    time: 0.1731,
    timeByCustomer: 0.8,
    bouncePenalty: 1.6,
    bounceMaxPages: 3,
    mobile: -0.3859,
    tablet: -0.7718,
  },
};

export interface GenerateOptions {
  rows: number;
  seed: number;
  process?: SessionProcess;
}

/**
 * Generates sessions as CSV text in chunks of about 64 KiB (header first), so a million rows never
 * sit in memory. The same rows and seed give the same bytes.
 */
export function* sessionChunks(options: GenerateOptions): Generator<string, void, undefined> {
  const { rows, seed } = options;
  const p = options.process ?? DEFAULT_PROCESS;
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer, got ${rows}`);
  const rng = new Sampler(seed);
  const timeMean = (p.time.min + p.time.max) / 2;
  const timeSd = (p.time.max - p.time.min) / Math.sqrt(12);
  const pagesMean = 1 + p.pages.trials * p.pages.p;
  const pagesSd = Math.sqrt(p.pages.trials * p.pages.p * (1 - p.pages.p));
  const L = p.logit;

  let chunk = SESSION_COLUMNS.join(',') + '\n';
  for (let i = 0; i < rows; i++) {
    // Every draw happens for every row, in a fixed order, whatever is later masked.
    const time = rng.uniform(p.time.min, p.time.max);
    const pages = 1 + rng.binomial(p.pages.trials, p.pages.p);
    const basket = Math.max(0, p.basket.mean + p.basket.sd * rng.normal());
    const d = rng.next();
    const device = d < p.device.Mobile ? 'Mobile' : d < p.device.Mobile + p.device.Desktop ? 'Desktop' : 'Tablet';
    const returning = rng.next() < p.returning;

    const zTime = (time - timeMean) / timeSd;
    const logit =
      L.intercept +
      L.basket * ((basket - p.basket.mean) / p.basket.sd) +
      L.pages * ((pages - pagesMean) / pagesSd) +
      (returning ? L.returning : 0) +
      L.time * zTime +
      (returning ? L.timeByCustomer : -L.timeByCustomer) * zTime +
      (pages <= L.bounceMaxPages ? -L.bouncePenalty : 0) +
      (device === 'Mobile' ? L.mobile : device === 'Tablet' ? L.tablet : 0);
    const purchase = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;

    const m = p.missing;
    const timeCell = rng.next() < m.time_spent ? '' : time.toFixed(2);
    const pagesCell = rng.next() < m.pages_viewed ? '' : pages + '.0';
    const basketCell = rng.next() < m.basket_value ? '' : basket.toFixed(2);
    const deviceCell = rng.next() < m.device_type ? '' : device;
    const customerCell = rng.next() < m.customer_type ? '' : returning ? 'Returning' : 'New';

    chunk += `${i + 1},${timeCell},${pagesCell},${basketCell},${deviceCell},${customerCell},${purchase}\n`;
    if (chunk.length >= 65536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk.length > 0) yield chunk;
}

/** The whole file as one string: for tests and small files. */
export function generateSessionsCsv(options: GenerateOptions): string {
  let text = '';
  for (const chunk of sessionChunks(options)) text += chunk;
  return text;
}
