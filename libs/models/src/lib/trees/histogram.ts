import type { FeatureGroup } from './feature-groups';

/**
 * (gradient, hessian) histograms of one node, flat in a Float64Array. Feature f owns the slots
 * offset[f] .. offset[f] + slots[f]: its real bins, then its missing bin; each slot is two doubles
 * (sum of gradients, sum of hessians), in the integer units of the fit's gradient pairs (see
 * setGradients in row-passes.ts), so every sum is exact. Every row has a hessian above 0, so a
 * slot holds rows exactly when its hessian sum is above 0: no row counts are needed.
 */
export class HistogramLayout {
  /** Index of feature f's first double. */
  readonly offset: Int32Array;
  /** Slots of feature f: real bins plus the missing bin. */
  readonly slots: Int32Array;
  /** Doubles in one histogram. */
  readonly length: number;

  constructor(cuts: readonly Float64Array[]) {
    this.offset = new Int32Array(cuts.length);
    this.slots = new Int32Array(cuts.length);
    let at = 0;
    for (let f = 0; f < cuts.length; f++) {
      this.offset[f] = at;
      this.slots[f] = cuts[f].length + 2;
      at += this.slots[f] * 2;
    }
    this.length = at;
  }
}

/** Histograms are reused across nodes and trees: growing a tree allocates none after the first. */
export class HistogramPool {
  private readonly free: Float64Array[] = [];

  constructor(private readonly length: number) {}

  acquire(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.length);
  }

  release(hist: Float64Array): void {
    this.free.push(hist);
  }
}

/**
 * Turns joint histograms (histogram-kernel.ts) into one node's per-feature histogram: the joint
 * histograms of its work items, partials[first .. first + count), are summed, then each group's
 * joint slots are added into its members' slots. Only the groups of listed features are spread.
 */
export function spreadJoint(
  partials: Float64Array,
  first: number,
  count: number,
  jointSlots: number,
  groups: readonly FeatureGroup[],
  jointBase: Int32Array,
  listed: Uint8Array,
  layout: HistogramLayout,
  hist: Float64Array,
): void {
  const size = jointSlots * 2;
  const joint = partials.subarray(first * size, (first + 1) * size);
  for (let k = 1; k < count; k++) addInto(joint, partials, (first + k) * size, size);
  const { offset, slots } = layout;
  for (let k = 0; k < groups.length; k++) {
    const group = groups[k];
    const members = group.members;
    let wanted = false;
    for (let j = 0; j < members.length; j++) if (listed[members[j]] === 1) wanted = true;
    if (!wanted) continue;
    spreadGroup(joint, jointBase[k] * 2, group, hist, offset, slots);
  }
}

function addInto(joint: Float64Array, partials: Float64Array, from: number, size: number): void {
  for (let i = 0; i < size; i++) joint[i] += partials[from + i];
}

/** Puts one group's joint slots (from double `base` of `joint`) into its members' slots. */
function spreadGroup(joint: Float64Array, base: number, group: FeatureGroup, hist: Float64Array, offset: Int32Array, slots: Int32Array): void {
  const { members, memberSlot } = group;
  const k = members.length;
  if (k === 1) {
    hist.set(joint.subarray(base, base + group.slots * 2), memberSlot[0]);
    return;
  }
  for (let j = 0; j < k; j++) hist.fill(0, offset[members[j]], offset[members[j]] + slots[members[j]] * 2);
  for (let c = 0; c < group.slots; c++) {
    const at = base + c * 2;
    const h = joint[at + 1];
    if (h === 0) continue;
    const g = joint[at];
    for (let j = 0; j < k; j++) {
      const s = memberSlot[c * k + j];
      hist[s] += g;
      hist[s + 1] += h;
    }
  }
}

/** parent -= child over the listed features: the parent's histogram becomes the sibling's (exactly: the sums are integers). */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: HistogramLayout, features: Int32Array, nFeatures: number): void {
  for (let k = 0; k < nFeatures; k++) {
    const f = features[k];
    const base = layout.offset[f];
    const end = base + layout.slots[f] * 2;
    for (let s = base; s < end; s++) parent[s] -= child[s];
  }
}
