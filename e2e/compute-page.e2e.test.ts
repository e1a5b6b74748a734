import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '#contract/worker-protocol';
import { initBackend } from '../src-main/engine/backend';
import { ComputeClient } from '../src-main/engine/compute/compute-client';
import { drawEvalUniforms, evalMasks } from '../src-main/engine/data/corruption';
import { applyNormaliser, fitNormaliser } from '../src-main/engine/data/normaliser';
import type { ModelBatch } from '../src-main/engine/model/batch';
import { createModel, modelDefinition } from '../src-main/engine/model/registry';
import { RemoteModel } from '../src-main/engine/model/remote-model';
import type { DarModel } from '../src-main/engine/model/dar-model';
import { explainClip } from '../src-main/engine/infer/explain';
import { sliceSplit } from '../src-main/worker/workbench/split-slice';
import type { SentimentModel } from '../src-main/engine/model/sentiment-model';
import { buildBatch } from '../src-main/engine/train/batcher';
import { trainConfigFor } from '../src-main/engine/train/config';
import { openComputePage, serveComputePage, type ComputePage, type ComputeSite } from '../testing/compute/compute-page';
import { tinyDataset } from '../testing/engine/tiny-dataset';
import { relativeDiff } from '../testing/engine/webgpu-available';

// The desktop's compute page, tested where it can run here: built and served with the compute
// window's own headers (cross-origin isolated), in headless Chromium (WebGPU on SwiftShader),
// driven over the compute protocol by a RemoteModel, exactly as the engine thread drives the
// hidden window. Its numbers must be Node WebAssembly's to 1e-4 on both of the page's rungs.
// Software-GPU timings mean nothing: limits are ~3x what a loaded 2-core box takes.
const TOLERANCE = 1e-4;
const ds = tinyDataset({ n: { train: 16, valid: 4, test: 4 }, dims: { l: 32, a: 5, v: 20 }, seqLen: { l: 12, a: 20, v: 24 }, seed: 4 });
const config = modelDefinition('dar').configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }, { d: 32, t: 8 });
const train = trainConfigFor(undefined, { batchSize: 8, lr: 1e-3, clubLr: 1e-3 });
const SEED = 11;

function batch(): ModelBatch {
  const split = applyNormaliser(ds.splits.train, fitNormaliser(ds.splits.train));
  return buildBatch(split, [0, 1, 2, 3, 4, 5, 6, 7], evalMasks(split, drawEvalUniforms(split, 'train'), { l: 0.3, a: 0.3, v: 0.3 }));
}

/** Every term of one step, each relative to its own size (a term near zero: to 1e-3). */
function worstTerm(got: Record<string, number>, want: Record<string, number>): number {
  return Math.max(...Object.keys(want).map((k) => Math.abs(got[k] - want[k]) / Math.max(Math.abs(want[k]), 1e-3)));
}

let site: ComputeSite;

beforeAll(async () => {
  await initBackend({ prefer: 'wasm' });
  site = await serveComputePage();
}, 300_000);

afterAll(async () => {
  await site?.close();
});

