/**
 * `npx tsx bench/lnln-bench.ts [--backend wasm --steps 5 --batch 64 --full]`: LNLN's ms per
 * training step at MOSI-unaligned shapes (768/5/20 x 50/375/500, the public config's sizes), and
 * tf.memory().numTensors after each step (must stay flat). LNLN pads every batch back to the full
 * lengths (it attends over padding), so realistic and full lengths cost the same.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MODALITIES } from '#contract/dataset';
import type { BackendName } from '#contract/worker-protocol';
import { initBackend } from '../src-main/engine/backend';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { lnlnConfigFor } from '../src-main/engine/model/baselines/lnln/lnln-config';
import { LnlnModel } from '../src-main/engine/model/baselines/lnln/lnln-model';
import { buildBatch } from '../src-main/engine/train/batcher';
import { trainConfigFor } from '../src-main/engine/train/config';
import { tinyDataset } from '../testing/engine/tiny-dataset';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const backend = await initBackend({ prefer: arg('backend', 'wasm') as BackendName });
const steps = Number(arg('steps', '5'));
const n = Number(arg('batch', '64'));
const ds = tinyDataset({ n: { train: n, valid: 2, test: 2 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
const split = ds.splits.train;
if (process.argv.includes('--full')) for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
const model = new LnlnModel(lnlnConfigFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }), 1);
const trainer = model.trainer(trainConfigFor(undefined, { lr: 1e-4 }));
const masks = trainingMasks(split, { k: { l: 1, a: 1, v: 1 }, mode: 'lnln' }, 1, 0);
const batch = buildBatch(split, Array.from({ length: n }, (_, i) => i), masks);
console.log(`LNLN on ${backend.name}, B=${n}, ${model.params.count()} weights`);
const ms: number[] = [];
const tensors: number[] = [];
for (let s = 0; s < steps + 1; s++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const r = await trainer.step({ batch, seed: s, lr: 1e-4, epoch: 0 });
  const dt = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  if (s > 0) ms.push(dt);
  tensors.push(tf.memory().numTensors);
  // On a shared machine wall time says little; the process's own CPU time says what it needed.
  console.log(`step ${s}${s === 0 ? ' (warm-up)' : ''}: ${dt.toFixed(0)} ms (CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms), total ${r.terms.total.toFixed(4)}, numTensors ${tf.memory().numTensors}, rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
}
const sorted = [...ms].sort((a, b) => a - b);
console.log(`median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms/step; numTensors ${tensors.join(' ')}; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
trainer.dispose();
model.dispose();
