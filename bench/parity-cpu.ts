/**
 * CPU time (not wall time) of one engine training step at the bench's configuration (batch 64,
 * MOSI-unaligned full lengths, d 128, t 16, CLUB + main step): on a loaded shared machine wall
 * time measures the queue, CPU time of the single-threaded WASM backend measures the work, and
 * compares with PyTorch's 1-thread CPU time (dar_torch.py bench --threads 1).
 * Usage: npx tsx bench/parity-cpu.ts [--steps 10]
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src-main/engine/backend';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { DarModel } from '../src-main/engine/model/dar-model';
import { disposeInputs, toModelInputs } from '../src-main/engine/model/inputs/inputs';
import { tinyDataset } from '../testing/engine/tiny-dataset';
import { buildBatch } from '../src-main/engine/train/batcher';
import { modelConfigFor } from '../src-main/engine/train/config';
import { createAdam, createAdamW } from '../src-main/engine/train/optimizer';
import { trainStep } from '../src-main/engine/train/steps';
import type { StepContext } from '../src-main/engine/train/steps';
import { MODALITIES } from '#contract/dataset';

const i = process.argv.indexOf('--steps');
const steps = i >= 0 ? Number(process.argv[i + 1]) : 10;
const info = await initBackend({ prefer: 'wasm' });
const ds = tinyDataset({ n: { train: 64, valid: 2, test: 2 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
const split = ds.splits.train;
for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
const config = modelConfigFor(ds);
const model = new DarModel(config, 1);
const ctx: StepContext = {
  model, config, ablations: [], useClub: true,
  main: createAdamW(model.params.group('main'), 1e-4, 1e-4), club: createAdam(model.params.group('club'), 1e-4), clipNorm: 2,
};
const masks = trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
const indices = Array.from({ length: 64 }, (_, j) => j);
const cpu: number[] = [];
const wall: number[] = [];
for (let s = 0; s < steps + 2; s++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const batch = buildBatch(split, indices, masks);
  const inputs = toModelInputs(batch, config);
  const labels = tf.tensor1d(batch.labels!);
  await trainStep(ctx, inputs, labels, s, 1e-4, 1e-4);
  labels.dispose();
  disposeInputs(inputs);
  const c = process.cpuUsage(c0);
  if (s >= 2) {
    cpu.push((c.user + c.system) / 1000);
    wall.push(performance.now() - t0);
  }
}
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`${info.label}: CPU time ${median(cpu).toFixed(0)} ms/step, wall ${median(wall).toFixed(0)} ms/step (medians of ${cpu.length})`);
