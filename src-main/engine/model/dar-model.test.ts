import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modality } from '#contract/dataset';
import { clubLoss, computeLosses, mse } from '../losses';
import { DarModel } from './dar-model';
import type { ForwardMode, ForwardOutputs } from './dar-model';
import { randomBatch, tinyConfig } from '../../../testing/engine/model/tiny-model';
import { disposeInputs, toModelInputs } from './inputs/inputs';
import type { ModelInputs } from './inputs/inputs';
import { maxAbsDiff } from '../../../testing/engine/model/ops-reference';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const M: Modality[] = ['l', 'a', 'v'];
// Text wider than d exercises the wide alignment layout, a and v the narrow one.
const config = tinyConfig({ inputDims: { l: 10, a: 3, v: 4 }, alpha: 0.5, beta: 0.5, tau: 0.5 });
const batch = randomBatch(config, 3, { lengths: { l: [7, 3, 5], a: [9, 2, 6], v: [11, 8, 1] }, seed: 4 });
const labels = tf.tensor1d(batch.labels!);
let inputs: ModelInputs;
beforeAll(() => {
  inputs = toModelInputs(batch, config);
});
afterAll(() => disposeInputs(inputs));

const values = (t: tf.Tensor) => Array.from(t.dataSync());
const totalLoss = (model: DarModel, mode: ForwardMode = { training: false, club: true }) =>
  computeLosses(model.forward(inputs, mode), labels, model.config, []).terms.total;

describe('DarModel parameters', () => {
  const model = new DarModel(config, 1);

  it('has exactly the spec modules, named and shaped as in the snapshot', () => {
    const shapes = model.params.names().map((n) => `${n} ${JSON.stringify(model.params.get(n).shape)}`);
    expect(shapes).toMatchSnapshot();
    const d = 8;
    const expectShape: [string, number[]][] = [
      ['align.a.conv.kernel', [3, 3, d]],
      ['align.l.conv.kernel', [3, 10, d]],
      ['align.v.pos', [4, d]],
      ['enc_com.l.attn.query.kernel', [d, d]],
      ['enc_spec.v.ffn.dense1.kernel', [d, 2 * d]],
      ['dec_re.l.dense1.kernel', [3 * d, d]],
      ['rec_com.a.proj.kernel', [3 * d, d]],
      ['rec_com.a.block.ln2.beta', [d]],
      ['rec_spec.v.attn.output.bias', [d]],
      ['dec_rec.l.dense1.kernel', [2 * d, d]],
      ['gate_com.l.kernel', [2 * d, d]],
      ['gate_spec.v.bias', [d]],
      ['fuse_com.1.ffn.dense2.kernel', [2 * d, d]],
      ['fuse_spec.l_v.ln_q.gamma', [d]],
      ['fuse_spec.a_l.attn.query.kernel', [d, d]],
      ['head.dense1.kernel', [9 * d, d]],
      ['head.dense2.kernel', [d, 1]],
      ['boot.dense1.kernel', [3 * d, d]],
      ['club.l.lstm.fw.kernel', [d, 2 * d]],
      ['club.v.lstm.bw.recurrent_kernel', [d / 2, 2 * d]],
      ['club.a.logvar.kernel', [d, d]],
    ];
    for (const [name, shape] of expectShape) expect(model.params.get(name).shape, name).toEqual(shape);
    const pairs = model.params.names().filter((n) => n.endsWith('.ln_q.gamma')).map((n) => n.split('.')[1]);
    expect(pairs).toEqual(['a_l', 'a_v', 'l_a', 'l_v', 'v_a', 'v_l']);
    expect(model.params.names().filter((n) => n.startsWith('fuse_com.')).every((n) => /^fuse_com\.[01]\./.test(n))).toBe(true);
  });

  it("puts the CLUB estimators, and only them, in group 'club'", () => {
    expect(model.params.names('club').every((n) => n.startsWith('club.'))).toBe(true);
    expect(model.params.names('main').some((n) => n.startsWith('club.'))).toBe(false);
    expect(model.params.names('club')).toHaveLength(3 * 10);
  });

  it('has 3,850,882 main and 395,520 CLUB weights at the defaults with MOSI dims', () => {
    const mosi = new DarModel({ ...config, d: 128, t: 16, heads: 4, inputDims: { l: 768, a: 5, v: 20 }, seqLen: { l: 50, a: 375, v: 500 } }, 1);
    expect([mosi.params.count('main'), mosi.params.count('club')]).toEqual([3850882, 395520]);
    mosi.dispose();
  });
});

