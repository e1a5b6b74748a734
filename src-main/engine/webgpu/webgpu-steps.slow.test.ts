import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { PerModality } from '#contract/dataset';
import { initBackend } from '../backend';
import { trainingMasks } from '../data/corruption';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import { explainClip } from '../infer/explain';
import { DarModel } from '../model/dar-model';
import { disposeInputs, toModelInputs } from '../model/inputs/inputs';
import { buildBatch } from '../train/batcher';
import { modelConfigFor } from '../train/config';
import { createAdam, createAdamW } from '../train/optimizer';
import { trainStep, type StepContext } from '../train/steps';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { relativeDiff, webgpuUnavailable } from '../../../testing/engine/webgpu-available';
import { releaseWebGpu } from './webgpu-rung';

// The step and tensor-count checks the engine's unit tests make on the default backend, held on
// the webgpu rung (here the software adapter: tiny shapes, its timings mean nothing), and a guard
// on the kernels tfjs-backend-webgpu 4.22 implements with a synchronous read.
const unavailable = await webgpuUnavailable();
if (unavailable) console.warn(`webgpu step tests skipped: ${unavailable}`);

/**
 * Kernels whose tfjs-backend-webgpu 4.22 implementation calls backend.readSync, which throws in
 * Node and gives zeros in Chromium when the data is on the GPU. A real GPU read: Tile on rank >= 5
 * (and TensorScatterUpdate, which tiles), SparseSegmentSum/Mean (their segment ids),
 * NonMaxSuppressionV3/V5 (boxes and scores). StridedSlice, GatherNd and TopK read only on their
 * CPU-forwarding path (small inputs not yet uploaded), where the values are still on the CPU; they
 * are listed anyway, so that whether a path is safe never hangs on a tensor's size or history.
 */
const SYNC_READ_KERNELS = ['Tile', 'StridedSlice', 'GatherNd', 'TopK', 'TensorScatterUpdate', 'SparseSegmentSum', 'SparseSegmentMean', 'NonMaxSuppressionV3', 'NonMaxSuppressionV5'];

