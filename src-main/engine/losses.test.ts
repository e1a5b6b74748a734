import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Modality, PerModality } from '#contract/dataset';
import type { Ablation } from '#contract/model';
import { clubLoss, clubNll, computeLosses, infoNceCommon, l1, mse, supConSpecific, vClubUpper } from './losses';
import type { ForwardOutputs, ModalityOutputs } from './model/dar-model';
import { tinyConfig } from '../../testing/engine/model/tiny-model';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const M: Modality[] = ['l', 'a', 'v'];
const rows = (t: tf.Tensor, d: number) => Array.from({ length: t.size / d }, (_, i) => Array.from(t.dataSync().slice(i * d, (i + 1) * d)));
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const cos = (a: number[], b: number[]) => dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b));
const lse = (xs: number[]) => Math.log(xs.reduce((s, v) => s + Math.exp(v), 0));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const randn = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, 'float32', seed);

describe('l1 and mse', () => {
  it('average over all elements', () => {
    const a = tf.tensor2d([[1, -2], [3, 0.5]]);
    const b = tf.tensor2d([[0, 0], [1, 1]]);
    expect(l1(a, b).dataSync()[0]).toBeCloseTo((1 + 2 + 2 + 0.5) / 4, 6);
    expect(mse(a, b).dataSync()[0]).toBeCloseTo((1 + 4 + 4 + 0.25) / 4, 6);
  });
});

describe('infoNceCommon', () => {
  it('is InfoNCE over the 6 ordered pairs with cosine similarity / tau', () => {
    const B = 4;
    const z = { l: randn([B, 5], 1), a: randn([B, 5], 2), v: randn([B, 5], 3) } as PerModality<tf.Tensor2D>;
    const tau = 0.3;
    const pairs: number[] = [];
    for (const m of M) {
      for (const n of M) {
        if (m === n) continue;
        const zm = rows(z[m], 5);
        const zn = rows(z[n], 5);
        pairs.push(mean(zm.map((anchor, i) => {
          const logits = zn.map((cand) => cos(anchor, cand) / tau);
          return lse(logits) - logits[i];
        })));
      }
    }
    expect(infoNceCommon(z, tau).dataSync()[0]).toBeCloseTo(mean(pairs), 4);
  });
});

describe('supConSpecific', () => {
  it('uses the modality as class and all 3B - 1 others as denominator', () => {
    const B = 3;
    const z = { l: randn([B, 4], 4), a: randn([B, 4], 5), v: randn([B, 4], 6) } as PerModality<tf.Tensor2D>;
    const tau = 0.5;
    const all = M.flatMap((m) => rows(z[m], 4));
    const losses = all.map((anchor, a) => {
      const others = all.map((v, k) => ({ k, s: cos(anchor, v) / tau })).filter(({ k }) => k !== a);
      const denom = lse(others.map(({ s }) => s));
      const pos = others.filter(({ k }) => Math.floor(k / B) === Math.floor(a / B));
      return -mean(pos.map(({ s }) => s - denom));
    });
    expect(supConSpecific(z, tau).dataSync()[0]).toBeCloseTo(mean(losses), 4);
  });

  it('is 0 for a batch of one (no positives)', () => {
    const z = { l: randn([1, 4], 1), a: randn([1, 4], 2), v: randn([1, 4], 3) } as PerModality<tf.Tensor2D>;
    expect(supConSpecific(z, 0.1).dataSync()[0]).toBe(0);
  });
});

/** ll(y | mu, logvar) = -sum_d (y - mu)^2 / (2 exp(logvar)) of one step. */
const ll = (y: number[], mu: number[], lv: number[]) => -y.reduce((s, v, c) => s + (v - mu[c]) ** 2 / (2 * Math.exp(lv[c])), 0);