describe('DarModel forward', () => {
  const model = new DarModel({ ...config, dropout: 0.2 }, 1);

  it('returns every intermediate with the spec shapes', () => {
    tf.tidy(() => {
      const out = model.forward(inputs, { training: false, club: true });
      for (const m of M) {
        for (const [k, v] of Object.entries(out.perModality[m])) expect((v as tf.Tensor).shape, `${m}.${k}`).toEqual([3, 4, 8]);
      }
      expect(out.h_com.shape).toEqual([3, 24]);
      expect(out.h_spec.shape).toEqual([3, 48]);
      expect(out.y_hat.shape).toEqual([3]);
      expect(out.y_boot.shape).toEqual([3]);
      const g = values(out.perModality.a.gate_com);
      expect(g.every((v) => v > 0 && v < 1)).toBe(true);
    });
  });

  it('gives identical outputs for the same seed and different ones for another', () => {
    const twin = new DarModel({ ...config, dropout: 0.2 }, 1);
    const other = new DarModel({ ...config, dropout: 0.2 }, 2);
    tf.tidy(() => {
      const y = values(model.forward(inputs, { training: false }).y_hat);
      expect(values(twin.forward(inputs, { training: false }).y_hat)).toEqual(y);
      expect(maxAbsDiff(values(other.forward(inputs, { training: false }).y_hat), y)).toBeGreaterThan(1e-4);
    });
    twin.dispose();
    other.dispose();
  });

  it('uses dropout only when training, with masks fixed by the seed', () => {
    tf.tidy(() => {
      const y = (mode: ForwardMode) => values(model.forward(inputs, mode).y_hat);
      const evalY = y({ training: false, seed: 1 });
      expect(y({ training: false, seed: 2 })).toEqual(evalY);
      const train = y({ training: true, seed: 1 });
      expect(maxAbsDiff(train, evalY)).toBeGreaterThan(1e-4);
      expect(y({ training: true, seed: 1 })).toEqual(train);
      expect(maxAbsDiff(y({ training: true, seed: 2 }), train)).toBeGreaterThan(1e-4);
    });
  });

  it('runs one branch when corrupted is complete, with the results of two equal branches', () => {
    const shared = randomBatch(config, 3, { lengths: { l: [7, 3, 5], a: [9, 2, 6], v: [11, 8, 1] }, seed: 4, rate: 'shared' });
    const copied = { ...shared, modalities: { ...shared.modalities } };
    for (const m of M) copied.modalities[m] = { ...shared.modalities[m], corrupted: shared.modalities[m].complete.slice() };
    const one = toModelInputs(shared, config);
    const two = toModelInputs(copied, config);
    expect(one.v.branches).toBe(1);
    expect(two.v.branches).toBe(2);
    tf.tidy(() => {
      const a = model.forward(one, { training: false });
      const b = model.forward(two, { training: false });
      expect(maxAbsDiff(values(a.y_hat), values(b.y_hat))).toBeLessThan(1e-5);
      expect(maxAbsDiff(values(a.perModality.l.Hcom), values(b.perModality.l.Hcom))).toBeLessThan(1e-5);
      expect(values(a.perModality.v.U1)).toEqual(values(a.perModality.v.U1t));
    });
    disposeInputs(one);
    disposeInputs(two);
  });

  it('lets encode, club and clubAll reproduce what forward computes', () => {
    tf.tidy(() => {
      let seen: Parameters<NonNullable<ForwardMode['onEncoded']>>[0] | undefined;
      const out = model.forward(inputs, { training: false, club: true, onEncoded: (f) => (seen = f) });
      const enc = model.encode(inputs, { training: false });
      const all = model.clubAll({ l: enc.l.Hspec_t, a: enc.a.Hspec_t, v: enc.v.Hspec_t });
      for (const m of M) {
        const p = out.perModality[m];
        expect(maxAbsDiff(values(enc[m].Hcom_t), values(p.Hcom_t))).toBeLessThan(1e-6);
        expect(maxAbsDiff(values(seen![m].Hspec_t), values(p.Hspec_t))).toBeLessThan(1e-6);
        expect(maxAbsDiff(values(all[m].mu), values(p.club_mu!))).toBeLessThan(1e-5);
        expect(maxAbsDiff(values(model.club(m, enc[m].Hspec_t).logvar), values(p.club_logvar!))).toBeLessThan(1e-5);
      }
    });
  });

  it('refuses a corrupted frame that is neither the complete frame nor zero', () => {
    const bad = randomBatch(config, 2, { seed: 5 });
    bad.modalities.l.corrupted[3] += 1;
    expect(() => toModelInputs(bad, config)).toThrow(/batch l\.corrupted: clip 0 frame 0 is neither the complete frame nor zero/);
    const wrongDim = randomBatch(tinyConfig(), 2);
    expect(() => toModelInputs(wrongDim, config)).toThrow(/batch l: expected feature dim 10, got \[2,7,6\]/);
    const tooLong = randomBatch(config, 2, { seed: 5 });
    tooLong.modalities.v.lengths[1] = 12;
    const before = tf.memory().numTensors;
    expect(() => toModelInputs(tooLong, config)).toThrow(/batch v\.lengths\[1\]: expected 0\.\.11, got 12/);
    expect(tf.memory().numTensors).toBe(before);
  });
});

