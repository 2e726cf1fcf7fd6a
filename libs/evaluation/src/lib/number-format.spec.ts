import {
  formatCount,
  formatDifference,
  formatMetric,
  formatMoney,
  formatPercent,
  formatPValue,
  formatThreshold,
} from './number-format';

describe('number formats', () => {
  it('writes metrics with 3 decimals and undefined values as n/a', () => {
    expect([formatMetric(0.81234), formatMetric(1), formatMetric(0), formatMetric(null), formatMetric(NaN)]).toEqual([
      '0.812',
      '1.000',
      '0.000',
      'n/a',
      'n/a',
    ]);
  });

  it('signs differences and never prints -0.000', () => {
    expect([formatDifference(0.2123), formatDifference(-0.01), formatDifference(-0.0001), formatDifference(0)]).toEqual([
      '+0.212',
      '-0.010',
      '+0.000',
      '+0.000',
    ]);
  });

  it('writes thresholds with 4 decimals and Infinity as ∞', () => {
    expect([formatThreshold(0.5), formatThreshold(0.123456), formatThreshold(Infinity)]).toEqual(['0.5000', '0.1235', '∞']);
  });

  it('groups counts and money in thousands', () => {
    expect([formatCount(12330), formatCount(7), formatMoney(1234.5), formatMoney(-20), formatPercent(0.1548)]).toEqual([
      '12,330',
      '7',
      '1,234.50',
      '-20.00',
      '15.5%',
    ]);
  });

  it('writes small p-values in scientific notation', () => {
    expect([formatPValue(0.0392), formatPValue(2.04e-10), formatPValue(null)]).toEqual(['0.039', '2.0e-10', 'n/a']);
  });
});
