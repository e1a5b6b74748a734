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

  it("trains a baseline with its own hyperparameters, checked by the rules of its config", () => {
    const f = formFromDefaults(defaultsFor('demo'));
    expect(f.modelKind).toBe('dar');
    expect(Object.keys(f.baselines).sort()).toEqual(['lnln', 'misa', 'self-mm']);
    f.modelKind = 'misa';
    f.train.ablations = ['no_sim'];
    expect(validateForm(f)).toEqual({});
    f.model.d = 15; // DAR's fields no longer count
    f.baselines.misa!.heads = 3;
    f.baselines.misa!.updateEpochs = 1.5;
    expect(validateForm(f)).toEqual({ 'model.heads': 'must divide hidden (128)', 'model.updateEpochs': 'an integer in [1, 1000]' });
    f.baselines.misa!.heads = 4;
    f.baselines.misa!.updateEpochs = 1;
    f.baselines.misa!.gradClip = -1; // -1 disables the clip
    const p = startParams(f);
    expect(p).toMatchObject({ preset: 'demo', modelKind: 'misa', model: { hidden: 128, heads: 4, gradClip: -1 } });
    expect(p.train?.ablations).toEqual([]);
    f.modelKind = 'lnln';
    f.baselines.lnln!.hyperDepth = 4;
    expect(validateForm(f)).toEqual({ 'model.hyperDepth': 'at most depth + 1 (3)' });
    expect(startParams({ ...f, modelKind: 'dar' }).modelKind).toBeUndefined();
  });

  it("lands a baseline's coded error on the field it names", () => {
    expect(fieldOfMessage('misa config: hidden must be an integer in [2, 4096], got 3.5')).toBe('model.hidden');
    expect(fieldOfMessage('lnln config: heads must divide d (128), got 3')).toBe('model.heads');
    expect(fieldOfMessage('self-mm config: H must be a number in [0.000001, 100], got 0')).toBe('model.H');
    expect(fieldOfMessage('lnln config: unknown field "width"')).toBe('model.width');
  });

  it('keeps the chosen model when the preset changes, and falls back to DAR for one the worker lacks', () => {
    expect(formFromDefaults(defaultsFor('mosi'), 'self-mm').modelKind).toBe('self-mm');
    expect(formFromDefaults({ ...defaultsFor('mosi'), models: defaultsFor('mosi').models.slice(0, 1) }, 'lnln').modelKind).toBe('dar');
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
