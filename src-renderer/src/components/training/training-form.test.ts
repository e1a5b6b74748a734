import { describe, expect, it } from 'vitest';
import { defaultsFor } from '../../../../testing/renderer/fake-training';
import { fieldOfMessage, formFromDefaults, startParams, toggleAblation, validateForm } from './training-form';

describe('the training form', () => {
  it('accepts every preset as it comes from the worker', () => {
    for (const p of ['mosi', 'mosei', 'demo'] as const) expect(validateForm(formFromDefaults(defaultsFor(p)))).toEqual({});
  });

  it('flags each value the engine would refuse, on the field it belongs to', () => {
    const f = formFromDefaults(defaultsFor('demo'));
    Object.assign(f.model, { d: 15, heads: 5, t: 0, dropout: 1, lambda: -1, tau: 0 });
    Object.assign(f.train, { epochs: 2.5, batchSize: 1, lr: 0, seed: 1.5, patience: 0, validRate: 1, weightDecay: -1, clipNorm: Number.NaN });
    f.train.k.a = 1.2;
    const e = validateForm(f);
    expect(Object.keys(e).sort()).toEqual(
      ['model.d', 'model.t', 'model.dropout', 'model.lambda', 'model.tau', 'train.epochs', 'train.batchSize', 'train.lr', 'train.seed', 'train.patience', 'train.validRate', 'train.weightDecay', 'train.clipNorm', 'train.k.a'].sort(),
    );
    expect(e['model.d']).toMatch(/even/);
  });

  it('requires heads to divide d, and an empty field is an error', () => {
    const f = formFromDefaults(defaultsFor('mosi'));
    f.model.heads = 3;
    expect(validateForm(f)['model.heads']).toBe('must divide d (128)');
    f.model.heads = Number.NaN;
    expect(validateForm(f)['model.heads']).toBe('a positive integer');
  });

  it('finds the field a worker error names, in both of its message styles', () => {
    expect(fieldOfMessage('model.d: expected a finite number, got "16"')).toBe('model.d');
    expect(fieldOfMessage('train.ablations[0]: expected no_sim | no_diff')).toBe('train.ablations');
    expect(fieldOfMessage('d must be a positive even integer, got 15')).toBe('model.d');
    expect(fieldOfMessage('k_v must be in [0, 1], got 2')).toBe('train.k.v');
    expect(fieldOfMessage('batch size must be an integer >= 2 (contrastive losses need negatives), got 1')).toBe('train.batchSize');
    expect(fieldOfMessage('a studio training run is already going')).toBeNull();
  });

  it('sends every value as an override with the preset it came from', () => {
    const f = formFromDefaults(defaultsFor('demo'));
    f.train.k.l = 0;
    const p = startParams(f);
    expect(p.preset).toBe('demo');
    expect(p.model).toEqual(f.model);
    expect(p.train?.k).toEqual({ l: 0, a: 0.3, v: 0.3 });
    expect(p.train?.epochs).toBe(30);
    expect(startParams({ ...f, preset: null }).preset).toBeUndefined();
  });

  it('toggles ablations and keeps them in the spec order', () => {
    const order = ['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'] as const;
    expect(toggleAblation(['no_recon'], 'no_sim', order)).toEqual(['no_sim', 'no_recon']);
    expect(toggleAblation(['no_sim', 'no_recon'], 'no_sim', order)).toEqual(['no_recon']);
  });

  it('edits a copy, never the worker defaults it started from', () => {
    const d = defaultsFor('demo');
    const f = formFromDefaults(d);
    f.train.k.l = 0.9;
    f.train.ablations.push('no_sim');
    expect(d.train.k.l).toBe(0.3);
    expect(d.train.ablations).toEqual([]);
  });
});
