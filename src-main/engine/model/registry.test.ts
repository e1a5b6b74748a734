import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { MODEL_KINDS } from '#contract/model';
import { failure } from '../../../testing/engine/failure';
import { tinyConfig } from '../../../testing/engine/model/tiny-model';
import { availableModelKinds, createModel, DEFAULT_MODEL_KIND, modelDefinition } from './registry';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the model registry', () => {
  it('has DAR first, as the default', () => {
    expect(DEFAULT_MODEL_KIND).toBe('dar');
    expect(availableModelKinds()[0]).toBe('dar');
    expect(availableModelKinds().every((k) => MODEL_KINDS.includes(k))).toBe(true);
    expect(modelDefinition('dar').label).toBe('DAR');
  });

  it('refuses a kind that is not a model, or one this build lacks, with MODEL_UNKNOWN', () => {
    for (const kind of ['nonesuch', 'toString', 7, undefined]) {
      const err = failure(() => modelDefinition(kind));
      expect(err.code).toBe('MODEL_UNKNOWN');
      expect(err.message).toMatch(/not a model kind.*available: dar/);
    }
    const missing = MODEL_KINDS.find((k) => !availableModelKinds().includes(k));
    if (missing) expect(failure(() => modelDefinition(missing)).message).toMatch(/not available in this build/);
  });

  it('validates the config before building (ARG_INVALID naming the field)', () => {
    expect(failure(() => createModel('dar', { ...tinyConfig(), heads: 3 }, 1)).message).toMatch(/heads/);
    expect(failure(() => createModel('dar', { ...tinyConfig(), extra: 1 }, 1)).message).toMatch(/unknown field "extra"/);
    expect(failure(() => createModel('dar', { ...tinyConfig(), d: '8' }, 1)).message).toMatch(/d must be a number/);
    const model = createModel('dar', tinyConfig(), 1);
    expect(model.kind).toBe('dar');
    model.dispose();
  });

  it("fills DAR's defaults around the dataset's shape and refuses an unknown override", () => {
    const def = modelDefinition('dar');
    const shape = { inputDims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } };
    expect(def.configFor(shape, { d: 8, heads: 2 })).toMatchObject({ d: 8, heads: 2, t: 16, inputDims: shape.inputDims });
    expect(failure(() => def.configFor(shape, { dd: 8 } as never)).code).toBe('ARG_INVALID');
  });
});