/** Central difference of f at one entry of v (eps 1e-2), restoring v afterwards. */
function centralDiff(v: tf.Variable, i: number, f: () => tf.Scalar): number {
  const base = v.dataSync().slice();
  const at = (delta: number) => {
    const vals = base.slice();
    vals[i] += delta;
    v.assign(tf.tensor(vals, v.shape));
    return tf.tidy(() => f().dataSync()[0]);
  };
  const d = (at(1e-2) - at(-1e-2)) / 2e-2;
  v.assign(tf.tensor(base, v.shape));
  return d;
}

/** Checks the analytic gradient at the largest and at one other entry of each named variable. */
function checkGradients(model: DarModel, names: string[], f: () => tf.Scalar): void {
  const vars = names.map((n) => model.params.get(n));
  const grads = tf.tidy(() => tf.variableGrads(f, vars).grads);
  for (const [k, v] of vars.entries()) {
    const g = grads[v.name].dataSync();
    let big = 0;
    g.forEach((x, i) => (Math.abs(x) > Math.abs(g[big]) ? (big = i) : 0));
    for (const i of new Set([big, (7 * k + 3) % g.length])) {
      const numeric = centralDiff(v, i, f);
      expect(Math.abs(g[i] - numeric), `${names[k]}[${i}]: analytic ${g[i]}, numeric ${numeric}`).toBeLessThan(1e-3 + 3e-2 * Math.abs(numeric));
    }
    expect(Math.abs(g[big]), `${names[k]} has a gradient`).toBeGreaterThan(1e-3);
  }
  tf.dispose(Object.values(grads));
}

