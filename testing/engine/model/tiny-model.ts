/** Small configs and random batches for the model's tests and benchmarks (not used by the product). */
import type { Modality, PerModality } from '#contract/dataset';
import type { DarConfig } from '#contract/model';
import { createRng } from '../../../src-main/engine/rng';
import type { BatchModality, ModelBatch } from '../../../src-main/engine/model/batch';

/** A tiny DAR config: d 8, t 4, heads 2, dims 6/3/4, padded lengths 7/9/11, dropout 0. */
export function tinyConfig(over: Partial<DarConfig> = {}): DarConfig {
  return {
    d: 8,
    t: 4,
    heads: 2,
    dropout: 0,
    inputDims: { l: 6, a: 3, v: 4 },
    seqLen: { l: 7, a: 9, v: 11 },
    lambda: 0.7,
    alpha: 0.1,
    beta: 0.1,
    tau: 0.1,
    ...over,
  };
}

/** Options of randomBatch. */
export interface RandomBatchOptions {
  /** Valid lengths per modality (default: random in 1..T). */
  lengths?: Partial<PerModality<number[]>>;
  /** Missing rate of the corrupted branch [0.3]; 'shared' passes the complete array itself. */
  rate?: number | 'shared';
  seed?: number;
}

/** A random batch of `size` clips: N(0,1) valid frames, zero padding, Bernoulli masks. */
export function randomBatch(config: DarConfig, size: number, opts: RandomBatchOptions = {}): ModelBatch {
  const rng = createRng(opts.seed ?? 7, 99);
  const rate = opts.rate ?? 0.3;
  const modality = (m: Modality): BatchModality => {
    const T = config.seqLen[m];
    const d = config.inputDims[m];
    const given = opts.lengths?.[m];
    const lengths = Int32Array.from({ length: size }, (_, b) => given?.[b] ?? 1 + rng.int(T));
    const complete = new Float32Array(size * T * d);
    const masks = new Uint8Array(size * T);
    for (let b = 0; b < size; b++) {
      for (let i = 0; i < lengths[b]; i++) {
        for (let c = 0; c < d; c++) complete[(b * T + i) * d + c] = rng.normal();
        if (rate !== 'shared' && rng.next() < rate) masks[b * T + i] = 1;
      }
    }
    let corrupted = complete;
    if (rate !== 'shared') {
      corrupted = complete.slice();
      masks.forEach((mk, p) => {
        if (mk) corrupted.fill(0, p * d, (p + 1) * d);
      });
    }
    return { complete, corrupted, t: T, d, lengths, masks };
  };
  const labels = Float32Array.from({ length: size }, () => 6 * rng.next() - 3);
  return {
    size,
    modalities: { l: modality('l'), a: modality('a'), v: modality('v') },
    labels,
    indices: Int32Array.from({ length: size }, (_, i) => i),
  };
}
