import { GrowableArray } from './growable-array';

/**
 * Integer text that reads back as itself: no sign but "-", no leading zero, at most 15 digits (so
 * exact as a double). Two such texts are equal exactly when their numbers are, so they can be kept
 * as numbers; any other id text is kept as text.
 */
const CANONICAL_INTEGER = /^(?:0|-?[1-9]\d{0,14})$/;

/**
 * The ids of the rows a read keeps, in order, and the duplicate-id check. Canonical integer ids (the
 * usual case) are numbers: while each is larger than the one before (a file sorted by id), none can
 * repeat and nothing else is kept; from the first that is not, they are found again through an
 * open-addressing table of kept-row indices (4 bytes a slot, at most half full). Other ids are text
 * in Maps. A 10M-row file of integer ids so costs 80 MB here (sorted) to ~210 MB, not a Map of ten
 * million strings.
 */
export class KeptIds {
  private readonly numbers = new GrowableArray(Float64Array);
  /** Kept-row index + 1 per slot, 0 for empty; null while the numeric ids are increasing. */
  private table: Uint32Array | null = null;
  private count = 0;
  private last = -Infinity;
  private readonly textAt = new Map<number, string>();
  private readonly textFirst = new Map<string, number>();

  /** `lines`: the line of each kept row (read to name the first row of a duplicate id). */
  constructor(private readonly lines: GrowableArray<Uint32Array>) {}

  /**
   * Keeps `id` for the next kept row and returns undefined, or, when an earlier kept row has the same
   * id, keeps nothing and returns the line of that row. The caller pushes the row's line after.
   */
  add(id: string): number | undefined {
    const index = this.numbers.length;
    if (!CANONICAL_INTEGER.test(id)) {
      const first = this.textFirst.get(id);
      if (first !== undefined) return this.lines.get(first);
      this.textFirst.set(id, index);
      this.textAt.set(index, id);
      this.numbers.push(NaN);
      return undefined;
    }
    const key = Number(id);
    if (this.table === null) {
      if (key > this.last) {
        this.last = key;
        this.numbers.push(key);
        return undefined;
      }
      this.index(index);
    }
    const table = this.table as Uint32Array;
    const mask = table.length - 1;
    for (let slot = hash(key) & mask; ; slot = (slot + 1) & mask) {
      const at = table[slot];
      if (at === 0) {
        table[slot] = index + 1;
        this.numbers.push(key);
        if (++this.count * 2 > table.length) this.grow();
        return undefined;
      }
      if (this.numbers.get(at - 1) === key) return this.lines.get(at - 1);
    }
  }

  /** Builds the table of the first `kept` numeric ids (distinct: they were increasing). */
  private index(kept: number): void {
    let size = 1 << 12;
    while (size < kept * 2 + 2) size *= 2;
    this.table = new Uint32Array(size);
    const mask = size - 1;
    for (let i = 0; i < kept; i++) {
      const key = this.numbers.get(i);
      if (key !== key) continue; // a text id
      let slot = hash(key) & mask;
      while (this.table[slot] !== 0) slot = (slot + 1) & mask;
      this.table[slot] = i + 1;
      this.count++;
    }
  }

  /** The kept ids: numbers[i] for kept row i, NaN where the id is text, then in texts. */
  finish(): KeptIdValues {
    return { numbers: this.numbers.finish(), texts: this.textAt };
  }

  private grow(): void {
    const old = this.table as Uint32Array;
    const table = new Uint32Array(old.length * 2);
    const mask = table.length - 1;
    for (const at of old) {
      if (at === 0) continue;
      let slot = hash(this.numbers.get(at - 1)) & mask;
      while (table[slot] !== 0) slot = (slot + 1) & mask;
      table[slot] = at;
    }
    this.table = table;
  }
}

export interface KeptIdValues {
  numbers: Float64Array;
  texts: ReadonlyMap<number, string>;
}

/** The id text of kept row i. */
export function idText(ids: KeptIdValues, i: number): string {
  return ids.texts.get(i) ?? String(ids.numbers[i]);
}

function hash(key: number): number {
  const low = key >>> 0;
  const high = Math.floor(key / 4294967296) | 0;
  const h = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1);
  return (h ^ (h >>> 16)) >>> 0;
}
