/**
 * `npm run bench -- --model <kind> [--backends wasm,cpu --steps 10 --batch 64]`: ms per training
 * step and peak RSS of one registered model (DAR or a baseline) through its own ModelTrainer,
 * batch 64, MOSI-unaligned shapes (768/5/20 x 50/375/500, every clip at full length, or with
 * `--lengths realistic` the synthetic clips' own shorter lengths, which the batcher trims to), with
 * the tensor count after the steps (it must not grow). Run one model per process: peak RSS is the
 * process's.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODALITIES } from '#contract/dataset';
import type { ModelKind } from '#contract/model';
import type { BackendName } from '#contract/worker-protocol';
import { initBackend } from '../src-main/engine/backend';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { createModel, modelDefinition } from '../src-main/engine/model/registry';
import { buildBatch } from '../src-main/engine/train/batcher';
import { trainConfigFor } from '../src-main/engine/train/config';
import { tinyDataset } from '../testing/engine/tiny-dataset';

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One model's step timings on the current backend. */
export async function modelStepTiming(kind: ModelKind, steps: number, n: number, full = true): Promise<{ ms: number[]; tensorsGrew: number }> {
  const ds = tinyDataset({ n: { train: n, valid: 2, test: 2 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
  const split = ds.splits.train;
  if (full) for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
  const config = modelDefinition(kind).configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen });
  const model = createModel(kind, config, 1);
  const trainer = model.trainer(trainConfigFor(undefined, { batchSize: n }), n);
  const masks = trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
  const indices = Array.from({ length: n }, (_, i) => i);
  const ms: number[] = [];
  let tensorsAfterWarmup = 0;
  try {
    for (let s = 0; s < steps + 2; s++) {
      const t0 = performance.now();
      await trainer.step({ batch: buildBatch(split, indices, masks), seed: s, lr: 1e-4, epoch: 0 });
      if (s >= 2) ms.push(performance.now() - t0);
      if (s === 1) tensorsAfterWarmup = tf.memory().numTensors;
    }
    return { ms, tensorsGrew: tf.memory().numTensors - tensorsAfterWarmup };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** Prints the model's ms/step, tensors grown and peak RSS on each backend that works here. */
export async function benchModel(kind: ModelKind, backends: BackendName[], steps: number, batch: number, full = true): Promise<void> {
  const label = modelDefinition(kind).label;
  console.log(`# ${label} training step (${new Date().toISOString()}, node ${process.version})`);
  for (const b of backends) {
    try {
      const info = await initBackend({ prefer: b });
      const { ms, tensorsGrew } = await modelStepTiming(kind, steps, batch, full);
      const rss = process.resourceUsage().maxRSS / 1024;
      console.log(`${label} on ${info.label}: ${median(ms).toFixed(0)} ms/step (batch ${batch}, MOSI unaligned, ${full ? 'full length' : 'realistic lengths'}; median of ${ms.length}, min ${Math.min(...ms).toFixed(0)}, max ${Math.max(...ms).toFixed(0)}); tensors grown ${tensorsGrew}; peak RSS ${rss.toFixed(0)} MB`);
    } catch (err) {
      console.log(`${label} on ${b}: not available here (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}
