/**
 * `npm run bench`: engine speed and memory, per available backend.
 *   - ms per training step (CLUB step + main step), batch 64, MOSI-unaligned shapes
 *     768/5/20 x 50/375/500, d 128, t 16 (median of >= 10 after warm-up), with every clip at
 *     full length (what a PyTorch loop without trimming computes) and with realistic lengths;
 *   - seconds per epoch on the demo corpus (demo model settings);
 *   - single-clip inference with every intermediate (explainClip), median and p95;
 *   - tensors alive after N steps (must not grow) and peak RSS.
 * Prints figures and the ratio to the target (2 x PyTorch 1.13 CPU, 0.75 s/step here).
 * Also times the PyTorch reference on the same step (bench/parity-torch.ts; skipped with a note when
 * /usr/bin/python3 has no torch) and prints the measured ratio; see docs/parity.md.
 * Usage: npm run bench [-- --backends wasm,cpu --steps 10]
 *    or: npm run bench -- --model dar|misa|self-mm|lnln [--backends wasm --steps 10 --batch 64 --lengths full|realistic]: that model's
 *        ms per training step, tensors grown and peak RSS (bench/model-bench.ts)
 *    or: npm run bench -- --backend webgpu|wasm|... [--steps 10 --batch 64]: that rung's ms per training step
 *        and explain latency beside single-thread WASM's in the same run, and the ratio
 *        (on a software adapter the figures say nothing about a GPU; the run shows it works).
 *    or: npm run bench -- --backend wasm-threads: the desktop's compute page in headless Chromium,
 *        cross-origin isolated, on threaded WASM and on one thread, beside Node's WASM
 *        (bench/compute-page-bench.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { BackendName } from '#contract/worker-protocol';
import { initBackend } from '../src-main/engine/backend';
import { prepareHeadlessGpuEnv } from '../src-main/engine/webgpu/dawn-device';
import { releaseWebGpu } from '../src-main/engine/webgpu/webgpu-rung';
import { openDataset } from '../src-main/engine/data/open-dataset';
import { applyNormaliser, fitNormaliser } from '../src-main/engine/data/normaliser';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { ExplainCache, explainClip } from '../src-main/engine/infer/explain';
import { DarModel } from '../src-main/engine/model/dar-model';
import { disposeInputs, toModelInputs } from '../src-main/engine/model/inputs/inputs';
import { tinyDataset } from '../testing/engine/tiny-dataset';
import { buildBatch } from '../src-main/engine/train/batcher';
import { modelConfigFor, trainConfigFor } from '../src-main/engine/train/config';
import { createAdam, createAdamW } from '../src-main/engine/train/optimizer';
import { trainStep } from '../src-main/engine/train/steps';
import type { StepContext } from '../src-main/engine/train/steps';
import { trainModel } from '../src-main/engine/train/trainer';
import { DEMO_DIR, demoModelParams } from '../src-main/cli/commands/demo-model';
import { measureTorchStep } from './parity-torch';
import { computePageRows } from './compute-page-bench';
import { benchModel } from './model-bench';
import { modelDefinition } from '../src-main/engine/model/registry';
import type { ModelKind } from '#contract/model';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';

const TARGET_MS = 2 * 750; // within 2x of PyTorch 1.13 CPU on the same spec and machine
/** PyTorch's measured ms/step for the same step (bench/parity-torch.ts), null when torch is absent. */
let torchMs: number | null = null;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const peakRssMb = (): number => process.resourceUsage().maxRSS / 1024;

