import { mkdtempSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainProgress } from '#contract/train';
import { checkDatasetMatches, loadModel } from '../checkpoint/model-checkpoint';
import { resumePath } from '../checkpoint/resume';
import { applyNormaliser } from '../data/normaliser';
import { predictSplit } from '../infer/predict';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { modelConfigFor, trainConfigFor } from './config';
import { trainModel } from './trainer';
import type { TrainRequest } from './trainer';
import { useTempDir } from '../../../testing/temp-dir';

const ds = tinyDataset({ n: { train: 24, valid: 8, test: 8 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
const model = modelConfigFor(ds, { d: 8, t: 4, heads: 2, dropout: 0 });

function request(out: string, overrides: Partial<TrainRequest> = {}, epochs = 6): TrainRequest {
  return {
    dataset: ds,
    model,
    train: trainConfigFor(undefined, { epochs, batchSize: 8, lr: 3e-3, clubLr: 3e-3, patience: 20 }),
    out,
    backend: 'cpu',
    ...overrides,
  };
}

const root = useTempDir('dar-train-');
const tmp = (): string => mkdtempSync(join(root, 'run-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('trainModel', () => {
  it('lowers the validation L_sel and saves the selected epoch', async () => {
    const out = join(tmp(), 'm.safetensors');
    const summary = await trainModel(request(out));
    const sel = summary.history.map((h) => h.valid.sel);
    expect(summary.epochsRun).toBe(6);
    expect(Math.min(...sel.slice(1))).toBeLessThan(sel[0]);
    expect(summary.bestSel).toBe(Math.min(...sel));
    expect(summary.history[summary.selectedEpoch].best).toBe(true);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(resumePath(out))).toBe(false);
  }, 90_000);

  it('saves a checkpoint that reloads to bit-identical predictions', async () => {
    const out = join(tmp(), 'm.safetensors');
    await trainModel(request(out, {}, 2));
    const a = await loadModel(out);
    const b = await loadModel(out);
    checkDatasetMatches(a.meta, ds);
    const test = applyNormaliser(ds.splits.test, a.meta.normaliser);
    expect(Array.from(await predictSplit(a.model, test, undefined))).toEqual(Array.from(await predictSplit(b.model, test, undefined)));
    expect(a.meta.history).toHaveLength(2);
    expect(a.meta.config).toEqual(model);
    a.model.dispose();
    b.model.dispose();
  }, 30_000);

  it('gives the same losses for the same seed', async () => {
    const x = await trainModel(request(join(tmp(), 'a.safetensors'), {}, 2));
    const y = await trainModel(request(join(tmp(), 'b.safetensors'), {}, 2));
    expect(y.history.map((h) => h.train)).toEqual(x.history.map((h) => h.train));
  }, 60_000);

  it('stops within one step when asked and resumes from the sidecar', async () => {
    const out = join(tmp(), 'm.safetensors');
    let steps = 0;
    let stopAfter = Infinity;
    const onProgress = (p: TrainProgress): void => {
      if (p.kind === 'step') steps++;
      if (p.kind === 'epoch' && p.epoch === 1) stopAfter = steps + 1;
    };
    const first = await trainModel(request(out, { onProgress, shouldStop: () => steps >= stopAfter }, 4));
    expect(first.cancelled).toBe(true);
    expect(steps).toBe(stopAfter);
    expect(existsSync(resumePath(out))).toBe(true);
    const second = await trainModel(request(out, {}, 4));
    expect(second.resumedFrom).toBe(2);
    expect(second.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3]);
    const straight = await trainModel(request(join(tmp(), 's.safetensors'), {}, 4));
    expect(second.history.map((h) => h.train)).toEqual(straight.history.map((h) => h.train));
  }, 60_000);

  it('refuses a dataset whose dims differ from the checkpoint', async () => {
    const out = join(tmp(), 'm.safetensors');
    await trainModel(request(out, {}, 1));
    const { model: m, meta } = await loadModel(out);
    m.dispose();
    const other = tinyDataset({ n: { train: 4, valid: 2, test: 2 }, dims: { l: 6, a: 5, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });
    expect(() => checkDatasetMatches(meta, other)).toThrow(/acoustic feature dim: checkpoint 3, dataset 5/);
  });

  it('keeps the tensor count flat across epochs', async () => {
    const before = tf.memory().numTensors;
    await trainModel(request(join(tmp(), 'm.safetensors'), {}, 2));
    expect(tf.memory().numTensors).toBe(before);
  }, 20_000);
});
