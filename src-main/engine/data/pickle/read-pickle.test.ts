import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import type { RandomAccess } from './byte-reader';
import { memoryAccess } from './byte-reader';
import { PickleAsm } from './pickle-asm';
import type { NdArray, PyKey, PyValue } from './py-value';
import { readPickleBytes, readPickleFile, readPickleFrom } from './read-pickle';

const fixtures = fileURLToPath(new URL('../../../../testing/engine/data/pickles/', import.meta.url));

function asDict(v: PyValue): Map<PyKey, PyValue> {
  if (!(v instanceof Map)) throw new Error('expected a dict');
  return v;
}

function nd(v: PyValue | undefined): NdArray {
  if (typeof v !== 'object' || v === null || !('kind' in v) || v.kind !== 'ndarray') throw new Error('expected an ndarray');
  return v;
}

describe('readPickleFile on the plain-values fixtures', () => {
  const protocols = [0, 1, 2, 3, 4, 5];

  it.each(protocols)('decodes every Python and numpy value written with protocol %i', (p) => {
    const d = asDict(readPickleFile(`${fixtures}values_p${p}.pkl`));
    expect(d.get('int')).toBe(7);
    expect(d.get('neg')).toBe(-300000);
    expect(d.get('big')).toBe(2n ** 70n);
    expect(d.get('bigneg')).toBe(-(2n ** 64n) - 1n);
    expect(d.get('float')).toBe(1.25);
    expect([d.get('none'), d.get('true'), d.get('false')]).toEqual([null, true, false]);
    expect(d.get('str')).toBe('héllo ☕');
    expect(d.get('bytes')).toEqual(Uint8Array.of(0, 255, 97, 98));
    expect(d.get('bytearray')).toEqual(new TextEncoder().encode('xyz'));
    expect(d.get('tuple')).toEqual({ kind: 'tuple', items: [1, 'two', 3] });
    expect(d.get('list')).toEqual([1, [2, [3]]]);
    expect(d.get('set')).toEqual({ kind: 'set', frozen: false, items: [5] });
    expect(d.get('frozenset')).toEqual({ kind: 'set', frozen: true, items: ['f'] });
    expect(d.get('scalar_f64')).toBe(2.5);
    expect(d.get('scalar_i64')).toBe(-(2n ** 60n));
    expect(d.get('scalar_bool')).toBe(true);
  });

  it.each(protocols)('rebuilds numpy arrays of every dtype and layout (protocol %i)', (p) => {
    const d = asDict(readPickleFile(`${fixtures}values_p${p}.pkl`));
    expect(nd(d.get('f32'))).toEqual({ kind: 'ndarray', dtype: 'float32', shape: [2, 3], data: Float32Array.of(0, 1, 2, 3, 4, 5), nonfinite: 0 });
    // Fortran order and big-endian float64 both undone: C-order float32 0..23.
    const f = nd(d.get('f64_fortran_be'));
    expect(f.shape).toEqual([2, 3, 4]);
    expect(f.data).toEqual(Float32Array.from({ length: 24 }, (_, i) => i));
    expect(nd(d.get('f16'))).toMatchObject({ data: Float32Array.of(0.5, -2, 0), nonfinite: 1 });
    expect(nd(d.get('i64')).data).toEqual(Float64Array.of(1, -2, 2 ** 40));
    expect(nd(d.get('i32')).data).toEqual(Int32Array.of(-5, 6));
    expect(nd(d.get('i16')).data).toEqual(Int32Array.of(-7, 8));
    expect(nd(d.get('i8')).data).toEqual(Int32Array.of(-9));
    expect(nd(d.get('u8')).data).toEqual(Uint8Array.of(200, 1));
    expect(nd(d.get('bool'))).toMatchObject({ dtype: 'bool', data: Uint8Array.of(1, 0, 1) });
    expect(nd(d.get('unicode'))).toMatchObject({ dtype: 'unicode', data: ['ab', 'ç😀'] });
    expect(nd(d.get('object'))).toMatchObject({ dtype: 'object', data: ['x', 3, null] });
  });

  it('keeps memoised values shared, as Python does', () => {
    const shared = asDict(readPickleFile(`${fixtures}values_p4.pkl`)).get('shared') as PyValue[];
    expect(shared[0]).toBe(shared[1]);
  });

  it.each(protocols)('gives the same value with a 1-byte buffer and every payload lazy (protocol %i)', (p) => {
    const path = `${fixtures}values_p${p}.pkl`;
    const reference = readPickleFile(path);
    expect(readPickleFile(path, { chunkSize: 1 })).toEqual(reference);
    expect(readPickleFile(path, { chunkSize: 3, lazyThreshold: 1 })).toEqual(reference);
    expect(readPickleFile(path, { chunkSize: 5, lazyThreshold: 0 })).toEqual(reference);
  });
});

