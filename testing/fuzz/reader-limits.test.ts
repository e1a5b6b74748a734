import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleSplit } from '../../src-main/engine/data/clip-folder/assemble';
import type { LoadedClip } from '../../src-main/engine/data/clip-folder/load';
import { readClipFolder } from '../../src-main/engine/data/clip-folder/clip-folder';
import { parseNpz } from '../../src-main/engine/data/feature-files/npz';
import { failure } from '../engine/failure';

// Inputs the fuzzing showed (or a size field reasoning showed) the readers must refuse before
// allocating or reading out of bounds; each was a raw exception or a multi-GB allocation before.

const FOLDER = fileURLToPath(new URL('../engine/data/features/clip-folder/', import.meta.url));
const made: string[] = [];
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

/** A one-member zip: local header, `data` (deflated when method is 8), central entry (+ extra), end record. */
function zip(data: Uint8Array, declared: number, method: number, extra = new Uint8Array(0), sizes = [data.length, declared, 0]): Uint8Array {
  const name = Buffer.from('x.npy');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(method, 8);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(method, 10);
  central.writeUInt32LE(sizes[0], 20);
  central.writeUInt32LE(sizes[1], 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt16LE(extra.length, 30);
  central.writeUInt32LE(sizes[2], 42);
  const body = Buffer.concat([local, name, data]);
  const cd = Buffer.concat([central, name, extra]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, cd, end]);
}

describe('size fields the readers must not trust', () => {
  it('stops inflating an .npz member at its declared size (a zip bomb is refused, not expanded)', () => {
    const bomb = deflateRawSync(Buffer.alloc(64 << 20)); // 64 MiB of zeros in ~64 KB
    const err = failure(() => parseNpz(zip(bomb, 128, 8), 'bomb.npz'));
    expect(err.code).toBe('NPZ_MALFORMED');
    expect(err.message).toMatch(/bomb\.npz: .*x\.npy does not inflate .*128/);
  });

  it('reads a zip64 extra field only as far as the file goes', () => {
    const extra = Buffer.alloc(4);
    extra.writeUInt16LE(0x0001, 0); // zip64 sizes...
    extra.writeUInt16LE(0xfff0, 2); // ...claiming 65520 bytes the file does not have
    const err = failure(() => parseNpz(zip(new Uint8Array(0), 0, 0, extra, [0xffffffff, 0xffffffff, 0xffffffff]), 'z64.npz'));
    expect(err.code).toBe('NPZ_MALFORMED');
  });

  it.each([[2 ** 40], [100_000_000], [2 ** 32]])('refuses a dataset.json seqLen of %d instead of allocating the padding', async (seqLen) => {
    const dir = await mkdtemp(join(tmpdir(), 'dar-limits-'));
    made.push(dir);
    await cp(FOLDER, dir, { recursive: true });
    await writeFile(join(dir, 'dataset.json'), JSON.stringify({ seqLen: { a: seqLen }, visionColumns: ['gaze_0_x', 'AU01_r'] }));
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'MANIFEST_MALFORMED', message: expect.stringContaining("'seqLen.a' must be a positive integer up to 100000") });
  });

  it('refuses to pad clips into a tensor larger than an int32 index reaches', () => {
    const feats = { data: new Float32Array(1), t: 1, d: 1, nonfinite: 0, warnings: [] };
    const clip = {
      row: { videoId: 'v', clipId: '1', text: '', label: 0, mode: 'train', line: 2 },
      id: 'v$_$1',
      feats: { l: feats, a: feats, v: feats },
      sources: { l: 'l.npy', a: 'a.npy', v: 'v.npy' },
    } satisfies LoadedClip;
    const stats = { truncated: { l: 0, a: 0, v: 0 }, nonfinite: { l: 0, a: 0, v: 0 } };
    const err = failure(() => assembleSplit([clip, clip], { l: 1, a: 2 ** 30, v: 1 }, { l: 1, a: 1, v: 1 }, stats));
    expect(err.code).toBe('DATASET_SHAPE');
    expect(err.message).toMatch(/audio: 2 clips x seqLen 1073741824 x d 1/);
  });
});
