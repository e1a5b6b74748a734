import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../../testing/engine/failure';
import { tinyConfig } from '../../../testing/engine/model/tiny-model';
import { useTempDir } from '../../../testing/temp-dir';
import { tinyDataset } from '../../../testing/engine/tiny-dataset';
import { fitNormaliser } from '../data/normaliser';
import { DarModel } from '../model/dar-model';
import { trainConfigFor } from '../train/config';
import { CHECKPOINT_FORMAT, checkSameModel, loadModel } from './model-checkpoint';
import type { CheckpointMeta } from './model-checkpoint';
import { readCheckpoint, writeCheckpoint } from './safetensors';

const root = useTempDir('dar-ckpt-');
const TINY = tinyDataset({ n: { train: 4, valid: 2, test: 2 }, dims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** A DAR checkpoint whose metadata `edit` changes (e.g. drops or renames the model). */
async function written(name: string, edit: (meta: Record<string, unknown>) => void): Promise<string> {
  const model = new DarModel(tinyConfig(), 1);
  const meta: Record<string, unknown> = {
    format: CHECKPOINT_FORMAT, model: 'dar', config: tinyConfig(), train: trainConfigFor(undefined), normaliser: fitNormaliser(TINY.splits.train),
    fingerprint: 'x', dataset: { name: 'tiny', format: 'clip-folder', synthetic: true }, history: [], selectedEpoch: 0, backend: 'cpu', createdAt: '',
  };
  edit(meta);
  const path = join(root, name);
  await writeCheckpoint(path, { weights: await model.params.exportWeights(), metadata: meta });
  model.dispose();
  return path;
}

describe('model checkpoints', () => {
  it('loads a checkpoint that names no model (written before the baselines) as DAR', async () => {
    const path = await written('old.safetensors', (m) => delete m.model);
    expect((await readCheckpoint(path)).metadata.model).toBeUndefined();
    const { model, meta } = await loadModel(path);
    expect(meta.model).toBe('dar');
    expect(model).toBeInstanceOf(DarModel);
    model.dispose();
  });

  it('refuses a model kind it does not know with MODEL_UNKNOWN', async () => {
    const path = await written('alien.safetensors', (m) => (m.model = 'alien-net'));
    const err = await loadModel(path).then(
      () => null,
      (e: unknown) => e as { code: string; message: string },
    );
    expect(err?.code).toBe('MODEL_UNKNOWN');
    expect(err?.message).toMatch(/alien-net/);
  });

  it('refuses a config its model does not accept', async () => {
    const path = await written('bad.safetensors', (m) => (m.config = { ...tinyConfig(), heads: 3 }));
    await expect(loadModel(path)).rejects.toMatchObject({ code: 'CHECKPOINT_MALFORMED' });
  });

  it('averages seeds of one model only: another kind or config is CHECKPOINT_MISMATCH', () => {
    const meta = (model: string, d = 8): CheckpointMeta => ({ model, config: { ...tinyConfig({ d }) } }) as unknown as CheckpointMeta;
    expect(() => checkSameModel([meta('dar'), meta('dar')], ['a', 'b'])).not.toThrow();
    expect(failure(() => checkSameModel([meta('dar'), meta('misa')], ['a', 'b'])).message).toMatch(/b is a misa model, a a dar model/);
    expect(failure(() => checkSameModel([meta('dar'), meta('dar', 16)], ['a', 'b'])).code).toBe('CHECKPOINT_MISMATCH');
  });
});
