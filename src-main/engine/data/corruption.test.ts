import { describe, it, expect } from 'vitest';
import type { Modality, SeqTensor, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { createRng } from '../rng';
import {
  EVAL_CONDITIONS,
  EVAL_RATES,
  EVAL_SEED,
  TRAIN_MASK_STREAM,
  applyMasks,
  conditionName,
  conditionRates,
  drawEvalUniforms,
  evalMasks,
  maskedCount,
  trainingMasks,
  trainingRates,
  validationMasks,
} from './corruption';

function zeros(n: number, t: number, d: number): SeqTensor {
  return { data: new Float32Array(n * t * d), n, t, d };
}

/** n clips, padded lengths l 10, a 12, v 8; valid lengths vary per clip (some full, some 1). */
function split(n: number): SplitData {
  const len = (t: number) => Int32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? t : 1 + ((i * 7) % t)));
  return {
    n,
    ids: Array.from({ length: n }, (_, i) => `v$_$${i}`),
    labels: new Float32Array(n),
    rawText: new Array<string>(n).fill(''),
    l: zeros(n, 10, 2),
    a: zeros(n, 12, 3),
    v: zeros(n, 8, 1),
    lengths: { l: len(10), a: len(12), v: len(8) },
  };
}

function realisedRate(s: SplitData, m: Modality, masks: Uint8Array[]): number {
  const { masked, valid } = maskedCount(s, m, masks);
  return masked / valid;
}