describe('vClubUpper and clubNll', () => {
  const [B, T, D] = [3, 2, 4];
  const y = randn([B, T, D], 7) as tf.Tensor3D;
  const mu = randn([B, T, D], 8) as tf.Tensor3D;
  const lv = tf.tanh(randn([B, T, D], 9)) as tf.Tensor3D;
  const at = (x: tf.Tensor, b: number, s: number) => Array.from(x.dataSync().slice((b * T + s) * D, (b * T + s + 1) * D));

  it('vCLUB: mean over i and t of ll(y_i | x_i) - mean_j ll(y_j | x_i)', () => {
    const terms: number[] = [];
    for (let i = 0; i < B; i++) {
      for (let s = 0; s < T; s++) {
        const neg = mean(Array.from({ length: B }, (_, j) => ll(at(y, j, s), at(mu, i, s), at(lv, i, s))));
        terms.push(ll(at(y, i, s), at(mu, i, s), at(lv, i, s)) - neg);
      }
    }
    expect(vClubUpper(y, mu, lv).dataSync()[0]).toBeCloseTo(mean(terms), 4);
  });

  it('CLUB NLL keeps the logvar / 2 term and does not pull on its target', () => {
    const terms: number[] = [];
    for (let i = 0; i < B; i++) for (let s = 0; s < T; s++) terms.push(-ll(at(y, i, s), at(mu, i, s), at(lv, i, s)) + at(lv, i, s).reduce((a, v) => a + v / 2, 0));
    expect(clubNll(y, mu, lv).dataSync()[0]).toBeCloseTo(mean(terms), 4);
    const [gy, gmu, glv] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => clubNll(a as tf.Tensor3D, b as tf.Tensor3D, c as tf.Tensor3D))([y, mu, lv]);
    expect(Array.from(gy.dataSync()).every((v) => v === 0)).toBe(true);
    const [Y, MU, LV] = [y, mu, lv].map((t) => t.dataSync());
    const n = B * T;
    Array.from(gmu.dataSync()).forEach((g, i) => expect(g).toBeCloseTo(-(Y[i] - MU[i]) / Math.exp(LV[i]) / n, 5));
    Array.from(glv.dataSync()).forEach((g, i) => expect(g).toBeCloseTo((0.5 - (Y[i] - MU[i]) ** 2 / (2 * Math.exp(LV[i]))) / n, 5));
    const three = clubLoss({ l: y, a: y, v: y }, { l: { mu, logvar: lv }, a: { mu, logvar: lv }, v: { mu, logvar: lv } });
    expect(three.dataSync()[0]).toBeCloseTo(mean(terms), 4);
  });
});

/** A fake forward pass of random tensors with the shapes of the real one. */
function fakeOutputs(B: number, t: number, d: number, club: boolean, seed = 20): ForwardOutputs {
  let s = seed;
  const r = () => randn([B, t, d], s++) as tf.Tensor3D;
  const per = {} as PerModality<ModalityOutputs>;
  for (const m of M) {
    const o = { U1: r(), U1t: r(), Hcom: r(), Hspec: r(), Hcom_t: r(), Hspec_t: r(), Ure: r(), Hhat_com: r(), Hhat_spec: r(), Uhat1: r(), gate_com: r(), gate_spec: r(), Hcom_fused: r(), Hspec_fused: r() } as ModalityOutputs;
    if (club) Object.assign(o, { club_mu: r(), club_logvar: tf.tanh(r()) });
    per[m] = o;
  }
  return { perModality: per, h_com: randn([B, 3 * d], s++) as tf.Tensor2D, h_spec: randn([B, 6 * d], s++) as tf.Tensor2D, y_hat: randn([B], s++) as tf.Tensor1D, y_boot: randn([B], s++) as tf.Tensor1D };
}

