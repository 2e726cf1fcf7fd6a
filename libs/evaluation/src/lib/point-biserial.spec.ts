import { fixture } from '../test-fixtures/sklearn-fixture';
import { pointBiserialCorrelations } from './point-biserial';

describe('pointBiserialCorrelations against scipy.stats.pointbiserialr (pairwise-complete)', () => {
  const { y, columns, expected } = fixture.correlation;
  const result = pointBiserialCorrelations(
    Object.entries(columns).map(([name, values]) => ({ name, values: Float64Array.from(values, (v) => (v === null ? NaN : v)) })),
    Uint8Array.from(y),
  );

  it.each(expected.map((e) => [e.name, e]))('%s', (name, e) => {
    const r = result.find((x) => x.name === name)!;
    expect(r.n).toBe(e.n);
    if (e.correlation === null) {
      expect(r.correlation).toBeNull();
      expect(r.pValue).toBeNull();
      return;
    }
    expect(Math.abs(r.correlation! - e.correlation)).toBeLessThan(1e-9);
    // p-values span 1e-53..0.9: compare relatively.
    expect(Math.abs(r.pValue! - e.pValue!) / e.pValue!).toBeLessThan(1e-8);
  });

  it('sorts by |correlation|, largest first, undefined last', () => {
    expect(result.map((r) => r.name)).toEqual(['strong', 'negative', 'large_offset', 'weak_with_missing', 'noise', 'constant']);
  });
});

describe('pointBiserialCorrelations', () => {
  it('is +1 / -1 for a column that is the label or its negation, by hand', () => {
    const y = Uint8Array.from([0, 1, 0, 1, 1]);
    const result = pointBiserialCorrelations(
      [
        { name: 'same', values: Float32Array.from([0, 1, 0, 1, 1]) },
        { name: 'opposite', values: Float64Array.from([5, 3, 5, 3, 3]) },
      ],
      y,
    );
    const same = result.find((r) => r.name === 'same')!;
    const opposite = result.find((r) => r.name === 'opposite')!;
    expect(same.correlation).toBeCloseTo(1, 15);
    expect(opposite.correlation).toBeCloseTo(-1, 15);
    expect(same.pValue).toBeLessThan(1e-12);
    expect(opposite.n).toBe(5);
  });

  it('names a column of the wrong length', () => {
    expect(() => pointBiserialCorrelations([{ name: 'pages_viewed', values: new Float64Array(3) }], new Uint8Array(4))).toThrow(
      'column "pages_viewed" has 3 values, y has 4',
    );
  });

  it('names a label that is not 0 or 1', () => {
    expect(() => pointBiserialCorrelations([{ name: 'pages_viewed', values: new Float64Array(2) }], Uint8Array.of(0, 2))).toThrow(
      'y[1] is 2, labels must be 0 or 1',
    );
  });
});