describe('training corruption', () => {
  it('keeps a valid position iff U >= r, with U drawn in the documented stream and order', () => {
    const s = split(20);
    const masks = trainingMasks(s, { k: { l: 0.3, a: 0.5, v: 0.7 }, mode: 'fixed' }, 1111, 4);
    MODALITIES.forEach((m, mi) => {
      const r = { l: 0.3, a: 0.5, v: 0.7 }[m];
      const rng = createRng(1111, 4, TRAIN_MASK_STREAM, mi);
      for (let i = 0; i < s.n; i++) {
        const len = s.lengths[m][i];
        const expected = Array.from({ length: s[m].t }, (_, j) => {
          const u = rng.next();
          if (j >= len) return 0;
          if (m === 'l' && (j === 0 || j === len - 1)) return 0;
          return u < r ? 1 : 0;
        });
        expect(Array.from(masks[m][i])).toEqual(expected);
      }
    });
  });

  it('masks each position independently (Bernoulli), at the requested rate on average', () => {
    const s = split(400);
    const masks = trainingMasks(s, { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed' }, 7, 0);
    expect(realisedRate(s, 'a', masks.a)).toBeCloseTo(0.3, 1);
    expect(Math.abs(realisedRate(s, 'v', masks.v) - 0.3)).toBeLessThan(0.03);
    const fullClipCounts = masks.a.filter((_, i) => i % 5 === 0).map((mk) => mk.reduce((x, y) => x + y, 0));
    expect(new Set(fullClipCounts).size).toBeGreaterThan(3);
  });

  it('never masks padding or text [CLS]/[SEP], even at rate 1', () => {
    const s = split(30);
    const masks = trainingMasks(s, { k: { l: 1, a: 1, v: 1 }, mode: 'fixed' }, 1, 1);
    for (let i = 0; i < s.n; i++) {
      for (const m of ['a', 'v'] as const) {
        const len = s.lengths[m][i];
        expect(Array.from(masks[m][i])).toEqual(Array.from({ length: s[m].t }, (_, j) => (j < len ? 1 : 0)));
      }
      const len = s.lengths.l[i];
      expect(Array.from(masks.l[i])).toEqual(Array.from({ length: 10 }, (_, j) => (j > 0 && j < len - 1 ? 1 : 0)));
    }
  });

  it('treats frames the source reports missing as masked, even at rate 0', () => {
    const s = split(5);
    s.sourceMissing = { l: [], a: [], v: [new Uint8Array(8).fill(1)] };
    const masks = trainingMasks(s, { k: { l: 0, a: 0, v: 0 }, mode: 'fixed' }, 1, 1);
    expect(Array.from(masks.v[0])).toEqual(new Array<number>(8).fill(1));
    expect(masks.v[1].every((x) => x === 0)).toBe(true);
    expect(masks.a[0].every((x) => x === 0)).toBe(true);
  });

  it('redraws masks every epoch and reproduces them from (seed, epoch)', () => {
    const s = split(10);
    const c = { k: { l: 0.4, a: 0.4, v: 0.4 }, mode: 'fixed' as const };
    expect(trainingMasks(s, c, 3, 2)).toEqual(trainingMasks(s, c, 3, 2));
    expect(trainingMasks(s, c, 3, 2).a).not.toEqual(trainingMasks(s, c, 3, 3).a);
    expect(trainingMasks(s, c, 3, 2).a).not.toEqual(trainingMasks(s, c, 4, 2).a);
  });

  it('draws uniform-mode rates in [0, k) per sample and modality', () => {
    const rates = trainingRates(2000, { k: { l: 0.2, a: 0.4, v: 0.8 }, mode: 'uniform' }, createRng(1));
    for (const [m, k] of [['l', 0.2], ['a', 0.4], ['v', 0.8]] as const) {
      const r = Array.from(rates[m]);
      expect(Math.min(...r)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...r)).toBeLessThan(k);
      expect(r.reduce((x, y) => x + y) / r.length).toBeCloseTo(k / 2, 1);
    }
    expect(Array.from(rates.l)).not.toEqual(Array.from(rates.a));
  });

  it('lnln mode keeps a random half of the samples complete in all modalities, the rest at U(0,1)', () => {
    const n = 1001;
    const rates = trainingRates(n, { k: { l: 0, a: 0, v: 0 }, mode: 'lnln' }, createRng(2));
    const zeroSets = MODALITIES.map((m) => Array.from(rates[m]).flatMap((r, i) => (r === 0 ? [i] : [])));
    for (const z of zeroSets) expect(z).toHaveLength(500);
    expect(zeroSets[1]).toEqual(zeroSets[0]);
    expect(zeroSets[2]).toEqual(zeroSets[0]);
    expect(zeroSets[0]).not.toEqual(Array.from({ length: 500 }, (_, i) => i));
    const drawn = Array.from(rates.a).filter((r) => r > 0);
    expect(drawn.reduce((x, y) => x + y) / drawn.length).toBeCloseTo(0.5, 1);
    expect(Math.max(...drawn)).toBeGreaterThan(0.9);
  });

  it('rejects rates outside [0, 1] and unknown modes', () => {
    const s = split(2);
    expect(() => trainingMasks(s, { k: { l: 0.3, a: 1.5, v: 0 }, mode: 'fixed' }, 1, 0)).toThrow(/k_a: expected a rate in \[0, 1\], got 1.5/);
    const bad = { k: { l: 0, a: 0, v: 0 }, mode: 'half' } as unknown as Parameters<typeof trainingMasks>[1];
    expect(() => trainingMasks(s, bad, 1, 0)).toThrow(/corruption mode/);
  });
});

describe('evaluation corruption', () => {
  it('lists exact decimal rates and the three single-modality removals', () => {
    expect(EVAL_SEED).toBe(1111);
    expect(EVAL_RATES.map(String)).toEqual(['0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    expect(EVAL_CONDITIONS.map(conditionName)).toEqual([...EVAL_RATES.map((r) => `r${r}`), 'no-l', 'no-a', 'no-v']);
    expect(conditionRates({ kind: 'remove', modality: 'a' })).toEqual({ l: 0, a: 1, v: 0 });
  });

  it('draws the same uniforms every time from the evaluation seed, per split', () => {
    const s = split(8);
    const u = drawEvalUniforms(s, 'test');
    expect(drawEvalUniforms(s, 'test')).toEqual(u);
    const rng = createRng(EVAL_SEED, 2, 1);
    expect(Array.from(u.a.subarray(0, 5))).toEqual(Array.from({ length: 5 }, rng.next));
    expect(drawEvalUniforms(s, 'valid').a).not.toEqual(u.a);
    expect(drawEvalUniforms(s, 'test', EVAL_SEED)).toEqual(u);
    expect(drawEvalUniforms(s, 'test', 1112).a).not.toEqual(u.a);
  });

  it('nests the masks: a higher rate masks a superset of a lower rate', () => {
    const s = split(50);
    const u = drawEvalUniforms(s, 'test');
    const at = EVAL_RATES.map((r) => evalMasks(s, u, { l: r, a: r, v: r }));
    for (const m of MODALITIES) {
      expect(maskedCount(s, m, at[0][m]).masked).toBe(0);
      for (let q = 1; q < at.length; q++) {
        for (let i = 0; i < s.n; i++) {
          at[q - 1][m][i].forEach((x, j) => {
            if (x) expect(at[q][m][i][j]).toBe(1);
          });
        }
        expect(maskedCount(s, m, at[q][m]).masked).toBeGreaterThanOrEqual(maskedCount(s, m, at[q - 1][m]).masked);
      }
    }
    expect(realisedRate(s, 'a', at[9].a)).toBeGreaterThan(0.8);
  });

  it('removes one modality entirely but keeps text [CLS]/[SEP]', () => {
    const s = split(12);
    const u = drawEvalUniforms(s, 'test');
    const noL = evalMasks(s, u, conditionRates({ kind: 'remove', modality: 'l' }));
    const { masked, valid } = maskedCount(s, 'l', noL.l);
    const protectedCount = Array.from(s.lengths.l).reduce((x, len) => x + Math.min(len, 2), 0);
    expect(masked).toBe(valid - protectedCount);
    expect(maskedCount(s, 'a', noL.a).masked).toBe(0);
    const noV = evalMasks(s, u, conditionRates({ kind: 'remove', modality: 'v' }));
    expect(realisedRate(s, 'v', noV.v)).toBe(1);
  });

  it('corrupts validation once at 0.5 with the valid split draw', () => {
    const s = split(30);
    const masks = validationMasks(s);
    expect(masks).toEqual(evalMasks(s, drawEvalUniforms(s, 'valid'), { l: 0.5, a: 0.5, v: 0.5 }));
    expect(realisedRate(s, 'a', masks.a)).toBeCloseTo(0.5, 1);
  });
});

describe('applyMasks', () => {
  it('zeroes masked frames in a copy and leaves the input untouched', () => {
    const t: SeqTensor = { data: Float32Array.from({ length: 12 }, (_, i) => i + 1), n: 2, t: 3, d: 2 };
    const out = applyMasks(t, [new Uint8Array([0, 1, 0]), new Uint8Array([1, 0, 1])]);
    expect(Array.from(out.data)).toEqual([1, 2, 0, 0, 5, 6, 0, 0, 9, 10, 0, 0]);
    expect(Array.from(t.data)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect([out.n, out.t, out.d]).toEqual([2, 3, 2]);
  });

  it('rejects masks that do not match the tensor', () => {
    const t: SeqTensor = { data: new Float32Array(12), n: 2, t: 3, d: 2 };
    expect(() => applyMasks(t, [new Uint8Array(3)])).toThrow(/expected 2 \(one per row\), got 1/);
    expect(() => applyMasks(t, [new Uint8Array(3), new Uint8Array(4)])).toThrow(/row 1: expected length 3, got 4/);
  });
});