/** ms per training step on a MOSI-unaligned-shaped batch (full or realistic lengths). */
async function stepTiming(steps: number, fullLength: boolean, n = 64): Promise<{ ms: number[]; tensorsGrew: number }> {
  const ds = tinyDataset({ n: { train: n, valid: 2, test: 2 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
  const split = ds.splits.train;
  if (fullLength) for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
  const config = modelConfigFor(ds);
  const model = new DarModel(config, 1);
  const ctx: StepContext = {
    model, config, ablations: [], useClub: true,
    main: createAdamW(model.params.group('main'), 1e-4, 1e-4), club: createAdam(model.params.group('club'), 1e-4), clipNorm: 2,
  };
  const masks = trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
  const indices = Array.from({ length: n }, (_, i) => i);
  const ms: number[] = [];
  let tensorsAfterWarmup = 0;
  for (let s = 0; s < steps + 2; s++) {
    const t0 = performance.now();
    const batch = buildBatch(split, indices, masks);
    const inputs = toModelInputs(batch, config);
    const labels = tf.tensor1d(batch.labels!);
    await trainStep(ctx, inputs, labels, s, 1e-4, 1e-4);
    labels.dispose();
    disposeInputs(inputs);
    if (s >= 2) ms.push(performance.now() - t0);
    if (s === 1) tensorsAfterWarmup = tf.memory().numTensors;
  }
  const grew = tf.memory().numTensors - tensorsAfterWarmup;
  ctx.main.dispose();
  ctx.club.dispose();
  model.dispose();
  return { ms, tensorsGrew: grew };
}

/**
 * The workbench's case: mask edits of one open clip through an ExplainCache (drags on each
 * track, a whole modality, an undo), after the clip's first explain; ms per edit.
 */
async function maskEditTimings(model: DarModel, split: SplitData): Promise<number[]> {
  const cache = new ExplainCache();
  const edit = (clip: number, k: number): PerModality<Uint8Array> => {
    const m = { l: new Uint8Array(split.l.t), a: new Uint8Array(split.a.t), v: new Uint8Array(split.v.t) };
    const track = MODALITIES[k % 3];
    const len = split.lengths[track][clip];
    if (k % 5 === 4) m[track].fill(1, 0, len); // the whole modality
    else m[track].fill(1, Math.floor(((k * 0.137) % 0.7) * len), Math.ceil((((k * 0.137) % 0.7) + 0.2) * len));
    return m;
  };
  const ms: number[] = [];
  for (let clip = 0; clip < Math.min(8, split.n); clip++) {
    await cache.explain(model, split, clip, edit(clip, 0)); // opening the clip
    for (let k = 1; k <= 10; k++) {
      const t0 = performance.now();
      await cache.explain(model, split, clip, k % 7 === 6 ? edit(clip, k - 2) : edit(clip, k)); // k % 7 = 6: an undo
      ms.push(performance.now() - t0);
    }
  }
  cache.dispose();
  return ms;
}

/** ms of each single-clip explain with every intermediate (clips in turn, the same masks), after `warm` untimed ones. */
async function explainTimings(model: DarModel, split: SplitData, masks: PerModality<Uint8Array>, runs: number, warm: number): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < runs + warm; i++) {
    const t0 = performance.now();
    await explainClip(model, split, i % split.n, masks);
    if (i >= warm) ms.push(performance.now() - t0);
  }
  return ms;
}

async function demoTimings(): Promise<{ epochSeconds: number; inferMs: number[]; editMs: number[] }> {
  const out = join(mkdtempSync(join(tmpdir(), 'dar-bench-')), 'demo.safetensors');
  const params = demoModelParams(DEMO_DIR, out);
  const ds = await openDataset(DEMO_DIR);
  const summary = await trainModel({
    dataset: ds, model: modelConfigFor(ds, params.model), train: trainConfigFor('demo', { ...params.train, epochs: 2 }),
    out, resume: false, backend: tf.getBackend(),
  });
  const epochSeconds = summary.seconds / summary.epochsRun;
  const model = new DarModel(modelConfigFor(ds, params.model), 1);
  const test = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
  const masks = { l: new Uint8Array(test.l.t), a: new Uint8Array(test.a.t).fill(1, 0, 40), v: new Uint8Array(test.v.t) };
  const inferMs = await explainTimings(model, test, masks, 35, 5);
  const editMs = await maskEditTimings(model, test);
  model.dispose();
  return { epochSeconds, inferMs, editMs };
}

async function benchBackend(name: BackendName, steps: number): Promise<void> {
  const info = await initBackend({ prefer: name });
  console.log(`\n## ${info.label}`);
  const full = await stepTiming(steps, true);
  const fullMs = median(full.ms);
  console.log(`train step, batch 64, MOSI unaligned, full length : ${fullMs.toFixed(0)} ms/step (median of ${full.ms.length}; min ${Math.min(...full.ms).toFixed(0)}, max ${Math.max(...full.ms).toFixed(0)})`);
  console.log(`  ratio to target ${TARGET_MS} ms (2 x PyTorch CPU 750 ms): ${(fullMs / TARGET_MS).toFixed(2)}  (vs PyTorch itself: ${(fullMs / 750).toFixed(2)}x)`);
  if (torchMs !== null) console.log(`  vs PyTorch measured now (${torchMs.toFixed(0)} ms): ${(fullMs / torchMs).toFixed(2)}x (target <= 2)`);
  const real = await stepTiming(steps, false);
  console.log(`train step, realistic lengths (trimmed to batch max) : ${median(real.ms).toFixed(0)} ms/step`);
  console.log(`tensors grown over ${steps} steps: ${full.tensorsGrew} (full), ${real.tensorsGrew} (realistic)`);
  const demo = await demoTimings();
  console.log(`demo corpus epoch (d 64, batch 32, 160 clips): ${demo.epochSeconds.toFixed(1)} s/epoch`);
  console.log(`single-clip inference with all intermediates: median ${median(demo.inferMs).toFixed(1)} ms, p95 ${p95(demo.inferMs).toFixed(1)} ms (target < 25 ms)`);
  console.log(`  a mask edit of an open clip (ExplainCache): median ${median(demo.editMs).toFixed(1)} ms, p95 ${p95(demo.editMs).toFixed(1)} ms (load average ${loadavg()[0].toFixed(1)})`);
  console.log(`peak RSS so far: ${peakRssMb().toFixed(0)} MB`);
}

/** Median ms of a single-clip explain with every intermediate, MOSI-unaligned shapes, fresh model. */
async function explainMs(runs: number): Promise<number> {
  const ds = tinyDataset({ n: { train: 4, valid: 2, test: 8 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
  const model = new DarModel(modelConfigFor(ds), 1);
  const test = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
  const masks = { l: new Uint8Array(test.l.t), a: new Uint8Array(test.a.t).fill(1, 0, 100), v: new Uint8Array(test.v.t) };
  const ms = await explainTimings(model, test, masks, runs, 2);
  model.dispose();
  return median(ms);
}

/** `--backend X`: X's step and explain times beside single-thread WASM's, measured in this run. */
async function compareWithWasm(name: BackendName, steps: number, batch: number): Promise<void> {
  const rows: { label: string; step: number; explain: number }[] = [];
  for (const rung of name === 'wasm' ? (['wasm'] as const) : ([name, 'wasm'] as const)) {
    const info = await initBackend({ prefer: rung });
    console.log(`\n## ${info.name}: ${info.label}${info.adapter ? ` [adapter: ${[info.adapter.vendor, info.adapter.architecture, info.adapter.description].filter(Boolean).join(' / ')}]` : ''}`);
    const { ms, tensorsGrew } = await stepTiming(steps, true, batch);
    const row = { label: info.name, step: median(ms), explain: await explainMs(Math.max(5, steps)) };
    console.log(`train step, batch ${batch}, MOSI unaligned, full length: ${row.step.toFixed(0)} ms/step (median of ${ms.length}; tensors grown ${tensorsGrew})`);
    console.log(`single-clip explain, all intermediates, MOSI-unaligned shapes (d 128): ${row.explain.toFixed(1)} ms (median)`);
    rows.push(row);
  }
  const wasm = rows.find((r) => r.label === 'wasm')!;
  for (const r of rows) console.log(`${r.label}: ${(wasm.step / r.step).toFixed(2)}x single-thread WASM's step speed, ${(wasm.explain / r.explain).toFixed(2)}x its explain speed`);
}

/** `--backend wasm-threads`: the compute page's threaded WASM beside one thread (page and Node), same run. */
async function compareThreads(steps: number, batch: number): Promise<void> {
  const info = await initBackend({ prefer: 'wasm' });
  const nodeStep = median((await stepTiming(steps, true, batch)).ms);
  const nodeExplain = await explainMs(Math.max(5, steps));
  console.log(`\n## Node: ${info.label}\ntrain step, batch ${batch}, MOSI unaligned, full length: ${nodeStep.toFixed(0)} ms/step; single-clip explain: ${nodeExplain.toFixed(1)} ms (medians)`);
  const rows = await computePageRows(steps, batch);
  const single = rows.find((r) => r.threads === 1) ?? rows[rows.length - 1];
  for (const r of rows) {
    console.log(`\n## compute page: ${r.label} (cross-origin isolated Chromium)`);
    console.log(`train step, batch ${batch}: ${r.step.toFixed(0)} ms/step computing in the page (${r.stepWall.toFixed(0)} ms wall through Playwright); single-clip explain: ${r.explain.toFixed(1)} ms`);
    console.log(`  ${(single.step / r.step).toFixed(2)}x the page's one-thread step speed, ${(nodeStep / r.step).toFixed(2)}x Node's single-thread WASM; explain ${(single.explain / r.explain).toFixed(2)}x / ${(nodeExplain / r.explain).toFixed(2)}x (load average ${loadavg()[0].toFixed(1)})`);
  }
}

async function main(): Promise<void> {
  const model = arg('model', '');
  if (model) {
    modelDefinition(model); // MODEL_UNKNOWN before any work
    await benchModel(model as ModelKind, arg('backends', 'native,wasm').split(',') as BackendName[], Number(arg('steps', '10')), Number(arg('batch', '64')), arg('lengths', 'full') !== 'realistic');
    return;
  }
  const one = arg('backend', '');
  if (one === 'wasm-threads') {
    console.log(`# DAR engine bench, the compute page's threaded WASM vs one thread (${new Date().toISOString()}, node ${process.version})`);
    await compareThreads(Number(arg('steps', '10')), Number(arg('batch', '64')));
    return;
  }
  if (one) {
    // Mesa's EGL needs it before Dawn starts on a headless Linux box (no-op elsewhere).
    prepareHeadlessGpuEnv();
    console.log(`# DAR engine bench, ${one} vs single-thread WASM (${new Date().toISOString()}, node ${process.version})`);
    // A smaller --batch lets a software adapter finish (its figures say nothing about a GPU anyway).
    await compareWithWasm(one as BackendName, Number(arg('steps', '10')), Number(arg('batch', '64')));
    releaseWebGpu(); // Dawn keeps Node alive while its device exists
    return;
  }
  const backends = arg('backends', 'gpu,native,wasm').split(',') as BackendName[];
  const steps = Number(arg('steps', '10'));
  console.log(`# DAR engine bench (${new Date().toISOString()}, node ${process.version})`);
  const torch = await measureTorchStep(steps);
  torchMs = torch.ms;
  console.log(torch.line);
  for (const b of backends) {
    try {
      await benchBackend(b, steps);
    } catch (err) {
      console.log(`\n## ${b}: not available here (${err instanceof Error ? err.message : String(err)})`);
    }
  }
}

await main();
