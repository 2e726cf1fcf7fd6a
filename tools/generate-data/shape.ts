/**
 * The published shape of the reference data, and a measurement of a session CSV against it.
 * Correlations are point-biserial (Pearson with the 0/1 target) over rows where the cell is present;
 * device_type is label-encoded alphabetically (Desktop 0, Mobile 1, Tablet 2) as the reference did.
 */
export const TARGETS = {
  rows: 500,
  missing: { time_spent: 0.13, pages_viewed: 0.084, basket_value: 0.166, device_type: 0.038, customer_type: 0.054 },
  purchaseRate: 0.814,
  correlation: { basket_value: 0.43, pages_viewed: 0.27, returning: 0.16, time_spent: 0.04, device: -0.06 },
  share: { Mobile: 0.46, Desktop: 0.34, Tablet: 0.16, Returning: 0.58, New: 0.36 },
  median: { time_spent: 35, pages_viewed: 9 },
  basket: { mean: 50, sd: 27, zeroShare: 0.04 },
};

export interface SessionShape {
  rows: number;
  missing: Record<keyof typeof TARGETS.missing, number>;
  purchaseRate: number;
  correlation: Record<keyof typeof TARGETS.correlation, number>;
  share: Record<keyof typeof TARGETS.share, number>;
  median: { time_spent: number; pages_viewed: number };
  basket: { mean: number; sd: number; zeroShare: number };
}

function pearson(x: number[], y: number[]): number {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function describeSessions(csv: string): SessionShape {
  const lines = csv.split('\n').filter((l) => l.length > 0);
  const rows = lines.length - 1;
  const pairs = {
    time_spent: [[], []] as number[][],
    pages_viewed: [[], []] as number[][],
    basket_value: [[], []] as number[][],
    returning: [[], []] as number[][],
    device: [[], []] as number[][],
  };
  const missing = { time_spent: 0, pages_viewed: 0, basket_value: 0, device_type: 0, customer_type: 0 };
  const share = { Mobile: 0, Desktop: 0, Tablet: 0, Returning: 0, New: 0 };
  let positives = 0;
  let zeros = 0;
  const deviceCode: Record<string, number> = { Desktop: 0, Mobile: 1, Tablet: 2 };
  for (let i = 1; i < lines.length; i++) {
    const [, time, pages, basket, device, customer, purchase] = lines[i].split(',');
    const y = Number(purchase);
    positives += y;
    const add = (key: keyof typeof pairs, cell: string, value: number, missingKey: keyof typeof missing) => {
      if (cell === '') {
        missing[missingKey]++;
        return;
      }
      pairs[key][0].push(value);
      pairs[key][1].push(y);
    };
    add('time_spent', time, Number(time), 'time_spent');
    add('pages_viewed', pages, Number(pages), 'pages_viewed');
    add('basket_value', basket, Number(basket), 'basket_value');
    add('device', device, deviceCode[device], 'device_type');
    add('returning', customer, customer === 'Returning' ? 1 : 0, 'customer_type');
    if (basket !== '' && Number(basket) === 0) zeros++;
    if (device in share) share[device as keyof typeof share]++;
    if (customer in share) share[customer as keyof typeof share]++;
  }
  const baskets = pairs.basket_value[0];
  const bMean = baskets.reduce((a, b) => a + b, 0) / baskets.length;
  const bSd = Math.sqrt(baskets.reduce((a, b) => a + (b - bMean) ** 2, 0) / (baskets.length - 1));
  const rate = (n: number) => n / rows;
  return {
    rows,
    missing: {
      time_spent: rate(missing.time_spent),
      pages_viewed: rate(missing.pages_viewed),
      basket_value: rate(missing.basket_value),
      device_type: rate(missing.device_type),
      customer_type: rate(missing.customer_type),
    },
    purchaseRate: positives / rows,
    correlation: {
      basket_value: pearson(pairs.basket_value[0], pairs.basket_value[1]),
      pages_viewed: pearson(pairs.pages_viewed[0], pairs.pages_viewed[1]),
      returning: pearson(pairs.returning[0], pairs.returning[1]),
      time_spent: pearson(pairs.time_spent[0], pairs.time_spent[1]),
      device: pearson(pairs.device[0], pairs.device[1]),
    },
    share: {
      Mobile: rate(share.Mobile),
      Desktop: rate(share.Desktop),
      Tablet: rate(share.Tablet),
      Returning: rate(share.Returning),
      New: rate(share.New),
    },
    median: { time_spent: median(pairs.time_spent[0]), pages_viewed: median(pairs.pages_viewed[0]) },
    basket: { mean: bMean, sd: bSd, zeroShare: zeros / baskets.length },
  };
}

/** Distance of a sample to the published shape, in units of each statistic's standard error at n = 500. */
export function distanceToTargets(csv: string): number {
  const s = describeSessions(csv);
  const n = TARGETS.rows;
  const seProp = (p: number) => Math.sqrt((p * (1 - p)) / n);
  const seCorr = (r: number) => (1 - r * r) / Math.sqrt(n - 1);
  let d = 0;
  for (const [k, t] of Object.entries(TARGETS.missing)) d += ((s.missing[k as keyof typeof s.missing] - t) / seProp(t)) ** 2;
  for (const [k, t] of Object.entries(TARGETS.correlation))
    d += ((s.correlation[k as keyof typeof s.correlation] - t) / seCorr(t)) ** 2;
  for (const [k, t] of Object.entries(TARGETS.share)) d += ((s.share[k as keyof typeof s.share] - t) / seProp(t)) ** 2;
  d += ((s.purchaseRate - TARGETS.purchaseRate) / seProp(TARGETS.purchaseRate)) ** 2;
  return Math.sqrt(d);
}

