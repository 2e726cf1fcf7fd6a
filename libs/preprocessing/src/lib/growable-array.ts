type TypedArray = Float64Array | Uint32Array | Uint16Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

const CHUNK = 1 << 16;

/**
 * A typed array of unknown final length, filled by `push`: values go into fixed chunks, and
 * `finish` copies them once into an array of the exact length. A read of a file of unknown row
 * count so holds at most its values twice (never three times, as doubling and trimming would).
 */
export class GrowableArray<T extends TypedArray> {
  private readonly chunks: T[] = [];
  private current: T;
  private at = 0;

  constructor(private readonly make: TypedArrayConstructor<T>) {
    this.current = new make(CHUNK);
  }

  get length(): number {
    return this.chunks.length * CHUNK + this.at;
  }

  /** The i-th value pushed (0 <= i < length). */
  get(i: number): number {
    const chunk = i >>> 16;
    return chunk === this.chunks.length ? this.current[i & (CHUNK - 1)] : this.chunks[chunk][i & (CHUNK - 1)];
  }

  push(value: number): void {
    if (this.at === CHUNK) {
      this.chunks.push(this.current);
      this.current = new this.make(CHUNK);
      this.at = 0;
    }
    this.current[this.at++] = value;
  }

  /** The values pushed so far, in order, in one array; the builder is empty afterwards. */
  finish(): T {
    const out = new this.make(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += CHUNK;
    }
    out.set(this.current.subarray(0, this.at), offset);
    this.chunks.length = 0;
    this.current = new this.make(CHUNK);
    this.at = 0;
    return out;
  }
}
