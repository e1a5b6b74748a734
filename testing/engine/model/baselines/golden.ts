/**
 * Reads the baselines' PyTorch goldens (scripts/reference/misa_torch.py, self_mm_torch.py):
 * weights under engine names, tiny batches in the engine's layout, and what the reference
 * computed on them. Also reruns a reference script when Python and torch are present.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Modality } from '#contract/dataset';
import type { ModelBatch } from '../../../../src-main/engine/model/batch';
import type { WeightData } from '../../../../src-main/engine/model/params';

/** A numpy array as the reference writes it. */
export interface JsonArray {
  shape: number[];
  data: number[];
}

/** One modality of a golden batch. */
export interface GoldenModality {
  complete: JsonArray;
  corrupted: JsonArray;
  mask: JsonArray;
  lengths: JsonArray;
  t: number;
  d: number;
}

/** The fields every baseline golden has. */
export interface GoldenBase {
  config: Record<string, number>;
  dims: Record<Modality, number>;
  seq: Record<Modality, number>;
  labels: JsonArray;
  weights: Record<string, JsonArray>;
}

/** The reference's interpreter: DAR_TORCH_PYTHON or the system one (which has python3-torch). */
export const PYTHON = process.env.DAR_TORCH_PYTHON ?? '/usr/bin/python3';

/** True when the reference scripts can run here. */
export const hasTorch = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore' }).status === 0;

/** Parses a golden JSON file. */
export function readGolden<T extends GoldenBase>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** Runs scripts/reference/<script> writing to `out`, and reads what it wrote. */
export function rerunReference<T extends GoldenBase>(script: string, out: string): T {
  const dir = join(import.meta.dirname, '../../../../scripts/reference');
  const r = spawnSync(PYTHON, [join(dir, script), out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script} failed: ${r.stderr}`);
  return readGolden<T>(out);
}

/** Weights as ParamStore.importWeights takes them. */
export function goldenWeights(g: GoldenBase): Map<string, WeightData> {
  return new Map(Object.entries(g.weights).map(([k, w]) => [k, { shape: w.shape, data: Float32Array.from(w.data) }]));
}

/** A golden batch as the engine's ModelBatch. */
export function goldenBatch(batch: Record<Modality, GoldenModality>, labels: JsonArray, indices?: number[]): ModelBatch {
  const mod = (m: GoldenModality) => ({
    complete: Float32Array.from(m.complete.data),
    corrupted: Float32Array.from(m.corrupted.data),
    t: m.t,
    d: m.d,
    lengths: Int32Array.from(m.lengths.data),
    masks: Uint8Array.from(m.mask.data),
  });
  const size = labels.data.length;
  return {
    size,
    modalities: { l: mod(batch.l), a: mod(batch.a), v: mod(batch.v) },
    labels: Float32Array.from(labels.data),
    indices: Int32Array.from(indices ?? Array.from({ length: size }, (_, i) => i)),
  };
}

/** Largest |a - b| / max(1, |b|) over two equal-length lists. */
export function maxRelErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  return worst;
}
