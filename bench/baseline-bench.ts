/**
 * The baselines' speed and memory: ms per training step (trainer.step: forward, losses,
 * gradients, the optimiser's share) at batch 64 on MOSI-unaligned shapes 768/5/20 x 50/375/500,
 * with realistic clip lengths and with every clip at full length, and the tensors alive after
 * the steps (must not grow). Any registry model (DAR runs its whole step: CLUB + main).
 * Usage: npx tsx bench/baseline-bench.ts --model misa|self-mm|dar [--steps 10 --backend wasm]
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendName } from '#contract/worker-protocol';
import { MODALITIES } from '#contract/dataset';
import { initBackend } from '../src-main/engine/backend';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { modelDefinition } from '../src-main/engine/model/registry';
import type { ModelDefinition } from '../src-main/engine/model/sentiment-model';
import { buildBatch } from '../src-main/engine/train/batcher';
import { trainConfigFor } from '../src-main/engine/train/config';
import { tinyDataset } from '../testing/engine/tiny-dataset';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function timing(def: ModelDefinition, steps: number, fullLength: boolean): Promise<{ ms: number[]; grew: number }> {
  const n = 64;
  const ds = tinyDataset({ n: { train: n, valid: 2, test: 2 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
  const split = ds.splits.train;
  if (fullLength) for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
  const model = def.create(def.configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }), 1);
  const trainer = model.trainer(trainConfigFor(undefined, { batchSize: n }), n);
  const masks = trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
  const indices = Array.from({ length: n }, (_, i) => i);
  const ms: number[] = [];
  let after = 0;
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    await trainer.step({ batch: buildBatch(split, indices, masks), seed: s, lr: 1e-4, epoch: 1 });
    if (s >= 2) ms.push(performance.now() - t0);
    if (s === 1) {
      await trainer.endEpoch?.(1);
      after = tf.memory().numTensors;
    }
  }
  // a trainer may hold a partial gradient group between steps; the epoch's end releases it
  await trainer.endEpoch?.(1);
  const grew = tf.memory().numTensors - after;
  trainer.dispose();
  model.dispose();
  return { ms, grew };
}

async function main(): Promise<void> {
  const name = arg('model', 'misa');
  const def = modelDefinition(name);
  const backend = await initBackend({ prefer: arg('backend', 'wasm') as BackendName });
  const steps = Number(arg('steps', '10'));
  for (const full of [false, true]) {
    const { ms, grew } = await timing(def, steps, full);
    const rss = process.resourceUsage().maxRSS / 1024;
    console.log(`${name} on ${backend.name}, B=64, ${full ? 'full-length clips' : 'realistic lengths'}: ${median(ms).toFixed(0)} ms/step (median of ${ms.length}; min ${Math.min(...ms).toFixed(0)}), tensors grew by ${grew}, peak RSS ${rss.toFixed(0)} MB`);
  }
}

void main();