/** Records every positional read, to see where payload bytes were written. */
function spy(bytes: Uint8Array): { access: RandomAccess; reads: { dest: Uint8Array; length: number }[] } {
  const inner = memoryAccess(bytes);
  const reads: { dest: Uint8Array; length: number }[] = [];
  const access: RandomAccess = {
    size: inner.size,
    readAt(dest, offset, length, position) {
      reads.push({ dest, length });
      return inner.readAt(dest, offset, length, position);
    },
    close: () => inner.close(),
  };
  return { access, reads };
}

/** Index of the first differing element (-1 if equal); toEqual is too slow on MB-sized arrays. */
function firstMismatch(a: ArrayLike<number | string | PyValue>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('large payloads', () => {
  const rows = 1024;
  const cols = 300; // 1.2 MB of float32: above the default 1 MiB lazy threshold
  const values = Float32Array.from({ length: rows * cols }, (_, i) => ((i * 7919) % 1000) / 8 - 60);
  values[5] = -Infinity;
  values[rows * cols - 1] = NaN;

  it('reads a float32 payload straight from the file into the array it becomes', () => {
    const bytes = new PickleAsm().frombuffer(new Uint8Array(values.buffer), 'f4', [rows, cols]).build();
    const { access, reads } = spy(bytes);
    const arr = nd(readPickleFrom(access, { chunkSize: 64 * 1024 }));
    expect(arr.shape).toEqual([rows, cols]);
    expect(arr.nonfinite).toBe(2);
    expect(firstMismatch(arr.data, values.map((x) => (Number.isFinite(x) ? x : 0)))).toBe(-1);
    const direct = reads.filter((r) => r.dest.buffer === (arr.data as Float32Array).buffer);
    expect(direct.reduce((sum, r) => sum + r.length, 0)).toBe(rows * cols * 4);
  });

  it('converts a float64 payload to float32 chunk by chunk, never reading it whole', () => {
    const f64 = Float64Array.from(values);
    const bytes = new PickleAsm().frombuffer(new Uint8Array(f64.buffer), 'f8', [rows, cols]).build();
    const { access, reads } = spy(bytes);
    const arr = nd(readPickleFrom(access, { chunkSize: 100_003 }));
    expect(arr.dtype).toBe('float64');
    expect(firstMismatch(arr.data, values.map((x) => (Number.isFinite(x) ? x : 0)))).toBe(-1);
    expect(Math.max(...reads.map((r) => r.length))).toBeLessThanOrEqual(100_003);
  });

  it('streams a Fortran-order big-endian payload into C order', () => {
    const [r, c] = [2000, 150];
    const be = new Uint8Array(r * c * 4);
    const dv = new DataView(be.buffer);
    // Element (i, j) sits at Fortran position j * r + i and holds i * c + j.
    for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) dv.setFloat32((j * r + i) * 4, i * c + j, false);
    const bytes = new PickleAsm().frombuffer(be, 'f4', [r, c], 'F', '>').build();
    const arr = nd(readPickleBytes(bytes, { chunkSize: 4099 }));
    expect(firstMismatch(arr.data, Float32Array.from({ length: r * c }, (_, i) => i))).toBe(-1);
  });

  it('hands a lazy payload that is not an array back as bytes', () => {
    const payload = Uint8Array.from({ length: 2 << 20 }, (_, i) => i % 251);
    const asm = new PickleAsm().raw(0x5d /* EMPTY_LIST */, 0x8e /* BINBYTES8 */).u64(payload.length).raw(payload).raw(0x61 /* APPEND */);
    const list = readPickleBytes(asm.build()) as PyValue[];
    expect(list[0]).toBeInstanceOf(Uint8Array);
    expect(firstMismatch(list[0] as Uint8Array, payload)).toBe(-1);
  });
});
