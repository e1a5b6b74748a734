import { describe, it, expect } from 'vitest';
import type { SeqTensor, SplitData } from '#contract/dataset';
import { applyNormaliser, fitNormaliser, parseNormaliser } from './normaliser';

function tensor(n: number, t: number, d: number, f: (i: number, j: number, k: number) => number): SeqTensor {
  const data = new Float32Array(n * t * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < t; j++) for (let k = 0; k < d; k++) data[(i * t + j) * d + k] = f(i, j, k);
  return { data, n, t, d };
}

/** Two clips; a: [2,3,2] with lengths 2 and 3, v: [2,2,1] with lengths 1 and 2; padding holds 99. */
function split(): SplitData {
  const aLen = [2, 3];
  const vLen = [1, 2];
  return {
    n: 2,
    ids: ['x$_$1', 'x$_$2'],
    labels: new Float32Array([0.5, -1]),
    rawText: ['', ''],
    l: tensor(2, 3, 2, () => 7),
    a: tensor(2, 3, 2, (i, j, k) => (j < aLen[i] ? (k === 0 ? i * 3 + j : 5) : 99)),
    v: tensor(2, 2, 1, (i, j) => (j < vLen[i] ? i * 2 + j + 1 : 99)),
    lengths: { l: new Int32Array([3, 3]), a: new Int32Array(aLen), v: new Int32Array(vLen) },
  };
}

describe('feature normaliser', () => {
  it('fits mean and population std over valid frames only', () => {
    const norm = fitNormaliser(split());
    // a dim 0 valid values: 0, 1, 3, 4, 5 -> mean 2.6, population variance 3.44
    expect(norm.a.mean[0]).toBeCloseTo(2.6, 12);
    expect(norm.a.std[0]).toBeCloseTo(Math.sqrt(3.44), 12);
    // a dim 1 is constant 5: std 0 -> 1
    expect(norm.a.mean[1]).toBe(5);
    expect(norm.a.std[1]).toBe(1);
    // v valid values 1, 3, 4 -> mean 8/3, population std sqrt(14/9)
    expect(norm.v.mean[0]).toBeCloseTo(8 / 3, 12);
    expect(norm.v.std[0]).toBeCloseTo(Math.sqrt(14 / 9), 12);
  });

  it('leaves frames the source reports missing out of the statistics', () => {
    const s = split();
    s.sourceMissing = { l: [], a: [undefined, new Uint8Array([0, 0, 1])], v: [] };
    const norm = fitNormaliser(s);
    // a dim 0 without the value 5: 0, 1, 3, 4 -> mean 2
    expect(norm.a.mean[0]).toBe(2);
    expect(norm.a.std[0]).toBeCloseTo(Math.sqrt(2.5), 12);
  });

  it('normalises valid frames into a copy, zeroes padding and leaves text and the input alone', () => {
    const s = split();
    const before = Float32Array.from(s.a.data);
    const norm = fitNormaliser(s);
    const out = applyNormaliser(s, norm);
    expect(s.a.data).toEqual(before);
    expect(out.l).toBe(s.l);
    expect(out.a.data).not.toBe(s.a.data);
    const a = out.a.data;
    expect(a[0]).toBeCloseTo((0 - 2.6) / Math.sqrt(3.44), 6);
    expect(a[1]).toBe(0); // constant dim: (5 - 5) / 1
    expect([a[4], a[5]]).toEqual([0, 0]); // clip 0 frame 2 is padding
    expect(out.v.data[1]).toBe(0); // clip 0 frame 1 of v is padding
    // normalised valid frames have mean 0 and population std 1
    const vals = [a[0], a[2], a[6], a[8], a[10]];
    const mean = vals.reduce((x, y) => x + y) / 5;
    expect(mean).toBeCloseTo(0, 6);
    expect(vals.reduce((x, y) => x + (y - mean) ** 2, 0) / 5).toBeCloseTo(1, 5);
  });

  it('rejects a normaliser whose dimensions do not match the data', () => {
    const norm = fitNormaliser(split());
    norm.v = { mean: [0, 0], std: [1, 1] };
    expect(() => applyNormaliser(split(), norm)).toThrow(/normaliser v: expected 1 dimensions \(as the data\), got 2/);
  });

  it('round-trips through JSON and rejects malformed metadata with a coded error', () => {
    const norm = fitNormaliser(split());
    expect(parseNormaliser(JSON.stringify(norm))).toEqual(norm);
    expect(parseNormaliser(JSON.parse(JSON.stringify(norm)))).toEqual(norm);
    const cases: [unknown, RegExp][] = [
      ['{', /not valid JSON/],
      [[], /expected an object/],
      [{ a: norm.a }, /v: expected \{ mean, std \}/],
      [{ a: { mean: [0], std: [0] }, v: norm.v }, /a\.std\[0\]: expected a finite positive number, got 0/],
      [{ a: { mean: ['0'], std: [1] }, v: norm.v }, /a\.mean\[0\]/],
      [{ a: { mean: [0, 1], std: [1] }, v: norm.v }, /mean has 2 dimensions, std 1/],
    ];
    for (const [json, message] of cases) {
      expect(() => parseNormaliser(json)).toThrow(message);
      try {
        parseNormaliser(json);
      } catch (err) {
        expect((err as { code: string }).code).toBe('CHECKPOINT_MALFORMED');
      }
    }
  });
});