const ds = tinyDataset({ n: { train: 6, valid: 2, test: 4 }, dims: { l: 10, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 }, seed: 4 });
const config = modelConfigFor(ds, { d: 8, t: 4, heads: 2, dropout: 0.1 });
const weights = await new DarModel(config, 5).params.exportWeights();
const masks = trainingMasks(ds.splits.train, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
const batch = buildBatch(ds.splits.train, [0, 1, 2, 3, 4, 5], masks);

function context(): StepContext {
  const model = new DarModel(config, 1);
  model.params.importWeights(weights);
  return { model, config, ablations: [], useClub: true, main: createAdamW(model.params.group('main'), 1e-2, 1e-4), club: createAdam(model.params.group('club'), 1e-2), clipNorm: 2 };
}

function disposeContext(ctx: StepContext): void {
  ctx.main.dispose();
  ctx.club.dispose();
  ctx.model.dispose();
}

/** Runs `steps` training steps on `backend`; the loss terms of the first and the tensor count after each. */
async function stepsOn(backend: 'wasm' | 'webgpu', steps: number): Promise<{ first: Record<string, number>; counts: number[]; before: number }> {
  await initBackend({ prefer: backend });
  const before = tf.memory().numTensors;
  const ctx = context();
  const labels = tf.tensor1d(batch.labels!);
  const counts: number[] = [];
  let first: Record<string, number> = {};
  try {
    for (let s = 0; s < steps; s++) {
      const inputs = toModelInputs(batch, config);
      const { terms } = await trainStep(ctx, inputs, labels, s, 1e-2, 1e-2);
      disposeInputs(inputs);
      if (s === 0) first = { ...terms };
      counts.push(tf.memory().numTensors);
    }
  } finally {
    labels.dispose();
    disposeContext(ctx);
  }
  expect(tf.memory().numTensors, `${backend}: tensors left after the steps and disposal`).toBe(before);
  return { first, counts, before };
}

/** The kernel names dispatched while `fn` runs (every op and every gradient goes through engine.runKernel). */
async function kernelsDuring(fn: () => Promise<unknown>): Promise<Set<string>> {
  const engine = tf.engine();
  const runKernel = engine.runKernel;
  const seen = new Set<string>();
  engine.runKernel = function (this: typeof engine, name: string, ...rest: unknown[]) {
    seen.add(name);
    return (runKernel as (...a: unknown[]) => unknown).call(this, name, ...rest);
  } as typeof runKernel;
  try {
    await fn();
  } finally {
    engine.runKernel = runKernel;
  }
  return seen;
}

describe.skipIf(unavailable !== null)('training steps on the webgpu rung', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
    releaseWebGpu();
  });

  it('keeps the tensor count flat across steps, and its first step gives the losses WebAssembly gives', async () => {
    const want = await stepsOn('wasm', 1);
    const got = await stepsOn('webgpu', 3);
    // Step 0 allocates the optimizers' moments; every later step leaves the count where it was.
    expect(got.counts[1], `tensor counts after each step: ${got.counts.join(', ')}`).toBe(got.counts[0]);
    expect(got.counts[2]).toBe(got.counts[0]);
    expect(Object.keys(got.first).sort()).toEqual(Object.keys(want.first).sort());
    const diffs = Object.keys(want.first).map((k): [string, number] => [k, relativeDiff([got.first[k]], [want.first[k]])]);
    console.info(`webgpu vs wasm, first step's loss terms: max relative difference ${Math.max(...diffs.map((d) => d[1])).toExponential(2)}; tensor counts ${got.counts.join(', ')} (from ${got.before})`);
    for (const [k, d] of diffs) {
      expect(Number.isFinite(got.first[k]), `term ${k} = ${got.first[k]}`).toBe(true);
      expect(d, `term ${k}`).toBeLessThan(1e-4);
    }
  }, 90_000);

  it('explains a clip without leaking a tensor', async () => {
    await initBackend({ prefer: 'webgpu' });
    const model = new DarModel(config, 1);
    model.params.importWeights(weights);
    const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
    const half: PerModality<Uint8Array> = { l: new Uint8Array(7), a: new Uint8Array(9).fill(1, 0, 5), v: new Uint8Array(11) };
    const before = tf.memory().numTensors;
    await explainClip(model, split, 1, half);
    const e = await explainClip(model, split, 2, half);
    expect(tf.memory().numTensors).toBe(before);
    expect(Number.isFinite(e.masked.yHat) && Number.isFinite(e.complete.yHat)).toBe(true);
    model.dispose();
  }, 20_000);

  it('dispatches no kernel that reads synchronously on WebGPU, in a training step or an explain', async () => {
    await initBackend({ prefer: 'webgpu' });
    const ctx = context();
    const labels = tf.tensor1d(batch.labels!);
    const inputs = toModelInputs(batch, config);
    const split = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
    const half: PerModality<Uint8Array> = { l: new Uint8Array(7).fill(1, 2, 5), a: new Uint8Array(9), v: new Uint8Array(11).fill(1) };
    try {
      const step = await kernelsDuring(() => trainStep(ctx, inputs, labels, 0, 1e-2, 1e-2));
      const explain = await kernelsDuring(() => explainClip(ctx.model, split, 1, half));
      console.info(`kernels dispatched on webgpu: ${step.size} in a training step, ${explain.size} in an explain`);
      // The wrapper saw the step's forward, backward and optimizer kernels (a broken wrap would see none).
      for (const k of ['BatchMatMul', 'Softmax', 'UnsortedSegmentSum']) expect(step.has(k) || explain.has(k), k).toBe(true);
      expect(SYNC_READ_KERNELS.filter((k) => step.has(k)), 'sync-read kernels in a training step').toEqual([]);
      expect(SYNC_READ_KERNELS.filter((k) => explain.has(k)), 'sync-read kernels in an explain').toEqual([]);
    } finally {
      labels.dispose();
      disposeInputs(inputs);
      disposeContext(ctx);
    }
  }, 25_000);
});
