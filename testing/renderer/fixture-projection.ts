/** A small FeatureProjection for the feature-space unit tests: `n` clips, both feature kinds. */
import type { FeatureProjection } from '#contract/training-methods';

/** Points in the contract's order (kind -> modality -> clip); clip c is split index 10 + c. */
export function fixtureProjection(n: number): FeatureProjection {
  const total = 2 * 3 * n;
  const kind = new Uint8Array(total);
  const modality = new Uint8Array(total);
  const clip = new Int32Array(total);
  const label = new Float32Array(total);
  for (let p = 0; p < total; p++) {
    kind[p] = Math.floor(p / (3 * n));
    modality[p] = Math.floor(p / n) % 3;
    clip[p] = 10 + (p % n);
    label[p] = (p % n) - 1;
  }
  return {
    checkpoint: '/m.safetensors', split: 'test', method: 'pca', features: 'both',
    x: Float32Array.from({ length: total }, (_, i) => i), y: Float32Array.from({ length: total }, (_, i) => -i),
    modality, kind, clip, label,
    clips: Int32Array.from({ length: n }, (_, c) => 10 + c), clipIds: Array.from({ length: n }, (_, c) => `clip-${10 + c}`),
    explained: [0.4, 0.2], scores: { specificByModality: 0.6, commonByClip: 0.3, commonByModality: -0.05, clips: n },
  };
}