describe.each(['webgpu', 'wasm'] as const)('the compute page on %s', (rung) => {
  let page: ComputePage;
  let client: ComputeClient;
  let info: BackendInfo | string;

  beforeAll(async () => {
    page = await openComputePage(site, rung);
    client = new ComputeClient(page.link);
    info = await client.ready().catch((err: Error) => err.message);
    if (typeof info === 'string') console.warn(`compute page on ${rung} skipped: ${info}`);
  }, 120_000);

  afterAll(async () => {
    await page?.close();
  });

  it('reports its rung, and is cross-origin isolated', async (ctx) => {
    if (typeof info === 'string') return ctx.skip();
    const facts = await page.facts();
    console.info(`compute page: ${info.label}${info.adapter ? ` [${info.adapter.vendor} / ${info.adapter.architecture} / ${info.adapter.description}]` : ''}`);
    expect(info.name).toBe(rung);
    expect(facts.rung).toBe(rung);
    expect(facts.title).toBe(`DAR Studio compute: ${info.label}`);
    expect(facts.crossOriginIsolated).toBe(true);
    if (rung === 'webgpu') expect(info.label).toMatch(/^WebGPU \(.+; Chromium\)$/);
    else {
      expect(info.simd).toBe(true);
      // Threaded WASM: one thread per core (tfjs caps its pool at 4).
      expect(info.threads).toBe(Math.min(facts.cores, 4));
      if (facts.cores > 1) expect(info.threads).toBeGreaterThan(1);
    }
  });

  it('trains a DAR step, then predicts and scores, as Node WebAssembly does (1e-4)', async (ctx) => {
    if (typeof info === 'string') return ctx.skip();
    const remote = new RemoteModel(client, createModel('dar', config, SEED), SEED);
    const node: SentimentModel = createModel('dar', config, SEED);
    const [rt, nt] = [remote.trainer(train, 16), node.trainer(train, 16)];
    try {
      const b = batch();
      const input = { batch: b, seed: 77, lr: 1e-3, epoch: 0 };
      const [got, want] = [await rt.step(input), await nt.step(input)];
      console.info(`${rung} step terms vs Node wasm: worst ${worstTerm(got.terms, want.terms).toExponential(2)}, grad norm ${got.gradNorm} vs ${want.gradNorm}`);
      expect(Object.keys(got.terms).sort()).toEqual(Object.keys(want.terms).sort());
      expect(worstTerm(got.terms, want.terms)).toBeLessThan(TOLERANCE);
      expect(Math.abs(got.gradNorm - want.gradNorm) / want.gradNorm).toBeLessThan(TOLERANCE);
      // After the step: the weights moved the same way, so eval-mode outputs agree too.
      const [p, q] = [await remote.predict(b), await node.predict(b)];
      const [s, t] = [await remote.score(b), await node.score(b)];
      console.info(`${rung} after the step: predictions ${relativeDiff(p, q).toExponential(2)}, score terms ${relativeDiff(s.terms, t.terms).toExponential(2)}`);
      expect(relativeDiff(p, q)).toBeLessThan(TOLERANCE);
      expect(relativeDiff(s.terms, t.terms)).toBeLessThan(TOLERANCE);
    } finally {
      rt.dispose();
      nt.dispose();
      remote.dispose();
      node.dispose();
    }
  }, 240_000);

  it("explains a clip (every output) as Node WebAssembly does (1e-4), and a mask edit too", async (ctx) => {
    if (typeof info === 'string') return ctx.skip();
    const remote = new RemoteModel(client, createModel('dar', config, SEED), SEED);
    const node = createModel('dar', config, SEED) as DarModel;
    try {
      const clip = sliceSplit(applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train)), 0, 1);
      const masks = { l: new Uint8Array(clip.l.t).fill(1, 0, 4), a: new Uint8Array(clip.a.t), v: new Uint8Array(clip.v.t).fill(1, 5, 15) };
      for (const edit of [false, true]) {
        if (edit) masks.a.fill(1, 0, 8);
        const got = arraysOf(await remote.explain('test/0', clip, masks));
        const want = arraysOf(await explainClip(node, clip, 0, masks));
        expect(got.length).toBe(want.length);
        const worst = Math.max(...want.map((w, i) => relativeDiff(got[i], w)));
        console.info(`${rung} explain${edit ? ' after a mask edit' : ''}: ${want.length} outputs, worst ${worst.toExponential(2)}`);
        expect(worst).toBeLessThan(TOLERANCE);
      }
    } finally {
      remote.dispose();
      node.dispose();
    }
  }, 240_000);
});

/** Every typed array and number of an explanation, in a fixed order (numbers as one-element arrays). */
function arraysOf(value: unknown, out: Float64Array[] = []): Float64Array[] {
  if (typeof value === 'number') out.push(Float64Array.of(value));
  else if (ArrayBuffer.isView(value)) out.push(Float64Array.from(value as unknown as ArrayLike<number>));
  else if (Array.isArray(value)) for (const v of value) arraysOf(v, out);
  else if (value && typeof value === 'object') for (const k of Object.keys(value).sort()) arraysOf((value as Record<string, unknown>)[k], out);
  return out;
}
