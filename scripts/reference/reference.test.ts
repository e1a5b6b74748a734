import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Metrics } from '#contract/eval';
import { EVAL_RATES, drawEvalUniforms, drawUniforms, evalMasks } from '../../src-main/engine/data/corruption';
import { MODALITIES } from '#contract/dataset';
import { openDataset } from '../../src-main/engine/data/open-dataset';
import { applyNormaliser, fitNormaliser } from '../../src-main/engine/data/normaliser';
import { computeMetrics } from '../../src-main/engine/eval/metrics';
import { DarModel } from '../../src-main/engine/model/dar-model';
import type { WeightData } from '../../src-main/engine/model/params';
import { createRng } from '../../src-main/engine/rng';
import { modelConfigFor } from '../../src-main/engine/train/config';
import { scoreSplit } from '../../src-main/engine/train/validate';

// The PyTorch reference is only comparable if it scores models on the engine's very masks and
// with the engine's metrics; these checks need numpy only (no torch), and skip without it.
const PYTHON = process.env.DAR_TORCH_PYTHON ?? '/usr/bin/python3';
const hasNumpy = spawnSync(PYTHON, ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
const hasTorch = hasNumpy && spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
const SELFCHECK = join(import.meta.dirname, 'selfcheck.py');
const PICKLE = join(import.meta.dirname, '../../testing/engine/data/pickles/unaligned_p5_np1.pkl');

function ask<T>(request: unknown): T {
  return JSON.parse(execFileSync(PYTHON, [SELFCHECK], { input: JSON.stringify(request), encoding: 'utf8' })) as T;
}

describe.skipIf(!hasNumpy)('the PyTorch reference (scripts/reference)', () => {
  it('draws the same evaluation uniforms as the engine, bit for bit', () => {
    const ours = Array.from(drawUniforms(createRng(1111, 2, 1), 1, 300));
    expect(ask<number[]>({ uniforms: { seed: 1111, streams: [2, 1], count: 300 } })).toEqual(ours);
  });

  it('masks the same positions of every clip at every evaluation rate', async () => {
    const test = (await openDataset(PICKLE)).splits.test;
    const u = drawEvalUniforms(test, 'test');
    const ours = EVAL_RATES.map((r) => {
      const masks = evalMasks(test, u, { l: r, a: r, v: r });
      return Object.fromEntries(MODALITIES.map((m) => [m, masks[m].map((row) => row.reduce((s, x) => s + x, 0))]));
    });
    const theirs = ask<unknown[]>({ masks: { data: PICKLE, split: 'test' } });
    expect(theirs).toEqual(ours);
    expect(JSON.stringify(ours.at(-1))).not.toEqual(JSON.stringify(ours[0]));
  });

  it('computes the eight metrics as the engine does', () => {
    const rng = createRng(5);
    const label = Array.from({ length: 200 }, (_, i) => Math.fround(i % 17 === 0 ? 0 : Math.round((rng.next() * 6 - 3) * 5) / 5));
    const pred = label.map((y) => Math.fround(y + (rng.next() - 0.5) * 2.5));
    const theirs = ask<Metrics>({ metrics: { pred, label } });
    const ours = computeMetrics(Float32Array.from(pred), Float32Array.from(label));
    for (const key of Object.keys(ours) as (keyof Metrics)[]) expect(theirs[key]).toBeCloseTo(ours[key]!, 9);
  });

  it.skipIf(!hasTorch)('has the gradient of L_total that central differences give (tiny float64 model)', () => {
    expect(ask<number>({ gradcheck: {} })).toBeLessThan(1e-4);
  });

  // The strongest form of "the same spec": given the same weights, the engine computes the very
  // function the reference computes: every prediction and every loss term, masked and complete.
  describe.skipIf(!hasTorch)('run on the same weights', () => {
    beforeAll(async () => {
      await tf.setBackend('cpu');
    });

    for (const rate of [0, 0.5, 0.9]) {
      it(`predicts and scores as the reference does at missing rate ${rate}`, async () => {
        const ds = await openDataset(PICKLE);
        const theirs = ask<{ weights: Record<string, { shape: number[]; data: number[] }>; y_hat: number[]; terms: Record<string, number> }>({
          forward: { data: PICKLE, split: 'test', rate, seed: 3, d: 8, t: 4, heads: 2 },
        });
        const model = new DarModel(modelConfigFor(ds, { d: 8, t: 4, heads: 2 }), 1);
        try {
          const weights = new Map<string, WeightData>(Object.entries(theirs.weights).map(([k, w]) => [k, { shape: w.shape, data: Float32Array.from(w.data) }]));
          model.params.importWeights(weights);
          const test = applyNormaliser(ds.splits.test, fitNormaliser(ds.splits.train));
          const masks = evalMasks(test, drawEvalUniforms(test, 'test'), { l: rate, a: rate, v: rate });
          const ours = await scoreSplit(model, test, masks, [], 64);
          expect(ours.predictions.length).toBe(theirs.y_hat.length);
          for (let i = 0; i < theirs.y_hat.length; i++) expect(ours.predictions[i]).toBeCloseTo(theirs.y_hat[i], 5);
          for (const [key, value] of Object.entries(theirs.terms)) {
            expect(Math.abs(ours.terms[key as keyof typeof ours.terms] - value), key).toBeLessThan(1e-4 * Math.max(1, Math.abs(value)));
          }
        } finally {
          model.dispose();
        }
      });
    }
  });
});
