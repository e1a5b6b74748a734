import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy, readNpy } from './npy';
import { floatToHalf, halfToFloat } from './npy-half';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../testing/engine/data/features');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  npy: Record<string, { shape: number[]; dtype: string; values: (number | string)[] }>;
};

/** JSON spells non-finite values out. */
function fromJson(v: number | string): number {
  return typeof v === 'number' ? v : v === 'nan' ? Number.NaN : v === 'inf' ? Infinity : -Infinity;
}

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    return `${(err as { code: string }).code}: ${(err as Error).message}`;
  }
  return 'no error';
};

describe('encodeNpy / parseNpy', () => {
  it('round-trips float32 data with its shape and a 64-byte aligned v1.0 header', () => {
    const data = new Float32Array([1, 2, 3, 4, 5, 6]);
    const bytes = encodeNpy(data, [2, 3]);
    expect(bytes[6]).toBe(1);
    expect((10 + (bytes[8] | (bytes[9] << 8))) % 64).toBe(0);
    const arr = parseNpy(bytes);
    expect(arr.shape).toEqual([2, 3]);
    expect(arr.dtype).toBe('<f4');
    expect(Array.from(arr.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes scalars and 1-d shapes as numpy tuples', () => {
    expect(parseNpy(encodeNpy(new Float64Array([2.5]), [])).shape).toEqual([]);
    expect(parseNpy(encodeNpy(new Int32Array([7, 8]), [2])).data).toEqual(new Int32Array([7, 8]));
  });

  it('converts to float16, float64, int32 and uint8 on request', () => {
    const src = new Float32Array([0.1, -2, 1000.5]);
    expect(Array.from(parseNpy(encodeNpy(src, [3], '<f2')).data)).toEqual([0.0999755859375, -2, 1000.5]);
    expect(parseNpy(encodeNpy(src, [3], '<f8')).data).toEqual(src);
    expect(Array.from(parseNpy(encodeNpy(src, [3], '<i4')).data)).toEqual([0, -2, 1000]);
    expect(parseNpy(encodeNpy(new Uint8Array([0, 255]), [2])).dtype).toBe('|u1');
  });

  it('counts non-finite floats without changing them', () => {
    const arr = parseNpy(encodeNpy(new Float32Array([Number.NaN, 1, -Infinity]), [3]));
    expect(arr.nonfinite).toBe(2);
    expect(arr.data[2]).toBe(-Infinity);
  });

  it('refuses a shape that does not match the data', () => {
    expect(code(() => encodeNpy(new Float32Array(5), [2, 3]))).toMatch(/^ARG_INVALID/);
  });
});

describe('parseNpy memory', () => {
  it('reads from a Node Buffer at an unaligned offset', () => {
    const npy = encodeNpy(new Float32Array([1.5, -2]), [2]);
    const buf = Buffer.alloc(npy.length + 1);
    buf.set(npy, 1);
    expect(Array.from(parseNpy(buf.subarray(1)).data)).toEqual([1.5, -2]);
  });

  it('never modifies its input when swapping big-endian bytes', async () => {
    const bytes = readFileSync(join(FIXTURES, 'npy', 'f4_big.npy'));
    const before = Buffer.from(bytes);
    parseNpy(bytes);
    expect(bytes.equals(before)).toBe(true);
  });
});

describe('parseNpy errors', () => {
  const good = encodeNpy(new Float32Array([1, 2, 3, 4]), [2, 2]);

  it('rejects bad magic naming the file', () => {
    const bad = good.slice();
    bad[1] = 0;
    expect(code(() => parseNpy(bad, 'x.npy'))).toMatch(/^NPY_MALFORMED: x\.npy: .*magic/);
  });

  it('rejects truncated data with expected and actual byte counts', () => {
    expect(code(() => parseNpy(good.subarray(0, good.length - 3), 'x.npy'))).toMatch(
      /^NPY_MALFORMED: x\.npy: truncated: shape \[2,2\] <f4 needs 16 bytes, got 13/,
    );
  });

  it('rejects a truncated header', () => {
    expect(code(() => parseNpy(good.subarray(0, 30), 'x.npy'))).toMatch(/^NPY_MALFORMED: x\.npy: truncated header/);
  });

  it('rejects extra data after the array', () => {
    const longer = new Uint8Array(good.length + 4);
    longer.set(good);
    expect(code(() => parseNpy(longer, 'x.npy'))).toMatch(/^NPY_MALFORMED: .*size mismatch/);
  });
});

describe('half floats', () => {
  it('rounds to nearest even like numpy', () => {
    // 2049 lies halfway between the halves 2048 and 2050: ties go to the even mantissa (2048).
    expect(halfToFloat(floatToHalf(2049))).toBe(2048);
    expect(halfToFloat(floatToHalf(2051))).toBe(2052);
    expect(halfToFloat(floatToHalf(65520))).toBe(Infinity);
    expect(halfToFloat(floatToHalf(2 ** -25))).toBe(0);
    expect(halfToFloat(floatToHalf(2 ** -24))).toBe(2 ** -24);
    expect(halfToFloat(floatToHalf(-0))).toBe(-0);
  });
});

describe('readNpy on files numpy wrote', () => {
  it.each(Object.entries(expected.npy))('reads %s with the shape, dtype and C-order values numpy has', async (file, want) => {
    const arr = await readNpy(join(FIXTURES, 'npy', file));
    expect(arr.shape).toEqual(want.shape);
    expect(arr.dtype).toBe(want.dtype);
    const values = want.values.map(fromJson).map((v) => (arr.kind === 'f' ? Math.fround(v) : v));
    expect(Array.from(arr.data)).toEqual(values);
    expect(arr.nonfinite).toBe(values.filter((v) => !Number.isFinite(v)).length);
  });

  it('returns float32 for every float dtype and exact doubles for 64-bit ints', async () => {
    expect((await readNpy(join(FIXTURES, 'npy', 'f8_big.npy'))).data).toBeInstanceOf(Float32Array);
    expect((await readNpy(join(FIXTURES, 'npy', 'f2.npy'))).data).toBeInstanceOf(Float32Array);
    expect((await readNpy(join(FIXTURES, 'npy', 'i8.npy'))).data).toBeInstanceOf(Float64Array);
  });

  it.each(['object.npy', 'structured.npy', 'unicode.npy'])('refuses %s as NPY_UNSUPPORTED naming the file', async (file) => {
    await expect(readNpy(join(FIXTURES, 'npy', file))).rejects.toMatchObject({
      code: 'NPY_UNSUPPORTED',
      message: expect.stringContaining(file),
    });
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    await expect(readNpy(join(FIXTURES, 'nope.npy'))).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

describe('parseNpy header errors', () => {
  const withHeader = (header: string): Uint8Array => {
    const h = new TextEncoder().encode(header);
    const out = new Uint8Array(10 + h.length);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length, 0]);
    out.set(h, 10);
    return out;
  };

  it.each([
    ["{'descr': '<f4', 'fortran_order': False}\n", /'shape' missing/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }\n", /bad dimension/],
    ["{'descr': '<f4', 'fortran_order': 0, 'shape': (), }\n", /'fortran_order'/],
    ["{'descr': '<f4', 'fortran_order': False, 'shape': (2,\n", /bad .npy header/],
  ])('rejects header %j', (header, why) => {
    expect(code(() => parseNpy(withHeader(header), 'h.npy'))).toMatch(/^NPY_MALFORMED: h\.npy/);
    expect(code(() => parseNpy(withHeader(header), 'h.npy'))).toMatch(why);
  });

  it('rejects an unknown format version as unsupported', () => {
    const bytes = encodeNpy(new Float32Array([1]), [1]);
    bytes[6] = 9;
    expect(code(() => parseNpy(bytes, 'v.npy'))).toMatch(/^NPY_UNSUPPORTED: v\.npy: .npy format version 9\.0/);
  });

  it('reads a Python 2 header with long dimensions', () => {
    const header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2L,), }\n";
    const bytes = withHeader(header);
    const full = new Uint8Array(bytes.length + 8);
    full.set(bytes);
    full.set([5, 0, 0, 0, 6, 0, 0, 0], bytes.length);
    expect(Array.from(parseNpy(full).data)).toEqual([5, 6]);
  });
});
