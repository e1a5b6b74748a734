import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '#contract/worker-protocol';
import { initBackend } from '../../engine/backend';
import { ComputeServer } from '../../engine/compute/compute-server';
import { createModel, modelDefinition } from '../../engine/model/registry';
import { RemoteModel } from '../../engine/model/remote-model';
import { trainConfigFor } from '../../engine/train/config';
import { trainModel } from '../../engine/train/trainer';
import type { TrainRequest } from '../../engine/train/trainer';
import { linkPair } from '../../../testing/engine/compute/link-pair';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { useTempDir } from '../../../testing/temp-dir';
import { ComputeRung } from './compute-rung';
import type { Fallback, ModelFactory } from './compute-rung';

// A run whose compute window is lost mid-run falls back to the engine thread and resumes from
// its last finished epoch: the end result is the run an engine-thread-only run gives (the page
// here computes on the same WASM in process, so bit for bit), and it said why it fell back.
const ds = tinyDataset({ n: { train: 16, valid: 8, test: 4 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 }, seed: 2 });
const model = modelDefinition('dar').configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }, { d: 8, t: 4, heads: 2 });
const train = trainConfigFor(undefined, { batchSize: 8, epochs: 3, lr: 1e-3, clubLr: 1e-3, patience: 10 });
const INFO: BackendInfo = { name: 'wasm', tfBackend: 'wasm', label: 'test page', skipped: [] };
const root = useTempDir('dar-compute-rung-');

function request(out: string, createModel: ModelFactory, resume: boolean, onEpoch?: (epoch: number) => void): TrainRequest {
  return { dataset: ds, model, train, out, resume, backend: 'test', createModel, onProgress: (p) => p.kind === 'epoch' && onEpoch?.(p.epoch) };
}

describe('the compute rung (engine thread)', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it('builds models here while no page is linked or ready, remote once it says ready', async () => {
    expect(new ComputeRung(null).factory()).toBe(createModel);
    const pair = linkPair();
    const server = new ComputeServer(pair.page, createModel);
    const rung = new ComputeRung(pair.engine);
    expect(rung.factory()).toBe(createModel);
    server.ready(INFO);
    await new Promise((r) => setTimeout(r, 20));
    expect(rung.info).toEqual(INFO);
    const m = rung.factory()('dar', model, 1);
    expect(m).toBeInstanceOf(RemoteModel);
    m.dispose();
  });

  it('falls back to the engine thread when the page is lost mid-run, resuming from the last epoch', async () => {
    const local = await trainModel(request(join(root, 'local.safetensors'), createModel, false));
    const pair = linkPair();
    const server = new ComputeServer(pair.page, createModel);
    const rung = new ComputeRung(pair.engine);
    server.ready(INFO);
    await new Promise((r) => setTimeout(r, 20));
    const fallbacks: Fallback[] = [];
    const out = join(root, 'remote.safetensors');
    // The GPU goes away once epoch 1 has finished (its sidecar is on disk): epoch 2 runs here.
    const summary = await rung.withFallback((f, resume) => trainModel(request(out, f, resume, (e) => e === 1 && server.lost('the GPU device was lost (test)'))), false, (f) => fallbacks.push(f));
    expect(fallbacks).toEqual([{ reason: expect.stringContaining('the GPU device was lost (test)') }]);
    expect(summary.resumedFrom).toBe(2);
    expect(summary.epochsRun).toBe(3);
    expect(summary.history.map((r) => r.valid)).toEqual(local.history.map((r) => r.valid));
    expect(rung.info).toBeNull();
    expect(rung.factory()).toBe(createModel);
  }, 180_000);
});
