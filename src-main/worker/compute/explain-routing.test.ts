import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '#contract/worker-protocol';
import { initBackend } from '../../engine/backend';
import { ComputeServer } from '../../engine/compute/compute-server';
import { explainClip } from '../../engine/infer/explain';
import type { DarModel } from '../../engine/model/dar-model';
import { createModel, modelDefinition } from '../../engine/model/registry';
import { linkPair } from '../../../testing/engine/compute/link-pair';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { ComputeRung } from './compute-rung';
import { ExplainRouting } from './explain-routing';

// The workbench's explains on the desktop: measured once on both rungs, then sent to the faster;
// the same answer either way (the page here computes on the same WASM, in process).
const ds = tinyDataset({ n: { train: 4, valid: 1, test: 1 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 }, seed: 5 });
const config = modelDefinition('dar').configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }, { d: 8, t: 4, heads: 2 });
const INFO: BackendInfo = { name: 'wasm', tfBackend: 'wasm', label: 'WebAssembly (SIMD, 2 threads; Chromium)', skipped: [] };
const clip = ds.splits.test;
const masks = { l: new Uint8Array(clip.l.t).fill(1, 0, 2), a: new Uint8Array(clip.a.t), v: new Uint8Array(clip.v.t) };

async function upRung(): Promise<{ rung: ComputeRung; server: ComputeServer }> {
  const pair = linkPair();
  const server = new ComputeServer(pair.page, createModel);
  const rung = new ComputeRung(pair.engine);
  server.ready(INFO);
  await new Promise((r) => setTimeout(r, 20));
  return { rung, server };
}

describe('ExplainRouting (the desktop workbench)', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it('explains here without a compute window, and says nothing', async () => {
    const routing = new ExplainRouting(new ComputeRung(null), async () => 'WebAssembly (SIMD, 1 thread)');
    const model = createModel('dar', config, 1) as DarModel;
    let calls = 0;
    const here = async () => (calls++, explainClip(model, clip, 0, masks));
    await routing.explain(model, { key: 'test/0', clip, masks, here });
    expect(calls).toBe(1);
    expect(routing.describe()).toBeUndefined();
    expect(routing.computeState()).toBeUndefined();
    model.dispose();
  });

  it('measures both rungs at the first explain, names the choice, and answers the same either way', async () => {
    const { rung, server } = await upRung();
    const routing = new ExplainRouting(rung, async () => 'WebAssembly (SIMD, 1 thread)');
    const model = createModel('dar', config, 1) as DarModel;
    const want = await explainClip(model, clip, 0, masks);
    const here = () => explainClip(model, clip, 0, masks);
    expect(await routing.explain(model, { key: 'test/0', clip, masks, here })).toEqual(want);
    expect(routing.computeState()).toBe(INFO.label);
    expect(routing.describe()).toMatch(/^(WebAssembly \(SIMD, 1 thread\) \(engine thread\)|WebAssembly \(SIMD, 2 threads; Chromium\) \(compute window\)) \(.+ms; .+ms\)$/);
    expect(await routing.explain(model, { key: 'test/0', clip, masks, here })).toEqual(want);
    // The window goes: explains stay answered, here.
    server.lost('its renderer crashed (exit code 139)');
    await new Promise((r) => setTimeout(r, 20));
    expect(await routing.explain(model, { key: 'test/0', clip, masks, here })).toEqual(want);
    expect(routing.describe()).toMatch(/\(engine thread\)/);
    expect(routing.computeState()).toBe('lost: its renderer crashed (exit code 139)');
    routing.dispose();
    model.dispose();
  }, 60_000);
});
