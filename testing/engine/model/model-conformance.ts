/**
 * The conformance suite every model of the registry passes (DAR and each baseline): call
 * `describeModelConformance(kind, overrides)` from the model's own test file. It checks what the
 * generic trainer, scorer, predictor, checkpoints and resume rely on, on the tiny dataset, CPU.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelKind, TrainConfig } from '#contract/model';
import type { SplitData } from '#contract/dataset';
import { CHECKPOINT_FORMAT, loadModel, saveModel } from '../../../src-main/engine/checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../../../src-main/engine/checkpoint/model-checkpoint';
import { readResume, writeResume } from '../../../src-main/engine/checkpoint/resume';
import { drawEvalUniforms, evalMasks } from '../../../src-main/engine/data/corruption';
import { applyNormaliser, fitNormaliser } from '../../../src-main/engine/data/normaliser';
import type { ModelBatch } from '../../../src-main/engine/model/batch';
import { createModel, modelDefinition } from '../../../src-main/engine/model/registry';
import type { ModelConfigJson, SentimentModel } from '../../../src-main/engine/model/sentiment-model';
import { buildBatch } from '../../../src-main/engine/train/batcher';
import { trainConfigFor } from '../../../src-main/engine/train/config';
import { trainModel } from '../../../src-main/engine/train/trainer';
import { exportTrainerState, importTrainerState } from '../../../src-main/engine/train/trainer-state';
import { failure } from '../failure';
import { tinyDataset } from '../tiny-dataset';
import { useTempDir } from '../../temp-dir';

/** The tiny dataset the suite builds every model on (dims 6/3/4, padded lengths 7/9/11). */
export const CONFORMANCE_DATASET = tinyDataset({ n: { train: 16, valid: 8, test: 8 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });

const SHAPE = { inputDims: CONFORMANCE_DATASET.info.dims, seqLen: CONFORMANCE_DATASET.info.seqLen };

/** A train split normalised, and a batch of 8 of its clips with half the frames masked. */
function tinyBatch(): { split: SplitData; batch: ModelBatch } {
  const norm = fitNormaliser(CONFORMANCE_DATASET.splits.train);
  const split = applyNormaliser(CONFORMANCE_DATASET.splits.train, norm);
  const masks = evalMasks(split, drawEvalUniforms(split, 'train'), { l: 0.5, a: 0.5, v: 0.5 });
  return { split, batch: buildBatch(split, [0, 1, 2, 3, 4, 5, 6, 7], masks) };
}

function expectFinite(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) expect(Number.isFinite(values[i]), `${what}[${i}] = ${values[i]}`).toBe(true);
}

/**
 * Registers the conformance tests of model `kind`, built with `overrides` on the tiny dataset's
 * dims (keep it small: the suite trains it). `train` adjusts the protocol (e.g. a larger lr).
 */
