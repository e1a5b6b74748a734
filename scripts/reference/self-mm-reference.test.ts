import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainConfig } from '#contract/model';
import { selfMmConfigFor } from '../../src-main/engine/model/baselines/self-mm/self-mm-config';
import { SELF_MM_TASKS } from '../../src-main/engine/model/baselines/self-mm/self-mm-forward';
import { SELF_MM_TERMS } from '../../src-main/engine/model/baselines/self-mm/self-mm-losses';
import { SelfMmModel } from '../../src-main/engine/model/baselines/self-mm/self-mm-model';
import type { SelfMmTrainer } from '../../src-main/engine/model/baselines/self-mm/self-mm-trainer';
import type { GoldenBase, GoldenModality, JsonArray } from '../../testing/engine/model/baselines/golden';
import { goldenBatch, goldenWeights, maxRelErr, readGolden } from '../../testing/engine/model/baselines/golden';

// Self-MM against its PyTorch port of MMSA's code (self_mm_torch.py): same weights and masked
// batch give the same predictions and terms; three training steps (one per MMSA epoch) give the
// same weighted losses, the same label memory (ULGM) and the same predictions afterwards.
type Case = { rate: number; batch: Record<'l' | 'a' | 'v', GoldenModality>; predictions: JsonArray; terms: Record<string, number> };
interface SelfMmGolden extends GoldenBase {
  cases: Case[];
  training: { steps: { epoch: number; terms: Record<string, number>; labels: Record<string, JsonArray> }[]; predictionsAfter: JsonArray };
}

const golden = readGolden<SelfMmGolden>(join(import.meta.dirname, '../../testing/engine/model/baselines/self-mm-golden.json'));
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1, Math.abs(b));

function modelFor(): SelfMmModel {
  const model = new SelfMmModel(selfMmConfigFor({ inputDims: golden.dims, seqLen: golden.seq }, golden.config), 1);
  model.params.importWeights(goldenWeights(golden));
  return model;
}

/** Runs the golden's three steps; `epochOf` maps the step to the engine epoch it reports. */
async function train(model: SelfMmModel, epochOf: (step: number) => number) {
  const trainer = model.trainer({} as TrainConfig, 5) as SelfMmTrainer;
  const batch = goldenBatch(golden.cases[1].batch, golden.labels);
  const seen = [];
  try {
    for (let s = 0; s < golden.training.steps.length; s++) {
      const r = await trainer.step({ batch, seed: s, lr: 1, epoch: epochOf(s) });
      seen.push({ terms: r.terms, labels: Object.fromEntries(SELF_MM_TASKS.map((t) => [t, trainer.memory.labels[t].slice()])) });
      await trainer.endEpoch();
    }
    return { seen, after: await model.predict(batch) };
  } finally {
    trainer.dispose();
  }
}

describe('Self-MM against its PyTorch reference (scripts/reference/self_mm_torch.py)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const c of golden.cases) {
    it(`predicts and scores as the reference at missing rate ${c.rate}`, async () => {
      const model = modelFor();
      try {
        const score = await model.score(goldenBatch(c.batch, golden.labels));
        expect(maxRelErr(score.predictions, c.predictions.data)).toBeLessThan(1e-5);
        SELF_MM_TERMS.forEach((k, i) => expect(rel(score.terms[i], c.terms[k]), k).toBeLessThan(1e-5));
      } finally {
        model.dispose();
      }
    });
  }

  it('trains as the reference: weighted losses, label memory and the updated model, step by step', async () => {
    const model = modelFor();
    try {
      const { seen, after } = await train(model, (s) => s);
      golden.training.steps.forEach((step, s) => {
        for (const [k, v] of Object.entries(step.terms)) expect(rel(seen[s].terms[k], v), `step ${s + 1} ${k}`).toBeLessThan(1e-5);
        for (const t of SELF_MM_TASKS) expect(maxRelErr(seen[s].labels[t], step.labels[t].data), `step ${s + 1} labels ${t}`).toBeLessThan(1e-5);
      });
      expect(maxRelErr(after, golden.training.predictionsAfter.data)).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });

  it('would notice a missing label update (every step in MMSA\u2019s first epoch)', async () => {
    const model = modelFor();
    try {
      const { seen } = await train(model, () => 0);
      const last = golden.training.steps.at(-1)!;
      expect(rel(seen.at(-1)!.terms.total, last.terms.total)).toBeGreaterThan(1e-3);
    } finally {
      model.dispose();
    }
  });
});
