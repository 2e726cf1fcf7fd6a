import { groupFeatures, type FeatureGroup } from './feature-groups';

/**
 * (gradient, hessian, count) histograms of one node, flat in a Float64Array. Feature f owns the
 * slots offset[f] .. offset[f] + slots[f]: its real bins, then its missing bin; each slot is three
 * doubles (sum of gradients, sum of hessians, number of rows).
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
      at += this.slots[f] * 3;
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
 * Fills node histograms from a node's rows rowIndex[start..end), row by row like XGBoost's hist
 * method: every row carries one code per feature group (see feature-groups.ts), stored row-major
 * with the group's offset in a joint histogram already added, so a row costs one index load, one
 * gradient pair and one update per group. Up to four groups go in one pass reading the gradients
 * straight from their rows; with more groups the node's gradients are first gathered in node order.
 * The joint histogram is then summed into the per-feature layout that split finding reads.
 *
 * The kernels load everything a row needs before their first store: V8 re-checks a typed array
 * after any typed-array store, so interleaving loads with stores costs about a quarter more.
 */
export class HistogramBuilder {
  private readonly groups: FeatureGroup[];
  /** codes[r * width + k]: the joint slot of row r in group k. */
  private readonly codes: Uint16Array | Uint32Array;
  private readonly width: number;
  private readonly jointBase: Int32Array;
  private readonly joint: Float64Array;
  private readonly ordered: Float32Array;
  private readonly listed: Uint8Array;

  constructor(
    private readonly layout: HistogramLayout,
    columns: readonly Uint8Array[],
    rows: number,
  ) {
    this.groups = groupFeatures(layout);
    this.width = this.groups.length;
    this.jointBase = new Int32Array(this.width);
    let jointSlots = 0;
    this.groups.forEach((g, k) => {
      this.jointBase[k] = jointSlots;
      jointSlots += g.slots;
    });
    this.joint = new Float64Array(jointSlots * 3);
    this.codes = jointSlots <= 0x10000 ? new Uint16Array(rows * this.width) : new Uint32Array(rows * this.width);
    this.groups.forEach((g, k) => {
      for (let r = 0, at = k; r < rows; r++, at += this.width) {
        let code = this.jointBase[k];
        for (let j = 0; j < g.members.length; j++) code += columns[g.members[j]][r] * g.strides[j];
        this.codes[at] = code;
      }
    });
    this.ordered = new Float32Array(this.width > 4 ? 2 * rows : 0);
    this.listed = new Uint8Array(columns.length);
  }

  /**
   * Fills `hist` for at least the features listed in features[0..nFeatures); slots of features not
   * listed may be filled too (they are never read).
   */
  build(hist: Float64Array, features: Int32Array, nFeatures: number, rowIndex: Uint32Array, start: number, end: number, gradPairs: Float32Array): void {
    const { joint, codes, width } = this;
    const n = end - start;
    const rows = rowIndex.subarray(start, end);
    joint.fill(0);
    if (width <= 4) {
      accumulateRows(joint, codes, width, 0, width, rows, n, gradPairs, true);
    } else {
      gatherPairs(rows, n, gradPairs, this.ordered);
      for (let k = 0; k < width; k += 4) accumulateRows(joint, codes, width, k, Math.min(4, width - k), rows, n, this.ordered, false);
    }
    const { offset, slots } = this.layout;
    const listed = this.listed;
    listed.fill(0);
    for (let k = 0; k < nFeatures; k++) listed[features[k]] = 1;
    this.groups.forEach((group, k) => {
      if (!group.members.some((f) => listed[f] === 1)) return;
      for (const f of group.members) hist.fill(0, offset[f], offset[f] + slots[f] * 3);
      spreadJoint(joint, this.jointBase[k], group, hist);
    });
  }
}

/** Adds a group's joint histogram into each member's (zeroed) slots. */
function spreadJoint(joint: Float64Array, base: number, group: FeatureGroup, hist: Float64Array): void {
  const k = group.members.length;
  const memberSlot = group.memberSlot;
  if (k === 1) {
    hist.set(joint.subarray(base * 3, (base + group.slots) * 3), memberSlot[0]);
    return;
  }
  for (let c = 0; c < group.slots; c++) {
    const at = (base + c) * 3;
    const count = joint[at + 2];
    if (count === 0) continue;
    const g = joint[at];
    const h = joint[at + 1];
    for (let j = 0; j < k; j++) {
      const s = memberSlot[c * k + j];
      hist[s] += g;
      hist[s + 1] += h;
      hist[s + 2] += count;
    }
  }
}

/**
 * Adds rows to the joint histogram for `count` (1..4) groups starting at group `first`. The
 * gradients are read at pairs[2r] (`byRow`, straight from the rows) or pairs[2i] (gathered).
 */
function accumulateRows(
  joint: Float64Array,
  codes: Uint16Array | Uint32Array,
  width: number,
  first: number,
  count: number,
  rows: Uint32Array,
  n: number,
  pairs: Float32Array,
  byRow: boolean,
): void {
  if (count === 1) accumulate1(joint, codes, width, first, rows, n, pairs, byRow);
  else if (count === 2) accumulate2(joint, codes, width, first, rows, n, pairs, byRow);
  else if (count === 3) accumulate3(joint, codes, width, first, rows, n, pairs, byRow);
  else accumulate4(joint, codes, width, first, rows, n, pairs, byRow);
}

function accumulate1(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Float32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[r * width + first] * 3;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sa + 2] += 1;
  }
}

function accumulate2(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Float32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 3;
    const sb = codes[at + 1] * 3;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sa + 2] += 1;
    joint[sb] += g;
    joint[sb + 1] += h;
    joint[sb + 2] += 1;
  }
}

function accumulate3(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Float32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 3;
    const sb = codes[at + 1] * 3;
    const sc = codes[at + 2] * 3;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sa + 2] += 1;
    joint[sb] += g;
    joint[sb + 1] += h;
    joint[sb + 2] += 1;
    joint[sc] += g;
    joint[sc + 1] += h;
    joint[sc + 2] += 1;
  }
}

function accumulate4(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Float32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 3;
    const sb = codes[at + 1] * 3;
    const sc = codes[at + 2] * 3;
    const sd = codes[at + 3] * 3;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sa + 2] += 1;
    joint[sb] += g;
    joint[sb + 1] += h;
    joint[sb + 2] += 1;
    joint[sc] += g;
    joint[sc + 1] += h;
    joint[sc + 2] += 1;
    joint[sd] += g;
    joint[sd + 1] += h;
    joint[sd + 2] += 1;
  }
}

function gatherPairs(rows: Uint32Array, n: number, gradPairs: Float32Array, ordered: Float32Array): void {
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const r2 = rows[i] * 2;
    const g = gradPairs[r2];
    const h = gradPairs[r2 + 1];
    ordered[j] = g;
    ordered[j + 1] = h;
  }
}

/** parent -= child over the listed features: the parent's histogram becomes the sibling's. */
export function subtractHistogram(parent: Float64Array, child: Float64Array, layout: HistogramLayout, features: Int32Array, nFeatures: number): void {
  for (let k = 0; k < nFeatures; k++) {
    const f = features[k];
    const base = layout.offset[f];
    const end = base + layout.slots[f] * 3;
    for (let s = base; s < end; s++) parent[s] -= child[s];
  }
}
