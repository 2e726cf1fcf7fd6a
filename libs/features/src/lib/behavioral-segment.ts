/** The reference's behavioural segments, in rule order (also the order of their one-hot columns). */
export const SEGMENTS = ['high_engagement', 'focused_shopper', 'window_shopper', 'casual_browser'] as const;
export type Segment = (typeof SEGMENTS)[number];

/** Training medians of the three inputs of the segment rules. */
export interface SegmentMedians {
  time: number;
  pages: number;
  basket: number;
}

/**
 * Index into SEGMENTS of a session, by the reference's rules in order (first match wins):
 * time > med and pages > med -> high_engagement; basket > med and pages <= med -> focused_shopper;
 * time > med and basket <= med -> window_shopper; else casual_browser. Comparisons are strict, so a
 * value equal to its median (e.g. one imputed with it) counts as "not above".
 */
export function segmentIndex(time: number, pages: number, basket: number, m: SegmentMedians): number {
  if (time > m.time && pages > m.pages) return 0;
  if (basket > m.basket && pages <= m.pages) return 1;
  if (time > m.time && basket <= m.basket) return 2;
  return 3;
}
