/**
 * The fixed random projections that turn the demo corpus's latent factors into feature frames:
 * per modality two orthonormal signal directions (shared factor, specific factor) and a
 * nuisance matrix; for text also the word embeddings and the [CLS]/[SEP] vectors.
 */
import type { Modality, PerModality } from '#contract/dataset';
import { createRng } from '../../src-main/engine/rng';
import type { Rng } from '../../src-main/engine/rng';
import { DEMO_DIMS, NUISANCE_DIMS } from './demo-model';

/** Random-stream ids under the corpus seed; every purpose draws from its own stream. */
export const DEMO_STREAMS = { projection: 1, video: 2, clip: 3, word: 4, features: 5, layout: 6 } as const;

/** How one modality's frames are made from factors and nuisance. */
export interface ModalityProjection {
  /** Feature dims that carry factors and nuisance (audio leaves dim 0 to the energy). */
  offset: number;
  width: number;
  /** Unit direction of the shared factor c, `width` values. */
  shared: Float64Array;
  /** Unit direction of the modality's own factor, orthogonal to `shared`. */
  specific: Float64Array;
  /** Nuisance loadings, [width, NUISANCE_DIMS[m]] row-major. */
  nuisance: Float64Array;
}

/** All projections of one corpus seed. */
export interface DemoProjections {
  seed: number;
  modality: PerModality<ModalityProjection>;
  cls: Float32Array;
  sep: Float32Array;
  /** The embedding of a word (the same word always gives the same vector). */
  word(word: string): Float32Array;
}

const MODALITY_INDEX: Record<Modality, number> = { l: 0, a: 1, v: 2 };

function unitVector(rng: Rng, n: number, orthogonalTo?: Float64Array): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  if (orthogonalTo) {
    let dot = 0;
    for (let i = 0; i < n; i++) dot += x[i] * orthogonalTo[i];
    for (let i = 0; i < n; i++) x[i] -= dot * orthogonalTo[i];
  }
  let norm = 0;
  for (let i = 0; i < n; i++) norm += x[i] * x[i];
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) x[i] /= norm;
  return x;
}

function projectionFor(seed: number, m: Modality): ModalityProjection {
  const rng = createRng(seed, DEMO_STREAMS.projection, MODALITY_INDEX[m]);
  const offset = m === 'a' ? 1 : 0;
  const width = DEMO_DIMS[m] - offset;
  const shared = unitVector(rng, width);
  const specific = unitVector(rng, width, shared);
  const k = NUISANCE_DIMS[m];
  const nuisance = new Float64Array(width * k);
  // Loadings of size 1/sqrt(k) keep each nuisance dim's variance near 1 per feature.
  for (let i = 0; i < nuisance.length; i++) nuisance[i] = rng.normal() / Math.sqrt(k);
  return { offset, width, shared, specific, nuisance };
}

/** FNV-1a of a word, so its embedding stream does not depend on the vocabulary's order. */
function wordHash(word: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < word.length; i++) h = Math.imul(h ^ word.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function gaussianVector(rng: Rng, n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  return x;
}

/** Builds (and caches word embeddings of) the projections for a corpus seed. */
export function makeDemoProjections(seed: number): DemoProjections {
  const special = createRng(seed, DEMO_STREAMS.projection, 3);
  const cls = gaussianVector(special, DEMO_DIMS.l);
  const sep = gaussianVector(special, DEMO_DIMS.l);
  const cache = new Map<string, Float32Array>();
  const word = (w: string): Float32Array => {
    let e = cache.get(w);
    if (!e) {
      e = gaussianVector(createRng(seed, DEMO_STREAMS.word, wordHash(w)), DEMO_DIMS.l);
      cache.set(w, e);
    }
    return e;
  };
  const modality = { l: projectionFor(seed, 'l'), a: projectionFor(seed, 'a'), v: projectionFor(seed, 'v') };
  return { seed, modality, cls, sep, word };
}
