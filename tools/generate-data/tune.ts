/**
 * How DEFAULT_PROCESS's logit coefficients were found (run: node tools/run-ts.mjs tools/generate-data/tune.ts).
 * Generates a large sample, measures the purchase rate and point-biserial correlations of the observed
 * cells, and nudges each coefficient toward its target; prints the tuned values to paste back.
 */
import { DEFAULT_PROCESS, generateSessionsCsv, SessionProcess } from './sessions';
import { describeSessions, TARGETS } from './shape';

function measure(process: SessionProcess) {
  return describeSessions(generateSessionsCsv({ rows: 200_000, seed: 1, process }));
}

const p: SessionProcess = structuredClone(DEFAULT_PROCESS);
for (let iter = 0; iter < 25; iter++) {
  const s = measure(p);
  const L = p.logit;
  const logitOf = (q: number) => Math.log(q / (1 - q));
  L.intercept += logitOf(TARGETS.purchaseRate) - logitOf(s.purchaseRate);
  L.basket *= TARGETS.correlation.basket_value / s.correlation.basket_value;
  L.pages *= TARGETS.correlation.pages_viewed / s.correlation.pages_viewed;
  L.returning *= TARGETS.correlation.returning / s.correlation.returning;
  L.time += 2 * (TARGETS.correlation.time_spent - s.correlation.time_spent);
  const devScale = TARGETS.correlation.device / s.correlation.device;
  L.mobile *= devScale;
  L.tablet *= devScale;
  console.log(iter, JSON.stringify({ rate: s.purchaseRate, corr: s.correlation }));
}
console.log(JSON.stringify(p.logit, null, 2));
