/**
 * Small in-memory datasets for engine tests: random features whose time-means carry the label
 * (so a model can learn it in a few epochs), with valid lengths shorter than the padding.
 */
import type { Dataset, Modality, SeqTensor, SplitData, SplitName } from '#contract/dataset';
import { createRng } from '../../src-main/engine/rng';
import { MODALITIES } from '#contract/dataset';

/** Shape of a tiny dataset. */
export interface TinyShape {
  n: Record<SplitName, number>;
  dims: Record<Modality, number>;
  seqLen: Record<Modality, number>;
  seed?: number;
}


function makeSplit(shape: TinyShape, n: number, stream: number): SplitData {
  const rng = createRng(shape.seed ?? 7, stream);
  const labels = new Float32Array(n);
  const lengths = {} as Record<Modality, Int32Array>;
  const tensors = {} as Record<Modality, SeqTensor>;
  const signal = Array.from({ length: n }, () => rng.next() * 2 - 1);
  for (let i = 0; i < n; i++) labels[i] = Math.max(-3, Math.min(3, 2.5 * signal[i] + 0.2 * rng.normal()));
  for (const m of MODALITIES) {
    const t = shape.seqLen[m];
    const d = shape.dims[m];
    const data = new Float32Array(n * t * d);
    lengths[m] = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const len = Math.max(2, Math.ceil(t * (0.5 + 0.5 * rng.next())));
      lengths[m][i] = len;
      for (let j = 0; j < len; j++) {
        for (let k = 0; k < d; k++) data[(i * t + j) * d + k] = (k % 2 === 0 ? signal[i] : -signal[i]) + 0.5 * rng.normal();
      }
    }
    tensors[m] = { data, n, t, d };
  }
  const ids = Array.from({ length: n }, (_, i) => `vid${stream}$_$${i}`);
  return { n, ids, labels, rawText: ids.map((id) => `clip ${id}`), l: tensors.l, a: tensors.a, v: tensors.v, lengths };
}

/** A tiny three-split dataset. */
export function tinyDataset(shape: TinyShape): Dataset {
  return {
    info: {
      format: 'clip-folder',
      path: '/tmp/tiny',
      name: 'tiny',
      dims: { ...shape.dims },
      seqLen: { ...shape.seqLen },
      aligned: false,
      nonfinite: { l: 0, a: 0, v: 0 },
      synthetic: true,
      warnings: [],
    },
    splits: { train: makeSplit(shape, shape.n.train, 0), valid: makeSplit(shape, shape.n.valid, 1), test: makeSplit(shape, shape.n.test, 2) },
  };
}
