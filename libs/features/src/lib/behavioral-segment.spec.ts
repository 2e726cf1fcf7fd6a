import { SEGMENTS, segmentIndex } from './behavioral-segment';

const medians = { time: 30, pages: 8, basket: 40 };
const segment = (time: number, pages: number, basket: number) => SEGMENTS[segmentIndex(time, pages, basket, medians)];

describe('segmentIndex', () => {
  it('applies each rule of the reference', () => {
    expect(segment(31, 9, 0)).toBe('high_engagement'); // time > 30 and pages > 8
    expect(segment(10, 8, 41)).toBe('focused_shopper'); // basket > 40 and pages <= 8
    expect(segment(31, 2, 40)).toBe('window_shopper'); // time > 30 and basket <= 40
    expect(segment(30, 9, 40)).toBe('casual_browser'); // none of the above
  });

  it('takes the first matching rule', () => {
    expect(segment(31, 9, 99)).toBe('high_engagement'); // would also be... no: pages > 8 rules out focused; high wins anyway
    expect(segment(31, 8, 41)).toBe('focused_shopper'); // time > 30 too, but focused comes before window
  });

  it('counts a value equal to its median as not above it', () => {
    expect(segment(30, 8, 40)).toBe('casual_browser');
    expect(segment(30.001, 8.001, 40)).toBe('high_engagement');
  });
});
