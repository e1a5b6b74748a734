/**
 * Parts of the decode (restoration, fusion) kept across calls whose inputs are the very same
 * tensors: inference under mask edits. An edit of one modality leaves the other two modalities'
 * H~spec unchanged, and with them their specific restoration (Hhat_spec, gate_spec, Hspec_fused)
 * and the two cross-modal blocks between them; the memo hands those back instead of recomputing
 * them. Keys name the input tensors by id (tfjs never reuses an id), so a hit is exact: the same
 * ops on the same tensors. Entries are kept tensors, disposed when evicted or by dispose().
 */
import * as tf from '@tensorflow/tfjs-core';

/**
 * Three decodes' entries (3 specific restorations + 6 cross-modal blocks each): an edit reuses
 * what the previous decode made, the rest is slack for masks coming back.
 */
const DEFAULT_CAPACITY = 27;

export class DecodeMemo {
  private readonly kept = new Map<string, tf.Tensor[]>();
  private hitCount = 0;
  private missCount = 0;

  constructor(private readonly capacity = DEFAULT_CAPACITY) {
    if (capacity < 9) throw new RangeError('DecodeMemo: capacity must hold one decode (9 entries)');
  }

  /**
   * The tensors kept under `key`, or `compute()`'s, kept from now on. The least recently used
   * entries go first; one decode touches at most 9, so none it uses is evicted under it.
   */
  take<T extends tf.Tensor[]>(key: string, compute: () => T): T {
    const hit = this.kept.get(key);
    if (hit) {
      this.hitCount++;
      this.kept.delete(key);
      this.kept.set(key, hit);
      return hit as T;
    }
    this.missCount++;
    const out = compute();
    for (const t of out) tf.keep(t);
    this.kept.set(key, out);
    for (const [old, tensors] of this.kept) {
      if (this.kept.size <= this.capacity) break;
      this.kept.delete(old);
      tf.dispose(tensors);
    }
    return out;
  }

  /** Hits and misses so far, and the entries held. */
  get stats(): { hits: number; misses: number; entries: number } {
    return { hits: this.hitCount, misses: this.missCount, entries: this.kept.size };
  }

  /** Frees every kept tensor. */
  dispose(): void {
    for (const tensors of this.kept.values()) tf.dispose(tensors);
    this.kept.clear();
  }
}
