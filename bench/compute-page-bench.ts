/**
 * The compute page's timings for `npm run bench -- --backend wasm-threads`: the desktop's compute
 * window as headless Chromium runs it here (built, served cross-origin isolated, driven over the
 * compute protocol by a RemoteModel), once on threaded SIMD WASM and once on one thread. A
 * training step at MOSI-unaligned shapes and a single-clip explain; the figure is the page's own
 * compute time per answer (what the desktop gets), and the wall time through Playwright beside it
 * (it adds a base64 copy of each ~26 MB batch over CDP that the desktop's MessagePort never pays).
 */
import { MODALITIES } from '#contract/dataset';
import { ComputeClient } from '../src-main/engine/compute/compute-client';
import { trainingMasks } from '../src-main/engine/data/corruption';
import { applyNormaliser, fitNormaliser } from '../src-main/engine/data/normaliser';
import { createModel } from '../src-main/engine/model/registry';
import { RemoteModel } from '../src-main/engine/model/remote-model';
import { buildBatch } from '../src-main/engine/train/batcher';
import { modelConfigFor, trainConfigFor } from '../src-main/engine/train/config';
import { sliceSplit } from '../src-main/worker/workbench/split-slice';
import { openComputePage, serveComputePage } from '../testing/compute/compute-page';
import { tinyDataset } from '../testing/engine/tiny-dataset';

/** One page's figures (ms, medians). */
export interface PageRow {
  label: string;
  threads: number;
  step: number;
  stepWall: number;
  explain: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Times `runs` calls after `warm` untimed ones: the page's compute ms and the wall ms. */
async function timed(client: ComputeClient, call: () => Promise<unknown>, runs: number, warm: number): Promise<{ compute: number; wall: number }> {
  const compute: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < runs + warm; i++) {
    const t0 = performance.now();
    await call();
    if (i >= warm) wall.push(performance.now() - t0);
    if (i >= warm) compute.push(client.lastComputeMs ?? NaN);
  }
  return { compute: median(compute), wall: median(wall) };
}

async function pageRow(site: Awaited<ReturnType<typeof serveComputePage>>, singleThread: boolean, steps: number, batch: number): Promise<PageRow> {
  const page = await openComputePage(site, 'wasm', singleThread);
  try {
    const client = new ComputeClient(page.link);
    const info = await client.ready();
    const ds = tinyDataset({ n: { train: batch, valid: 2, test: 8 }, dims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 }, seed: 3 });
    const split = ds.splits.train;
    for (const m of MODALITIES) split.lengths[m].fill(split[m].t);
    const config = modelConfigFor(ds);
    const model = new RemoteModel(client, createModel('dar', config, 1), 1);
    const trainer = model.trainer(trainConfigFor(undefined, { batchSize: batch }), batch);
    const masks = trainingMasks(split, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 1, 0);
    const b = buildBatch(split, Array.from({ length: batch }, (_, i) => i), masks);
    let seed = 0;
    const step = await timed(client, () => trainer.step({ batch: b, seed: seed++, lr: 1e-4, epoch: 0 }), steps, 2);
    const test = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
    const clipMasks = { l: new Uint8Array(test.l.t), a: new Uint8Array(test.a.t).fill(1, 0, 100), v: new Uint8Array(test.v.t) };
    let clip = 0;
    // A fresh clip each time (as bench/run.ts's explainMs does): no decode memo helps.
    const explain = await timed(client, () => model.explain(`clip-${clip}`, sliceSplit(test, clip % test.n, (clip++ % test.n) + 1), clipMasks), Math.max(5, steps), 2);
    trainer.dispose();
    model.dispose();
    return { label: info.label, threads: info.threads ?? 1, step: step.compute, stepWall: step.wall, explain: explain.compute };
  } finally {
    await page.close();
  }
}

/** The compute page's rows: threaded WASM, then one thread, in the same Chromium build and run. */
export async function computePageRows(steps: number, batch: number): Promise<PageRow[]> {
  const site = await serveComputePage();
  try {
    return [await pageRow(site, false, steps, batch), await pageRow(site, true, steps, batch)];
  } finally {
    await site.close();
  }
}
