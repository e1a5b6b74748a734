/**
 * Min/max peaks of a sample stream in bounded memory: samples fold into fixed blocks as they
 * arrive (two floats per block, never the samples), and the blocks fold into the requested
 * buckets at the end, when the true length is known.
 */

/** Per bucket the lowest and highest sample. */
export interface Peaks {
  min: Float32Array;
  max: Float32Array;
}

/** Folds a stream of samples into per-block peaks, then into buckets. */
export class PeakAccumulator {
  private mins = new Float32Array(1024);
  private maxs = new Float32Array(1024);
  private blocks = 0;
  private inBlock = 0;
  private total = 0;

  constructor(private readonly blockSize: number) {
    if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize: expected a positive integer, got ${blockSize}`);
  }

  /** Samples seen so far. */
  get sampleCount(): number {
    return this.total;
  }

  /** Adds samples. */
  push(samples: Float32Array): void {
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i];
      if (this.inBlock === 0) this.openBlock(s);
      else {
        const b = this.blocks - 1;
        if (s < this.mins[b]) this.mins[b] = s;
        if (s > this.maxs[b]) this.maxs[b] = s;
      }
      if (++this.inBlock === this.blockSize) this.inBlock = 0;
    }
    this.total += samples.length;
  }

  private openBlock(first: number): void {
    if (this.blocks === this.mins.length) {
      this.mins = grow(this.mins);
      this.maxs = grow(this.maxs);
    }
    this.mins[this.blocks] = first;
    this.maxs[this.blocks] = first;
    this.blocks++;
  }

  /** The peaks in `buckets` equal spans of the stream; all zero when no sample came. */
  finish(buckets: number): Peaks {
    const min = new Float32Array(buckets);
    const max = new Float32Array(buckets);
    const n = this.blocks;
    if (n === 0) return { min, max };
    for (let b = 0; b < buckets; b++) {
      const start = Math.min(n - 1, Math.floor((b * n) / buckets));
      const end = Math.max(start + 1, Math.min(n, Math.floor(((b + 1) * n) / buckets)));
      let lo = this.mins[start];
      let hi = this.maxs[start];
      for (let k = start + 1; k < end; k++) {
        if (this.mins[k] < lo) lo = this.mins[k];
        if (this.maxs[k] > hi) hi = this.maxs[k];
      }
      min[b] = lo;
      max[b] = hi;
    }
    return { min, max };
  }
}

function grow(a: Float32Array<ArrayBuffer>): Float32Array<ArrayBuffer> {
  const bigger = new Float32Array(a.length * 2);
  bigger.set(a);
  return bigger;
}