describe('computeLosses', () => {
  const config = tinyConfig({ lambda: 0.7, alpha: 0.1, beta: 0.2, tau: 0.1 });
  const out = fakeOutputs(4, 3, 5, true);
  const labels = tf.tensor1d([0.5, -1, 2, 0]);
  const value = (ab: Ablation[]) => Object.fromEntries(Object.entries(computeLosses(out, labels, config, ab).terms).map(([k, v]) => [k, v.dataSync()[0]]));
  const P = out.perModality;
  const zOf = (key: 'Hcom_t' | 'Hspec_t') => ({ l: tf.mean(P.l[key], 1), a: tf.mean(P.a[key], 1), v: tf.mean(P.v[key], 1) }) as PerModality<tf.Tensor2D>;

  it('composes every term as the spec says', () => {
    const v = value([]);
    const task = l1(out.y_hat, labels).dataSync()[0] + l1(out.y_boot, labels).dataSync()[0];
    const sim = infoNceCommon(zOf('Hcom_t'), 0.1).dataSync()[0] + supConSpecific(zOf('Hspec_t'), 0.1).dataSync()[0];
    const diff = mean(M.map((m) => vClubUpper(P[m].Hcom_t, P[m].club_mu!, P[m].club_logvar!).dataSync()[0]));
    const re = M.reduce((s, m) => s + mse(P[m].Ure, P[m].U1t).dataSync()[0], 0);
    const recon = M.reduce((s, m) => s + mse(P[m].Hhat_com, P[m].Hcom).dataSync()[0] + mse(P[m].Hhat_spec, P[m].Hspec).dataSync()[0] + mse(P[m].Uhat1, P[m].U1).dataSync()[0], 0);
    expect(v.task).toBeCloseTo(task, 5);
    expect(v.sim).toBeCloseTo(sim, 4);
    expect(v.diff).toBeCloseTo(diff, 4);
    expect(v.re).toBeCloseTo(re, 4);
    expect(v.recon).toBeCloseTo(recon, 4);
    expect(v.total).toBeCloseTo(task + 0.1 * (0.7 * (sim + diff) + re) + 0.2 * recon, 4);
    expect(v.sel).toBeCloseTo(v.total - 0.1 * 0.7 * diff, 5);
  });

  it('drops each ablated term from total and sel', () => {
    const full = value([]);
    const boot = l1(out.y_boot, labels).dataSync()[0];
    const cases: [Ablation, number, number][] = [
      ['no_sim', 0.1 * 0.7 * full.sim, 0.1 * 0.7 * full.sim],
      ['no_diff', 0.1 * 0.7 * full.diff, 0],
      ['no_sim_diff', 0.1 * 0.7 * (full.sim + full.diff), 0.1 * 0.7 * full.sim],
      ['no_recon', 0.2 * full.recon, 0.2 * full.recon],
      ['no_boot', boot, boot],
    ];
    for (const [ab, dropTotal, dropSel] of cases) {
      const v = value([ab]);
      expect(v.total).toBeCloseTo(full.total - dropTotal, 4);
      expect(v.sel).toBeCloseTo(full.sel - dropSel, 4);
    }
    expect(value(['no_boot']).task).toBeCloseTo(full.task - boot, 5);
  });

  it('stops the gradient into the L_re target but not into the L_recon targets', () => {
    const grad = (term: 're' | 'recon', key: 'U1t' | 'Ure' | 'Hcom' | 'Hhat_com') =>
      tf.grad((x: tf.Tensor) => {
        const o = { ...out, perModality: { ...P, l: { ...P.l, [key]: x } } };
        return computeLosses(o, labels, config, []).terms[term];
      })(P.l[key]);
    expect(Array.from(grad('re', 'U1t').dataSync()).every((g) => g === 0)).toBe(true);
    expect(Math.max(...Array.from(grad('re', 'Ure').dataSync()).map(Math.abs))).toBeGreaterThan(0);
    expect(Math.max(...Array.from(grad('recon', 'Hcom').dataSync()).map(Math.abs))).toBeGreaterThan(0);
    expect(Math.max(...Array.from(grad('recon', 'Hhat_com').dataSync()).map(Math.abs))).toBeGreaterThan(0);
  });

  it('needs the CLUB outputs unless L_diff is ablated', () => {
    const bare = fakeOutputs(4, 3, 5, false);
    expect(() => computeLosses(bare, labels, config, [])).toThrow(/L_diff needs CLUB outputs for l/);
    const v = computeLosses(bare, labels, config, ['no_diff']).terms;
    expect(v.diff.dataSync()[0]).toBe(0);
    expect(v.sel.dataSync()[0]).toBeCloseTo(v.total.dataSync()[0], 6);
  });
});