describe('DarModel gradients', () => {
  const model = new DarModel(config, 3);

  it('match central differences of L_total in every module group', () => {
    const names = [
      'align.l.conv.kernel', 'align.a.conv.kernel', 'align.v.conv.bias', 'align.l.ln.gamma', 'align.a.pos',
      'enc_com.l.attn.query.kernel', 'enc_com.v.ln1.beta', 'enc_spec.a.ffn.dense2.kernel', 'enc_spec.l.attn.value.bias',
      'dec_re.v.dense1.kernel', 'rec_com.a.proj.kernel', 'rec_com.l.block.attn.key.kernel', 'rec_spec.v.ln2.gamma',
      'dec_rec.l.dense2.bias', 'gate_com.a.kernel', 'gate_spec.v.bias', 'fuse_com.0.attn.key.kernel',
      'fuse_com.1.ffn.dense1.kernel', 'fuse_spec.a_l.attn.query.kernel', 'fuse_spec.l_v.ln_kv.gamma',
      'head.dense1.kernel', 'head.dense2.bias', 'boot.dense1.kernel',
    ];
    // L_re's target is a stop-gradient: central differences must hold it at its value at w0.
    const target = tf.tidy(() => {
      const out = model.forward(inputs, { training: false });
      return M.map((m) => tf.keep(out.perModality[m].U1t));
    });
    const f = () => {
      const out = model.forward(inputs, { training: false, club: true });
      const fixedRe = tf.addN(M.map((m, i) => mse(out.perModality[m].Ure, target[i])));
      const { total, re } = computeLosses(out, labels, config, []).terms;
      return tf.add(total, tf.mul(config.alpha, tf.sub(fixedRe, re))) as tf.Scalar;
    };
    checkGradients(model, names, f);
    tf.dispose(target);
  }, 30_000);

  it("match central differences of CLUB's own loss for the CLUB weights", () => {
    const enc = model.encode(inputs, { training: false });
    const f = () => clubLoss({ l: enc.l.Hcom_t, a: enc.a.Hcom_t, v: enc.v.Hcom_t }, model.clubAll({ l: enc.l.Hspec_t, a: enc.a.Hspec_t, v: enc.v.Hspec_t }));
    checkGradients(model, ['club.l.lstm.fw.kernel', 'club.a.lstm.bw.recurrent_kernel', 'club.v.lstm.fw.bias', 'club.l.mu.kernel', 'club.a.logvar.bias'], f);
    tf.dispose(Object.values(enc).flatMap((e) => Object.values(e)));
  });

  it('stop the L_re gradient at its target: the alignment sees only the decoder path', () => {
    const vars = model.params.names().filter((n) => n.startsWith('align.')).map((n) => model.params.get(n));
    const grads = (target: (out: ForwardOutputs, m: Modality) => tf.Tensor) =>
      tf.tidy(() => {
        const { grads: g } = tf.variableGrads(() => {
          const out = model.forward(inputs, { training: false });
          return tf.addN(M.map((m) => mse(out.perModality[m].Ure, target(out, m)))) as tf.Scalar;
        }, vars);
        return vars.flatMap((v) => values(g[v.name]));
      });
    const viaLosses = tf.tidy(() => {
      const { grads: g } = tf.variableGrads(() => computeLosses(model.forward(inputs, { training: false, club: true }), labels, config, []).terms.re, vars);
      return vars.flatMap((v) => values(g[v.name]));
    });
    const constant = grads((out, m) => tf.tensor(out.perModality[m].U1t.dataSync(), out.perModality[m].U1t.shape));
    const live = grads((out, m) => out.perModality[m].U1t);
    expect(maxAbsDiff(viaLosses, constant)).toBeLessThan(1e-6);
    expect(maxAbsDiff(live, constant)).toBeGreaterThan(1e-3);
  });

  it('keep the tensor count flat across forward, loss and gradient calls', () => {
    const vars = [...model.params.group('main').values()];
    const step = () =>
      tf.tidy(() => {
        tf.variableGrads(() => totalLoss(model, { training: true, seed: 1, club: true }), vars);
        model.encode(inputs, { training: true, seed: 2 });
      });
    step();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) step();
    const again = toModelInputs(batch, config);
    disposeInputs(again);
    expect(tf.memory().numTensors).toBe(before);
  });
});