export function describeModelConformance(kind: ModelKind, overrides: ModelConfigJson = {}, train: Partial<TrainConfig> = {}): void {
  describe(`the ${kind} model conforms to SentimentModel`, () => {
    const def = modelDefinition(kind);
    const config = def.configFor(SHAPE, overrides);
    const protocol = trainConfigFor(undefined, { batchSize: 8, epochs: 2, lr: 1e-3, clubLr: 1e-3, ...train });
    const root = useTempDir(`dar-conformance-${kind}-`);
    const make = (seed = 1): SentimentModel => createModel(kind, config, seed);

    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    it('has a config its definition validates, and refuses an unknown field', () => {
      expect(def.kind).toBe(kind);
      expect(() => def.validate(JSON.parse(JSON.stringify(config)))).not.toThrow();
      expect(failure(() => def.validate({ ...config, noSuchField: 1 })).code).toBe('ARG_INVALID');
      expect(failure(() => createModel(kind, 'not a config', 1)).code).toBe('ARG_INVALID');
    });

    it('predicts one finite value per clip, and scores task, total and sel', async () => {
      const model = make();
      try {
        expect(model.kind).toBe(kind);
        expect(model.terms).toEqual(expect.arrayContaining(['task', 'total', 'sel']));
        const { batch } = tinyBatch();
        const y = await model.predict(batch);
        expect(y).toHaveLength(batch.size);
        expectFinite(y, 'prediction');
        const before = tf.memory().numTensors;
        const s = await model.score(batch);
        expect(tf.memory().numTensors).toBe(before);
        expect(s.terms).toHaveLength(model.terms.length);
        expectFinite(s.terms, 'score term');
        for (let i = 0; i < y.length; i++) expect(s.predictions[i]).toBeCloseTo(y[i], 5);
      } finally {
        model.dispose();
      }
    });

    it('trains two steps with every term finite and no tensor left behind', async () => {
      const model = make();
      const trainer = model.trainer(protocol, CONFORMANCE_DATASET.splits.train.n);
      try {
        const { batch } = tinyBatch();
        const first = await trainer.step({ batch, seed: 1, lr: 1e-3, epoch: 0 });
        const after = tf.memory().numTensors;
        const second = await trainer.step({ batch, seed: 2, lr: 1e-3, epoch: 0 });
        expect(tf.memory().numTensors).toBe(after);
        for (const r of [first, second]) {
          expect(Object.keys(r.terms)).toEqual(expect.arrayContaining([...model.terms]));
          expectFinite(model.terms.map((k) => r.terms[k]), 'step term');
          expect(r.skipped).toBe(false);
        }
        await trainer.endEpoch?.(0);
        expect(tf.memory().numTensors).toBe(after);
      } finally {
        trainer.dispose();
        model.dispose();
      }
    });

    it('gives identical predictions after a weights export and import into a fresh model', async () => {
      const [a, b] = [make(1), make(2)];
      try {
        const { batch } = tinyBatch();
        b.params.importWeights(await a.params.exportWeights());
        expect(Array.from(await b.predict(batch))).toEqual(Array.from(await a.predict(batch)));
      } finally {
        a.dispose();
        b.dispose();
      }
    });

    it('continues identically from its trainer state after a resume sidecar round trip', async () => {
      const [a, b] = [make(1), make(2)];
      const [ta, tb] = [a.trainer(protocol, 16), b.trainer(protocol, 16)];
      try {
        const { batch } = tinyBatch();
        await ta.step({ batch, seed: 1, lr: 1e-3, epoch: 0 });
        const stored = exportTrainerState(await ta.exportState());
        const out = join(root, 'resume.safetensors');
        const weights = await a.params.exportWeights();
        await writeResume(out, { epoch: 1, step: 1, bestSel: null, badEpochs: 0, rng: {}, weights, optimizers: stored.optimizers, state: stored.tensors, extra: { trainer: stored.json } });
        const back = (await readResume(out))!;
        b.params.importWeights(back.weights);
        tb.importState(importTrainerState({ optimizers: back.optimizers, tensors: back.state, json: back.extra.trainer }));
        const next = { batch, seed: 5, lr: 1e-3, epoch: 1 };
        const [ra, rb] = [await ta.step(next), await tb.step(next)];
        expect(rb.terms).toEqual(ra.terms);
        expect(Array.from(await b.predict(batch))).toEqual(Array.from(await a.predict(batch)));
      } finally {
        ta.dispose();
        tb.dispose();
        a.dispose();
        b.dispose();
      }
    });

    it('saves a checkpoint that loads as the same kind, config and predictions', async () => {
      const model = make(3);
      const out = join(root, 'model.safetensors');
      try {
        const { batch, split } = tinyBatch();
        const normaliser = fitNormaliser(split);
        const dataset = { name: 'tiny', format: CONFORMANCE_DATASET.info.format, synthetic: true };
        await saveModel(out, model, { format: CHECKPOINT_FORMAT, model: kind, config: config as CheckpointMeta['config'], train: protocol, normaliser, fingerprint: 'x', dataset, history: [], selectedEpoch: 0, backend: 'cpu', createdAt: '' });
        const loaded = await loadModel(out);
        try {
          expect(loaded.meta.model).toBe(kind);
          expect(loaded.model.kind).toBe(kind);
          expect(loaded.meta.config).toEqual(config);
          expect(Array.from(await loaded.model.predict(batch))).toEqual(Array.from(await model.predict(batch)));
        } finally {
          loaded.model.dispose();
        }
      } finally {
        model.dispose();
      }
    });

    it('runs through the generic training loop and keeps the tensor count flat', async () => {
      const probe = make();
      const terms = [...probe.terms];
      probe.dispose();
      const before = tf.memory().numTensors;
      const out = join(root, 'trained.safetensors');
      const summary = await trainModel({ dataset: CONFORMANCE_DATASET, modelKind: kind, model: config, train: protocol, out, backend: 'cpu' });
      expect(tf.memory().numTensors).toBe(before);
      expect(summary.epochsRun).toBe(2);
      for (const h of summary.history) expect([Object.keys(h.train), Object.keys(h.valid)]).toEqual([terms, terms]);
      const { model, meta } = await loadModel(out);
      expect(meta.model).toBe(kind);
      model.dispose();
    }, 60_000);
  });
}
