import type { HistogramLayout } from './histogram';

/** Joint slots a group may have: its (gradient, hessian) histogram is 8 KiB. */
export const MAX_GROUP_SLOTS = 512;

/**
 * Features histogrammed together. A group's rows carry one code, the mixed-radix number of their
 * members' bins, so one update per row fills the group's joint histogram, which is then summed into
 * each member's own slots. Three features of 21, 5 and 4 slots cost one update per row instead of
 * three. A feature with many bins is a group of its own.
 */
export interface FeatureGroup {
  members: Int32Array;
  /** Joint slots: the product of the members' slots. */
  slots: number;
  /** For joint slot c, member j's first double in the per-feature histogram: memberSlot[c * members + j]. */
  memberSlot: Int32Array;
  /** Multiplier of each member's bin in the group code. */
  strides: Int32Array;
}

/** Packs features, fewest slots first, into groups of at most MAX_GROUP_SLOTS joint slots. */
export function groupFeatures(layout: HistogramLayout): FeatureGroup[] {
  const order = Array.from(layout.slots.keys()).sort((a, b) => layout.slots[a] - layout.slots[b] || a - b);
  const packs: number[][] = [];
  let current: number[] = [];
  let product = 1;
  for (const f of order) {
    if (product * layout.slots[f] > MAX_GROUP_SLOTS && current.length > 0) {
      packs.push(current);
      current = [];
      product = 1;
    }
    current.push(f);
    product *= layout.slots[f];
  }
  if (current.length > 0) packs.push(current);
  return packs.map((pack) => makeGroup(Int32Array.from(pack).sort(), layout));
}

function makeGroup(members: Int32Array, layout: HistogramLayout): FeatureGroup {
  const k = members.length;
  const strides = new Int32Array(k);
  let slots = 1;
  for (let j = 0; j < k; j++) {
    strides[j] = slots;
    slots *= layout.slots[members[j]];
  }
  const memberSlot = new Int32Array(slots * k);
  for (let c = 0; c < slots; c++) {
    for (let j = 0; j < k; j++) {
      const bin = Math.floor(c / strides[j]) % layout.slots[members[j]];
      memberSlot[c * k + j] = layout.offset[members[j]] + bin * 2;
    }
  }
  return { members, slots, memberSlot, strides };
}
