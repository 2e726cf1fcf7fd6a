import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SeededRandom } from '@purchase/core';
import { Sampler } from './sampler';
import { generateSessionsCsv, SESSION_COLUMNS } from './sessions';
import { describeSessions, TARGETS } from './shape';

const committed = readFileSync(path.join(__dirname, '../../data/raw/customer_sessions.csv'), 'utf8');

describe('Sampler', () => {
  it("draws SeededRandom's stream for its seed: one generator for the whole workspace", () => {
    const rng = new Sampler(42);
    const reference = new SeededRandom(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([reference.next(), reference.next(), reference.next()]);
    expect(new Sampler(43).next()).not.toBe(new Sampler(42).next());
  });

  it('draws uniforms in [0, 1) with mean 1/2 and normals with mean 0, sd 1', () => {
    const rng = new Sampler(1);
    let u = 0;
    let z = 0;
    let z2 = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const x = rng.next();
      expect(x >= 0 && x < 1).toBe(true);
      u += x;
      const g = rng.normal();
      z += g;
      z2 += g * g;
    }
    expect(u / n).toBeCloseTo(0.5, 2);
    expect(z / n).toBeCloseTo(0, 1);
    expect(Math.sqrt(z2 / n)).toBeCloseTo(1, 1);
  });

  it('rejects a seed that is not an integer', () => {
    expect(() => new Sampler(1.5)).toThrow('seed must be an integer, got 1.5');
  });
});

describe('generateSessionsCsv', () => {
  it('reproduces the committed 500-row file byte for byte from the default seed 19', () => {
    expect(generateSessionsCsv({ rows: 500, seed: 19 })).toBe(committed);
  });

  it('gives the same bytes for the same seed and different bytes for another seed', () => {
    const a = generateSessionsCsv({ rows: 2000, seed: 7 });
    expect(generateSessionsCsv({ rows: 2000, seed: 7 })).toBe(a);
    expect(generateSessionsCsv({ rows: 2000, seed: 8 })).not.toBe(a);
  });

  it('writes the schema header and formats cells like the reference (pages as "7.0", empty when missing)', () => {
    const lines = committed.trimEnd().split('\n');
    expect(lines[0]).toBe(SESSION_COLUMNS.join(','));
    expect(lines).toHaveLength(501);
    for (const line of lines.slice(1)) {
      const cells = line.split(',');
      expect(cells).toHaveLength(7);
      expect(cells[2]).toMatch(/^(|([1-9]|1[0-9])\.0)$/);
      expect(cells[1]).toMatch(/^(|\d+\.\d\d)$/);
      expect(cells[4]).toMatch(/^(|Mobile|Desktop|Tablet)$/);
      expect(cells[5]).toMatch(/^(|New|Returning)$/);
      expect(cells[6]).toMatch(/^[01]$/);
    }
  });

  it('rejects a row count that is not a positive integer', () => {
    expect(() => generateSessionsCsv({ rows: 0, seed: 1 })).toThrow('rows must be a positive integer, got 0');
  });
});

describe('shape of the generated data against the reference', () => {
  // Tolerances: the committed 500-row file is held to about one sampling standard error at n = 500
  // (proportions ~0.02, correlations ~0.045); a 50k-row sample checks the process itself, tightly.
  it('the committed 500-row file matches the published missing rates, balance and correlations', () => {
    const s = describeSessions(committed);
    expect(s.rows).toBe(500);
    for (const [column, rate] of Object.entries(TARGETS.missing)) {
      expect(Math.abs(s.missing[column as keyof typeof s.missing] - rate)).toBeLessThanOrEqual(0.02);
    }
    expect(Math.abs(s.purchaseRate - TARGETS.purchaseRate)).toBeLessThanOrEqual(0.02);
    for (const [column, r] of Object.entries(TARGETS.correlation)) {
      expect(Math.abs(s.correlation[column as keyof typeof s.correlation] - r)).toBeLessThanOrEqual(0.045);
    }
    for (const [value, share] of Object.entries(TARGETS.share)) {
      expect(Math.abs(s.share[value as keyof typeof s.share] - share)).toBeLessThanOrEqual(0.03);
    }
    expect(Math.abs(s.median.time_spent - TARGETS.median.time_spent)).toBeLessThanOrEqual(3);
    expect(s.median.pages_viewed).toBe(TARGETS.median.pages_viewed);
    // The process mean is 48, not 50: N(50, 27) clipped at 0 gives 3.2% zeros, the reference has ~4%.
    expect(Math.abs(s.basket.mean - TARGETS.basket.mean)).toBeLessThanOrEqual(3.5);
    expect(Math.abs(s.basket.sd - TARGETS.basket.sd)).toBeLessThanOrEqual(3);
    expect(Math.abs(s.basket.zeroShare - TARGETS.basket.zeroShare)).toBeLessThanOrEqual(0.015);
  });

  const large = generateSessionsCsv({ rows: 50_000, seed: 1 });

  it('a 50k-row sample matches the published shape tightly', () => {
    const s = describeSessions(large);
    for (const [column, rate] of Object.entries(TARGETS.missing)) {
      expect(Math.abs(s.missing[column as keyof typeof s.missing] - rate)).toBeLessThanOrEqual(0.005);
    }
    expect(Math.abs(s.purchaseRate - TARGETS.purchaseRate)).toBeLessThanOrEqual(0.006);
    for (const [column, r] of Object.entries(TARGETS.correlation)) {
      expect(Math.abs(s.correlation[column as keyof typeof s.correlation] - r)).toBeLessThanOrEqual(0.012);
    }
    expect(Math.abs(s.basket.zeroShare - TARGETS.basket.zeroShare)).toBeLessThanOrEqual(0.006);
  });

  it('has the two non-linear effects: a time x customer interaction and a bounce threshold', () => {
    const lines = large.trimEnd().split('\n').slice(1);
    const rate = (keep: (c: string[]) => boolean) => {
      let n = 0;
      let pos = 0;
      for (const line of lines) {
        const c = line.split(',');
        if (!keep(c)) continue;
        n++;
        pos += Number(c[6]);
      }
      return pos / n;
    };
    const t = (c: string[]) => Number(c[1]);
    // Interaction: long sessions raise purchases of Returning customers and lower those of New ones.
    const retLong = rate((c) => c[5] === 'Returning' && c[1] !== '' && t(c) > 45);
    const retShort = rate((c) => c[5] === 'Returning' && c[1] !== '' && t(c) < 20);
    const newLong = rate((c) => c[5] === 'New' && c[1] !== '' && t(c) > 45);
    const newShort = rate((c) => c[5] === 'New' && c[1] !== '' && t(c) < 20);
    expect(retLong - retShort).toBeGreaterThan(0.05);
    expect(newShort - newLong).toBeGreaterThan(0.05);
    // Threshold: a drop between 4 pages and 3 pages far larger than between 5 and 4.
    const at = (p: string) => rate((c) => c[2] === p);
    expect(at('4.0') - at('3.0')).toBeGreaterThan(2 * Math.abs(at('5.0') - at('4.0')));
  });
});
