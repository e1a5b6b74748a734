import { describe, expect, it } from 'vitest';
import { toErrorInfo } from '../../engine/errors';
import { exportParams, projectionParams, queueParams, robustnessParams, startParams } from './training-params';

function refusal(f: () => unknown): { code: string; message: string } {
  try {
    f();
  } catch (err) {
    return toErrorInfo(err);
  }
  return { code: 'ok', message: '' };
}

describe('training parameter guards', () => {
  it("take a model kind and that model's own hyperparameters (its registry entry names them later)", () => {
    expect(startParams({ modelKind: 'misa', model: { hidden: 64, useCmd: true } })).toMatchObject({ modelKind: 'misa', model: { hidden: 64, useCmd: true } });
    expect(refusal(() => startParams({ modelKind: 'msia' })).message).toMatch(/^modelKind: expected dar \| misa \| self-mm \| lnln/);
    expect(refusal(() => startParams({ modelKind: 'dar', model: { hidden: 64 } })).message).toMatch(/^model\.hidden: expected one of the known fields/);
    expect(refusal(() => startParams({ modelKind: 'lnln', model: { hidden: 'wide' } })).message).toMatch(/^model\.hidden: expected a finite number/);
  });

  it('pass well-typed start params through, keeping only what was given', () => {
    const p = startParams({ preset: 'mosi', model: { d: 32, tau: 0.2 }, train: { k: { a: 0.5 }, ablations: ['no_recon'], mode: 'lnln', epochs: 3 } });
    expect(p).toEqual({ dataset: undefined, preset: 'mosi', out: undefined, model: { d: 32, tau: 0.2 }, train: { k: { a: 0.5 }, ablations: ['no_recon'], mode: 'lnln', epochs: 3 } });
    expect(startParams(undefined)).toEqual({ dataset: undefined, preset: undefined, out: undefined, model: undefined, train: undefined });
  });

  it('name the offending field of badly typed or unknown input', () => {
    const cases: [() => unknown, RegExp][] = [
      [() => startParams({ epochs: 3 }), /^epochs: expected one of the known fields/],
      [() => startParams({ model: { inputDims: 3 } }), /^model\.inputDims: expected one of the known fields/],
      [() => startParams({ train: { k: { x: 0.1 } } }), /^train\.k\.x:/],
      [() => startParams({ train: { k: { l: NaN } } }), /^train\.k\.l: expected a finite number/],
      [() => startParams({ train: { mode: 'random' } }), /^train\.mode: expected fixed \| uniform \| lnln/],
      [() => startParams({ dataset: 7 }), /^dataset: expected a non-empty string/],
      [() => robustnessParams({ checkpoints: [] }), /^checkpoints: expected 1\.\.16 checkpoint paths/],
      [() => robustnessParams({ checkpoints: ['a.safetensors'], seeds: [1.5] }), /^seeds: expected 1\.\.16 integers/],
      [() => exportParams({ format: 'xlsx', checkpoint: 'a' }), /^format: expected csv \| md/],
      [() => exportParams({ format: 'csv' }), /^report: expected exactly one of report or checkpoint/],
      [() => projectionParams({ split: 'test', method: 'tsne', features: 'both' }), /^method: expected pca \| umap/],
      [() => projectionParams({ split: 'test', method: 'pca', features: 'both', maxClips: 2001 }), /^maxClips: expected an integer in 1\.\.2000/],
      [() => queueParams({ kind: 'grid' }), /^kind: expected ablations \| k-sweep/],
    ];
    for (const [f, message] of cases) {
      const err = refusal(f);
      expect(err.code).toBe('ARG_INVALID');
      expect(err.message).toMatch(message);
    }
  });

  it('default a projection to 300 clips', () => {
    expect(projectionParams({ split: 'valid', method: 'umap', features: 'common' })).toEqual({ checkpoint: undefined, split: 'valid', maxClips: 300, method: 'umap', features: 'common' });
  });
});
