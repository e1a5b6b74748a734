import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from './npy';
import { librosaFromNpy, parseLibrosaCsv, readLibrosaCsv, readLibrosaNpy } from './librosa-csv';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../testing/engine/data/features');
const { csv } = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  csv: { librosa: { values: number[][]; starts: number[]; hop: number; sr: number } };
};
const want = csv.librosa;
const flat = want.values.flat().map(Math.fround);

describe('Librosa features', () => {
  it('reads a CSV with a header and a time column as frame starts', async () => {
    const f = await readLibrosaCsv(join(FIXTURES, 'csv', 'librosa_timed.csv'));
    expect([f.t, f.d]).toEqual([4, 3]);
    expect(Array.from(f.data)).toEqual(flat);
    const step = want.starts[1];
    expect(Array.from(f.spans ?? [])).toEqual(want.starts.flatMap((s) => [s, s + step]).map(Math.fround));
  });

  it('reads a header-less CSV, with spans from hop/sr only when given', async () => {
    const plain = await readLibrosaCsv(join(FIXTURES, 'csv', 'librosa_plain.csv'));
    expect(Array.from(plain.data)).toEqual(flat);
    expect(plain.spans).toBeUndefined();
    const timed = await readLibrosaCsv(join(FIXTURES, 'csv', 'librosa_plain.csv'), { hop: want.hop, sr: want.sr });
    expect(timed.spans?.[3]).toBeCloseTo((2 * want.hop) / want.sr, 6);
  });

  it('transposes a feature-major [D, T] .npy when told', async () => {
    const f = await readLibrosaNpy(join(FIXTURES, 'csv', 'librosa_feature_major.npy'), { layout: 'feature-major' });
    expect([f.t, f.d]).toEqual([4, 3]);
    expect(Array.from(f.data)).toEqual(flat);
    const asIs = await readLibrosaNpy(join(FIXTURES, 'csv', 'librosa_feature_major.npy'));
    expect([asIs.t, asIs.d]).toEqual([3, 4]);
  });

  it('zeroes and counts non-finite values', () => {
    const f = librosaFromNpy(parseNpy(encodeNpy(new Float32Array([1, -Infinity, NaN, 2]), [2, 2])));
    expect(Array.from(f.data)).toEqual([1, 0, 0, 2]);
    expect(f.nonfinite).toBe(2);
    const c = parseLibrosaCsv('1,-inf\nnan,2\n');
    expect([Array.from(c.data), c.nonfinite]).toEqual([[1, 0, 0, 2], 2]);
  });

  it('rejects arrays that are not [T, D]', () => {
    const cube = parseNpy(encodeNpy(new Float32Array(8), [2, 2, 2]), 'cube.npy');
    expect(() => librosaFromNpy(cube)).toThrow(expect.objectContaining({ code: 'DATASET_SHAPE', message: expect.stringContaining('cube.npy') }));
  });

  it.each([
    ['a short row', 'time,a,b\n0,1,2\n0.1,3\n', /l\.csv: line 3: expected 3 fields/],
    ['a text cell', 'a,b\n1,2\n3,x\n', /line 3, column 'b': expected a number, got 'x'/],
    ['times going backwards', 'time,a\n0.5,1\n0.2,2\n', /line 3, column 'time'/],
  ])('rejects %s with CSV_MALFORMED', (_, text, why) => {
    expect(() => parseLibrosaCsv(text, 'l.csv')).toThrow(expect.objectContaining({ code: 'CSV_MALFORMED', message: expect.stringMatching(why) }));
  });
});
