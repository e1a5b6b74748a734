import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendInfo } from '#contract/worker-protocol';
import { initBackend } from '../backend';
import { ComputeClient } from '../compute/compute-client';
import { ComputeServer } from '../compute/compute-server';
import { drawEvalUniforms, evalMasks } from '../data/corruption';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import { buildBatch } from '../train/batcher';
import { trainConfigFor } from '../train/config';
import { createModel, modelDefinition } from './registry';
import { RemoteModel } from './remote-model';
import type { DarModel } from './dar-model';
import { explainClip } from '../infer/explain';
import { linkPair } from '../../../testing/engine/compute/link-pair';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';

// The compute protocol end to end in one process: a RemoteModel driving a ComputeServer gives
// exactly what the same model gives when called directly (same backend, so bit for bit). Limits
// are ~10x what it takes on a quiet machine: the shared 2-core box runs at load 15 at times.
const ds = tinyDataset({ n: { train: 12, valid: 4, test: 4 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const config = modelDefinition('dar').configFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }, { d: 8, t: 4, heads: 2 });
const train = trainConfigFor(undefined, { batchSize: 8, lr: 1e-3, clubLr: 1e-3 });
const INFO: BackendInfo = { name: 'cpu', tfBackend: 'cpu', label: 'test page', skipped: [] };

function batch() {
  const split = applyNormaliser(ds.splits.train, fitNormaliser(ds.splits.train));
  return buildBatch(split, [0, 1, 2, 3, 4, 5, 6, 7], evalMasks(split, drawEvalUniforms(split, 'train'), { l: 0.4, a: 0.4, v: 0.4 }));
}

function connect() {
  const pair = linkPair();
  const server = new ComputeServer(pair.page, createModel);
  const client = new ComputeClient(pair.engine);
  server.ready(INFO);
  return { pair, server, client };
}

describe('RemoteModel over the compute protocol', () => {
  beforeAll(async () => {
    await initBackend({ prefer: 'wasm' });
  });

  it('trains, scores and predicts exactly as the model it drives', async () => {
    const { server, client } = connect();
    expect(await client.ready()).toEqual(INFO);
    const remote = new RemoteModel(client, createModel('dar', config, 5), 5);
    const direct = createModel('dar', config, 5);
    const [rt, dt] = [remote.trainer(train, 12), direct.trainer(train, 12)];
    const b = batch();
    for (let step = 0; step < 1; step++) {
      const input = { batch: b, seed: 100 + step, lr: 1e-3, epoch: 0 };
      expect(await rt.step(input)).toEqual(await dt.step(input));
    }
    expect(await remote.predict(b)).toEqual(await direct.predict(b));
    expect(await remote.score(b, ['no_recon'])).toEqual(await direct.score(b, ['no_recon']));
    expect(await remote.params.exportWeights()).toEqual(await direct.params.exportWeights());
    expect(server.size).toEqual({ models: 1, trainers: 1 });
    rt.dispose();
    dt.dispose();
    remote.dispose();
    direct.dispose();
    await client.call({ op: 'dispose' });
    expect(server.size).toEqual({ models: 0, trainers: 0 });
  }, 60_000);

  it("keeps its local twin's weights in step when they are exported, and pushes imported ones", async () => {
    const { client } = connect();
    const remote = new RemoteModel(client, createModel('dar', config, 2), 2);
    const trainer = remote.trainer(train, 12);
    await trainer.step({ batch: batch(), seed: 1, lr: 1e-2, epoch: 0 });
    const name = remote.params.names()[0];
    const before = await remote.local.params.get(name).data();
    const pulled = await remote.params.exportWeights();
    const twin = await remote.local.params.get(name).data();
    expect(twin).toEqual(pulled.get(name)!.data);
    expect(twin).not.toEqual(before);
    // A resume imports a sidecar's weights: the page computes with them from the next request on.
    const fresh = await createModel('dar', config, 9).params.exportWeights();
    remote.params.importWeights(fresh);
    expect(await remote.params.exportWeights()).toEqual(fresh);
    trainer.dispose();
    remote.dispose();
  }, 60_000);

  it('fails the call in flight and every later one with COMPUTE_LOST when the page is lost', async () => {
    const { pair, server, client } = connect();
    const remote = new RemoteModel(client, createModel('dar', config, 3), 3);
    const sent = pair.counts.toPage;
    const lost: string[] = [];
    client.onLost((r) => lost.push(r));
    const pending = remote.predict(batch());
    // The page says so (device lost) before it answers: the call in flight fails, not hangs.
    server.lost('the GPU device was lost (unknown: test)');
    await expect(pending).rejects.toMatchObject({ code: 'COMPUTE_LOST' });
    await expect(remote.predict(batch())).rejects.toMatchObject({ code: 'COMPUTE_LOST', message: expect.stringContaining('GPU device was lost') });
    expect(lost).toEqual(['the GPU device was lost (unknown: test)']);
    remote.dispose(); // the twin is freed; nothing is sent to a lost page
    expect(pair.counts.toPage - sent).toBe(1); // only the predict in flight
  }, 30_000);

  it("explains a clip in the page as explainClip does here, and times the page's compute", async () => {
    const { client } = connect();
    const remote = new RemoteModel(client, createModel('dar', config, 4), 4);
    const direct = createModel('dar', config, 4) as DarModel;
    const one = tinyDataset({ n: { train: 4, valid: 1, test: 1 }, dims: ds.info.dims, seqLen: ds.info.seqLen, seed: 8 }).splits.test;
    const masks = { l: new Uint8Array(one.l.t).fill(1, 0, 3), a: new Uint8Array(one.a.t), v: new Uint8Array(one.v.t) };
    expect(await remote.explain('clip-0', one, masks)).toEqual(await explainClip(direct, one, 0, masks));
    expect(client.lastComputeMs).toBeGreaterThan(0);
    masks.a.fill(1, 2, 5); // an edit of the same clip: its explainer in the page is reused
    expect(await remote.explain('clip-0', one, masks)).toEqual(await explainClip(direct, one, 0, masks));
    remote.dispose();
    direct.dispose();
  }, 60_000);

  it('reports a model kind the page does not know with the page\'s own error', async () => {
    const { client } = connect();
    const twin = createModel('dar', config, 1);
    const remote = new RemoteModel(client, Object.assign(Object.create(twin), { kind: 'no-such-model' }), 1);
    await expect(remote.predict(batch())).rejects.toMatchObject({ code: 'MODEL_UNKNOWN' });
    twin.dispose();
  });
});
