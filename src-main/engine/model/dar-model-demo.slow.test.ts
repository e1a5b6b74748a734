import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../checkpoint/model-checkpoint';
import { drawEvalUniforms, evalMasks } from '../data/corruption';
import { applyNormaliser } from '../data/normaliser';
import { openDataset } from '../data/open-dataset';
import { buildBatch } from '../train/batcher';
import { darModelOf } from './dar-definition';
import { disposeInputs, toModelInputs } from './inputs/inputs';
import { maxAbsDiff } from '../../../testing/engine/model/ops-reference';

const here = path.dirname(fileURLToPath(import.meta.url));
const DEMO = path.join(here, '../../../resources/demo');
const expected = JSON.parse(readFileSync(path.join(here, '../../../testing/engine/model/demo-checkpoint-outputs.json'), 'utf8')) as Record<string, number[]> & { clips: number; rate: number };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the committed demo checkpoint', () => {
  it('loads and reproduces the outputs recorded before the fused-op rewrite (to 1e-5)', async () => {
    const loaded = await loadModel(path.join(DEMO, 'model.safetensors'));
    const { meta } = loaded;
    expect(meta.model).toBe('dar');
    const model = darModelOf(loaded.model, 'this test');
    const test = applyNormaliser((await openDataset(DEMO)).splits.test, meta.normaliser);
    const clips = Array.from({ length: expected.clips }, (_, i) => i);
    const r = expected.rate;
    const masked = evalMasks(test, drawEvalUniforms(test, 'test'), { l: r, a: r, v: r });
    for (const [name, masks] of [['complete', undefined], ['masked', masked]] as const) {
      const inputs = toModelInputs(buildBatch(test, clips, masks), model.config);
      tf.tidy(() => {
        const out = model.forward(inputs, { training: false, club: true });
        const got: Record<string, ArrayLike<number>> = {
          y_hat: out.y_hat.dataSync(),
          y_boot: out.y_boot.dataSync(),
          'club_mu.v': out.perModality.v.club_mu!.dataSync().slice(0, 16),
          'Uhat1.a': out.perModality.a.Uhat1.dataSync().slice(0, 16),
        };
        for (const [key, values] of Object.entries(got)) expect(maxAbsDiff(values, expected[`${name}.${key}`]), `${name}.${key}`).toBeLessThan(1e-5);
      });
      disposeInputs(inputs);
    }
    model.dispose();
  }, 30_000);
});
