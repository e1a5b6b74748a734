import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { featuresFromNpz, loadFeatureFile } from './feature-file';
import { encodeNpy, parseNpy } from './npy';
import { writeNpz } from './npz';

const made: string[] = [];
/** A fresh temporary folder, removed after the file's tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '../../../../testing/engine/data/features');

describe('loadFeatureFile', () => {
  it('reads the npz member of the modality, with its spans', async () => {
    const dir = await tempDir('ff-');
    const path = join(dir, 'c.npz');
    await writeNpz(path, {
      audio: { data: new Float32Array([1, NaN, 3, 4]), shape: [2, 2] },
      audio_spans: { data: new Float32Array([0, 0.5, 0.5, 1]), shape: [2, 2] },
    });
    const f = await loadFeatureFile(path, 'a');
    expect([f.t, f.d, f.nonfinite]).toEqual([2, 2, 1]);
    expect(Array.from(f.data)).toEqual([1, 0, 3, 4]);
    expect(Array.from(f.spans ?? [])).toEqual([0, 0.5, 0.5, 1]);
    await expect(loadFeatureFile(path, 'v')).rejects.toMatchObject({ code: 'DATASET_MISSING_KEY', message: expect.stringContaining("'vision'") });
  });

  it('tells OpenFace CSVs from plain ones by their header', async () => {
    const of = await loadFeatureFile(join(FIXTURES, 'csv', 'openface.csv'), 'v');
    expect(of.missing).toBeDefined();
    const plain = await loadFeatureFile(join(FIXTURES, 'csv', 'librosa_timed.csv'), 'a');
    expect([plain.t, plain.d, plain.missing]).toEqual([4, 3, undefined]);
  });

  it('reads .npy files, transposing when told', async () => {
    const f = await loadFeatureFile(join(FIXTURES, 'csv', 'librosa_feature_major.npy'), 'a', { layout: 'feature-major' });
    expect([f.t, f.d]).toEqual([4, 3]);
  });

  it('refuses unknown extensions', async () => {
    await expect(loadFeatureFile('/x/clip.mat', 'l')).rejects.toMatchObject({ code: 'FORMAT_UNKNOWN' });
  });

  it('reports a missing file as FILE_NOT_FOUND', async () => {
    await expect(loadFeatureFile('/nonexistent/clip.npy', 'l')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  it('checks spans against the feature length', async () => {
    const arrays = new Map([
      ['text', parseNpy(encodeNpy(new Float32Array(6), [3, 2]))],
      ['text_spans', parseNpy(encodeNpy(new Float32Array(4), [2, 2]))],
    ]);
    expect(() => featuresFromNpz(arrays, 'text', 'c.npz')).toThrow(
      expect.objectContaining({ code: 'DATASET_SHAPE', message: 'c.npz: text_spans: expected [3,2] (as text), got [2,2]' }),
    );
  });

  it('reads a CSV with a BOM and CRLF line ends', async () => {
    const dir = await tempDir('ff-');
    await writeFile(join(dir, 'a.csv'), '\uFEFFtime,x\r\n0,1\r\n0.1,2\r\n');
    const f = await loadFeatureFile(join(dir, 'a.csv'), 'a');
    expect(Array.from(f.data)).toEqual([1, 2]);
  });
});

describe('featuresFromNpz missing frames', () => {
  const arrays = (flags: number[]) =>
    new Map([
      ['vision', parseNpy(encodeNpy(new Float32Array(6), [3, 2]))],
      ['vision_missing', parseNpy(encodeNpy(Uint8Array.from(flags), [flags.length], '|u1'))],
    ]);

  it('flags the frames <member>_missing marks (what dar extract writes for frames without a face)', () => {
    expect(Array.from(featuresFromNpz(arrays([0, 1, 0]), 'vision', 'x.npz')?.missing ?? [])).toEqual([0, 1, 0]);
  });

  it('refuses flags that do not match the frames', () => {
    expect(() => featuresFromNpz(arrays([0, 1]), 'vision', 'x.npz')).toThrow(expect.objectContaining({ code: 'DATASET_SHAPE' }));
  });
});
