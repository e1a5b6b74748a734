import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeNpy } from './npy';
import { encodeNpz, parseNpz, readNpz, writeNpz } from './npz';

const made: string[] = [];
/** A fresh temporary folder, removed after the file's tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURES = join(HERE, '../../../../testing/engine/data/features');
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as {
  npz: Record<string, { shape: number[]; dtype: string; values: (number | string)[] }>;
};
const fromJson = (v: number | string): number => (typeof v === 'number' ? v : v === 'nan' ? NaN : v === 'inf' ? Infinity : -Infinity);

describe('readNpz on archives numpy and zipfile wrote', () => {
  it.each(['savez.npz', 'savez_compressed.npz', 'descriptor_deflate.npz', 'zip64_stored.npz', 'zip64_descriptor.npz'])(
    'reads every member of %s',
    async (file) => {
      const arrays = await readNpz(join(FIXTURES, 'npz', file));
      expect([...arrays.keys()].sort()).toEqual(Object.keys(expected.npz).sort());
      for (const [key, want] of Object.entries(expected.npz)) {
        const arr = arrays.get(key);
        expect(arr?.shape).toEqual(want.shape);
        expect(arr?.dtype).toBe(want.dtype);
        const values = want.values.map(fromJson).map((v) => (arr?.kind === 'f' ? Math.fround(v) : v));
        expect(Array.from(arr?.data ?? [])).toEqual(values);
      }
    },
  );

  it('rejects a member whose bytes were altered, naming the member', () => {
    const zip = encodeNpz({ x: { data: new Float32Array(2), shape: [2] } });
    const bad = zip.slice();
    const text = new TextDecoder('latin1').decode(bad);
    bad[text.indexOf("'<f4'") + 2] = 'O'.charCodeAt(0);
    expect(() => parseNpz(bad, 'd.npz')).toThrow(/d\.npz: .*member x\.npy fails its CRC check/);
  });
});

const hasNumpy = ((): boolean => {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasNumpy)('files our writers produce, checked by numpy', () => {
  it('loads in numpy with the same shapes, dtypes and values', async () => {
    const dir = await tempDir('npz-py-');
    const a = new Float32Array([0.1, -2, 1000.5, Infinity, NaN, 3]);
    const entries = {
      f4: { data: a, shape: [2, 3] },
      f2: { data: a, shape: [6], dtype: '<f2' as const },
      f8: { data: new Float64Array([2.5]), shape: [] },
      i4: { data: new Int32Array([-7, 9]), shape: [2, 1] },
      u1: { data: new Uint8Array([0, 1, 255]), shape: [3] },
    };
    await writeNpz(join(dir, 'plain.npz'), entries);
    await writeNpz(join(dir, 'deflated.npz'), entries, { compress: true });
    await writeFile(join(dir, 'single.npy'), encodeNpy(a, [3, 2], '<f8'));
    const asJson = (values: ArrayLike<number>): (number | string)[] =>
      Array.from(values, (v) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf'));
    const members = Object.fromEntries(
      Object.entries(entries).map(([k, e]) => {
        const dtype = 'dtype' in e ? e.dtype : k === 'u1' ? '|u1' : `<${k}`;
        const values = dtype === '<f2' ? Array.from(parseNpz(encodeNpz({ k: e })).get('k')?.data ?? []) : Array.from(e.data);
        return [k, { shape: e.shape, dtype, values: asJson(values) }];
      }),
    );
    const want = {
      'plain.npz': members,
      'deflated.npz': members,
      'single.npy': { '': { shape: [3, 2], dtype: '<f8', values: asJson(Array.from(a, Math.fround)) } },
    };
    await writeFile(join(dir, 'expected.json'), JSON.stringify(want));
    const script = join(HERE, '..', '..', '..', '..', 'scripts', 'fixtures', 'make_features.py');
    expect(execFileSync('python3', [script, '--verify', dir], { encoding: 'utf8' })).toMatch(/^ok 3/);
  });
});

describe('writeNpz / readNpz', () => {
  it.each([false, true])('round-trips several arrays (compress=%s)', async (compress) => {
    const dir = await tempDir('npz-');
    const path = join(dir, 'sub', 'clip.npz');
    await writeNpz(
      path,
      {
        audio: { data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [3, 2] },
        mask: { data: new Uint8Array([1, 0, 1]), shape: [3] },
        duration: { data: new Float64Array([2.5]), shape: [] },
      },
      { compress },
    );
    const arrays = await readNpz(path);
    expect([...arrays.keys()]).toEqual(['audio', 'mask', 'duration']);
    expect(arrays.get('audio')?.shape).toEqual([3, 2]);
    expect(Array.from(arrays.get('audio')?.data ?? [])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(arrays.get('mask')?.data ?? [])).toEqual([1, 0, 1]);
    expect(arrays.get('duration')?.data[0]).toBe(2.5);
    expect(await readdir(join(dir, 'sub'))).toEqual(['clip.npz']);
  });

  it('deflates when asked', () => {
    const entries = { x: { data: new Float32Array(1000), shape: [1000] } };
    expect(encodeNpz(entries, { compress: true }).length).toBeLessThan(encodeNpz(entries).length / 4);
  });
});

describe('parseNpz errors', () => {
  const good = encodeNpz({ x: { data: new Float32Array([1, 2]), shape: [2] } });

  it('rejects bytes that are not a zip', async () => {
    const dir = await tempDir('npz-');
    const path = join(dir, 'bad.npz');
    await writeFile(path, 'definitely not a zip file, just text');
    await expect(readNpz(path)).rejects.toMatchObject({ code: 'NPZ_MALFORMED', message: expect.stringContaining(path) });
  });

  it('rejects a corrupted member by its CRC', () => {
    const bad = good.slice();
    bad[30 + 5 + 128] ^= 0xff; // a data byte of x.npy (local header 30 + "x.npy" + npy header 128)
    expect(() => parseNpz(bad, 'c.npz')).toThrow(expect.objectContaining({ code: 'NPZ_MALFORMED' }));
  });

  it('rejects a truncated archive', () => {
    expect(() => parseNpz(good.subarray(0, good.length - 30), 't.npz')).toThrow(
      expect.objectContaining({ code: 'NPZ_MALFORMED' }),
    );
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    await expect(readNpz('/nonexistent/x.npz')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
