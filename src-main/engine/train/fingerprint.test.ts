import { describe, it, expect } from 'vitest';
import type { Dataset, Modality, SplitData } from '#contract/dataset';
import { datasetFingerprint, FINGERPRINT_SAMPLES } from './fingerprint';

const DIMS: Record<Modality, number> = { l: 4, a: 3, v: 2 };
const SEQ: Record<Modality, number> = { l: 5, a: 6, v: 7 };

function split(n: number, offset: number): SplitData {
  const seq = (m: Modality) => ({
    data: Float32Array.from({ length: n * SEQ[m] * DIMS[m] }, (_, i) => Math.sin(i + offset)),
    n,
    t: SEQ[m],
    d: DIMS[m],
  });
  return {
    n,
    ids: Array.from({ length: n }, (_, i) => `vid${offset}$_$${i}`),
    labels: Float32Array.from({ length: n }, (_, i) => (i % 7) - 3),
    rawText: Array.from({ length: n }, () => 'text'),
    l: seq('l'),
    a: seq('a'),
    v: seq('v'),
    lengths: { l: new Int32Array(n).fill(5), a: new Int32Array(n).fill(4), v: new Int32Array(n).fill(7) },
  };
}

function dataset(path = '/data/mosi.pkl'): Dataset {
  return {
    info: {
      format: 'mmsa-pickle',
      path,
      name: path.split('/').pop()!,
      dims: DIMS,
      seqLen: SEQ,
      aligned: false,
      nonfinite: { l: 0, a: 0, v: 0 },
      synthetic: false,
      warnings: [],
    },
    splits: { train: split(6, 0), valid: split(3, 100), test: split(3, 200) },
  };
}

describe('datasetFingerprint', () => {
  const base = datasetFingerprint(dataset());

  it('is a sha256 hex digest and deterministic', () => {
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(datasetFingerprint(dataset())).toBe(base);
  });

  it('does not depend on where or how the dataset was stored', () => {
    const moved = dataset('/elsewhere/copy-of-mosi');
    moved.info.format = 'clip-folder';
    moved.info.warnings.push('something');
    expect(datasetFingerprint(moved)).toBe(base);
  });

  it('changes when a label, a feature value, a length, an id or a split changes', () => {
    const edits: ((ds: Dataset) => void)[] = [
      (ds) => (ds.splits.test.labels[2] = 0.4),
      (ds) => (ds.splits.valid.a.data[5] += 1e-3),
      (ds) => (ds.splits.train.lengths.v[0] = 6),
      (ds) => (ds.splits.train.ids[1] = 'other$_$1'),
      (ds) => (ds.splits.valid = ds.splits.test),
    ];
    for (const edit of edits) {
      const ds = dataset();
      edit(ds);
      expect(datasetFingerprint(ds)).not.toBe(base);
    }
  });

  it('samples big feature tensors and still sees a change of a block of values', () => {
    const big = () => {
      const ds = dataset();
      const [n, t, d] = [52, 5, 768];
      ds.splits.train.l = { data: Float32Array.from({ length: n * t * d }, (_, i) => Math.cos(i)), n, t, d };
      return ds;
    };
    const ds = big();
    expect(ds.splits.train.l.data.length).toBeGreaterThan(FINGERPRINT_SAMPLES);
    const one = datasetFingerprint(ds);
    expect(datasetFingerprint(big())).toBe(one);
    ds.splits.train.l.data.fill(7, 0, 400); // covers whole sampling windows, so sampled values change
    expect(datasetFingerprint(ds)).not.toBe(one);
  });
});
