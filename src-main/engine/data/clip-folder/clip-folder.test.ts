import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Modality, SplitData } from '#contract/dataset';
import { linkRawVideos, readClipFolder } from './clip-folder';
import { writeNpz } from '../feature-files/npz';

const made: string[] = [];
/** A fresh temporary folder, removed after the file's tests. */
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}
afterAll(() => Promise.all(made.map((d) => rm(d, { recursive: true, force: true }))));

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), '../../../../testing/engine/data/features', 'clip-folder');
const expected = JSON.parse(readFileSync(join(FIXTURE, '..', 'expected.json'), 'utf8')) as {
  clipFolder: Record<string, Record<'text' | 'audio' | 'vision', number[][]>>;
};
const KEYS = { l: 'text', a: 'audio', v: 'vision' } as const;

/** Clip i's valid frames of one modality, as rows. */
function frames(split: SplitData, m: Modality, i: number): number[][] {
  const { t, d, data } = split[m];
  return Array.from({ length: split.lengths[m][i] }, (_, j) => Array.from(data.subarray((i * t + j) * d, (i * t + j + 1) * d)));
}

describe('readClipFolder on the fixture folder', () => {
  it('reads labels, texts, ids and dataset.json', async () => {
    const ds = await readClipFolder(FIXTURE);
    expect(ds.info).toMatchObject({
      format: 'clip-folder',
      path: FIXTURE,
      name: 'tiny',
      synthetic: true,
      description: 'fixture',
      dims: { l: 4, a: 3, v: 2 },
      seqLen: { l: 4, a: 5, v: 4 },
      aligned: false,
      nonfinite: { l: 0, a: 1, v: 0 },
    });
    expect(ds.splits.train.ids).toEqual(['vidA$_$1', 'vidA$_$2']);
    expect(Array.from(ds.splits.train.labels)).toEqual([1.5, -2]);
    expect(ds.splits.train.rawText).toEqual(['hello, world', 'she said "no"']);
    expect(ds.splits.test.rawText).toEqual(['two\nlines']);
    expect(ds.splits.valid.ids).toEqual(['vidB$_$1']);
  });

  it('packs every clip padded with zeros, truncating past seqLen with one warning', async () => {
    const ds = await readClipFolder(FIXTURE);
    for (const split of Object.values(ds.splits)) {
      split.ids.forEach((id, i) => {
        const want = expected.clipFolder[id.replace('$_$', '/')];
        for (const m of ['l', 'a', 'v'] as const) {
          const rows = want[KEYS[m]].slice(0, ds.info.seqLen[m]);
          expect(frames(split, m, i)).toEqual(rows.map((r) => r.map(Math.fround)));
        }
      });
    }
    expect(Array.from(ds.splits.train.lengths.a)).toEqual([5, 4]);
    expect(ds.splits.train.a.data.subarray(ds.splits.train.a.t * 3 + 4 * 3)).toEqual(new Float32Array(3));
    expect(ds.info.warnings).toEqual(['1 clip feature sequences longer than seqLen were truncated: text 0 (seqLen 4), audio 1 (seqLen 5), vision 0 (seqLen 4)']);
  });

  it('takes timing from the npz, else from CSV times, else leaves it unknown', async () => {
    const ds = await readClipFolder(FIXTURE);
    const [a1, a2] = ds.splits.train.timing ?? [];
    expect(a1?.duration).toBe(2.25);
    expect(Array.from(a1?.spans.v ?? [])).toEqual([0, 0.5, 0.5, 1, 1, 1.5, 1.5, 2]);
    expect([a1?.spans.l, a1?.spans.a]).toEqual([null, null]);
    expect(a2).toBeUndefined();
    const b = ds.splits.valid.timing?.[0];
    expect(b?.duration).toBe(1.5);
    expect(Array.from(b?.spans.a ?? [])).toEqual([0, 0.5, 0.5, 1, 1, 1.5]);
    expect(Array.from(b?.spans.v ?? [])).toEqual([0, 0.2, 0.2, 0.4].map(Math.fround));
  });

  it('marks OpenFace success=0 frames as source-missing and links Raw videos', async () => {
    const ds = await readClipFolder(FIXTURE);
    expect(Array.from(ds.splits.valid.sourceMissing?.v[0] ?? [])).toEqual([0, 1]);
    expect(ds.splits.train.sourceMissing?.v).toEqual([undefined, undefined]);
    expect(ds.splits.train.videos).toEqual([join(FIXTURE, 'Raw', 'vidA', '1.mp4'), join(FIXTURE, 'Raw', 'vidA', '2.webm')]);
    expect(ds.splits.test.videos).toEqual([undefined]);
  });
});

describe('readClipFolder defaults', () => {
  it('without dataset.json: named after the folder, real data, seqLen = longest clip', async () => {
    const dir = join(await tempDir('clips-'), 'mini');
    const clip = (t: number) => ({
      text: { data: new Float32Array(t * 2).fill(1), shape: [t, 2] },
      audio: { data: new Float32Array(t), shape: [t, 1] },
      vision: { data: new Float32Array(t), shape: [t, 1] },
    });
    await writeNpz(join(dir, 'features', 'v', 'a.npz'), clip(3));
    await writeNpz(join(dir, 'features', 'v', 'b.npz'), clip(5), { compress: true });
    await writeNpz(join(dir, 'features', 'v', 'c.npz'), clip(1));
    await writeFile(join(dir, 'label.csv'), 'mode,label,text,clip_id,video_id\ntrain,1,x,a,v\nvalid,0,y,b,v\ntest,-1,z,c,v\n');
    const ds = await readClipFolder(dir);
    expect(ds.info).toMatchObject({ name: 'mini', synthetic: false, seqLen: { l: 5, a: 5, v: 5 }, warnings: [] });
    expect(ds.info.description).toBeUndefined();
    expect(Array.from(ds.splits.valid.lengths.l)).toEqual([5]);
    expect(ds.splits.test.ids).toEqual(['v$_$c']);
    expect(ds.splits.train.timing).toEqual([undefined]);
  });
});

describe('linkRawVideos', () => {
  it('links videos from another Raw folder and counts them', async () => {
    const ds = await readClipFolder(FIXTURE);
    const raw = await tempDir('raw-');
    await mkdir(join(raw, 'vidC'));
    await writeFile(join(raw, 'vidC', '7.mkv'), '');
    await writeFile(join(raw, 'vidC', '8.mp4'), '');
    expect(await linkRawVideos(ds, raw)).toBe(1);
    expect(ds.splits.test.videos).toEqual([join(raw, 'vidC', '7.mkv')]);
    expect(ds.splits.train.videos?.[0]).toBe(join(FIXTURE, 'Raw', 'vidA', '1.mp4'));
  });

  it('refuses a Raw folder that does not exist', async () => {
    const ds = await readClipFolder(FIXTURE);
    await expect(linkRawVideos(ds, '/nonexistent/Raw')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});

/** A copy of the fixture folder to break. */
async function copyFixture(): Promise<string> {
  const dir = join(await tempDir('clips-'), 'copy');
  await cp(FIXTURE, dir, { recursive: true });
  return dir;
}

const LABEL_HEAD = 'video_id,clip_id,text,label,annotation,mode,label_T\n';
const LABEL_ROWS = ['vidA,1,"hello, world",1.5,P,train,1', 'vidA,2,x,-2.0,N,train,-1', 'vidB,1,y,0,N,valid,0', 'vidC,7,"two\nlines",-0.4,N,test,0'];

describe('readClipFolder errors', () => {
  const withLabels = async (text: string): Promise<string> => {
    const dir = await copyFixture();
    await writeFile(join(dir, 'label.csv'), text);
    return dir;
  };

  it.each([
    ['a missing column', 'video_id,clip_id,text,mode\nvidA,1,x,train\n', /label\.csv: line 1: missing column\(s\) label; header has video_id, clip_id, text, mode/],
    ['a bad label', LABEL_HEAD + [...LABEL_ROWS, 'vidC,8,z,high,N,test,0'].join('\n'), /line 7: label must be a number in \[-3, 3\], got 'high'/],
    ['a label out of range', LABEL_HEAD + [...LABEL_ROWS, 'vidC,8,z,4,N,test,0'].join('\n'), /line 7: label must be a number/],
    ['an unknown mode', LABEL_HEAD + [...LABEL_ROWS, 'vidC,8,z,1,N,dev,0'].join('\n'), /line 7: mode must be train, valid or test, got 'dev'/],
    ['a short row', LABEL_HEAD + [...LABEL_ROWS, 'vidC,8,z'].join('\n'), /line 7: expected 7 fields/],
    ['a repeated clip', LABEL_HEAD + [...LABEL_ROWS, 'vidA,1,z,1,N,test,0'].join('\n'), /line 7: clip vidA\$_\$1 repeats line 2/],
    ['a path in an id', LABEL_HEAD + [...LABEL_ROWS, '../x,1,z,1,N,test,0'].join('\n'), /line 7: bad video_id/],
    ['an unclosed quote', LABEL_HEAD + 'vidA,1,"oops,1,N,train,1\n', /line 2: unclosed/],
  ])('answers %s with MANIFEST_MALFORMED and the line', async (_, text, why) => {
    const dir = await withLabels(text);
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'MANIFEST_MALFORMED', message: expect.stringMatching(why) });
  });

  it('requires label.csv', async () => {
    const dir = await copyFixture();
    await rm(join(dir, 'label.csv'));
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'MANIFEST_MALFORMED', message: expect.stringMatching(/no label\.csv/) });
  });

  it('requires every split to have a clip', async () => {
    const dir = await withLabels(LABEL_HEAD + [LABEL_ROWS[0], LABEL_ROWS[3]].join('\n'));
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'DATASET_MISSING_SPLIT', message: expect.stringContaining("'valid'") });
    await writeFile(join(dir, 'label.csv'), LABEL_HEAD);
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'DATASET_EMPTY' });
  });

  it('names the clip and the files tried when features are missing', async () => {
    const dir = await copyFixture();
    await rm(join(dir, 'features', 'vision'), { recursive: true });
    await expect(readClipFolder(dir)).rejects.toMatchObject({
      code: 'DATASET_MISSING_FEATURES',
      message: expect.stringMatching(/clip vidB\$_\$1 \(label.csv line 4\) has no vision features; tried features\/vidB\/1\.npz, features\/vision\/vidB\/1\.npy, features\/vision\/vidB\/1\.csv/),
    });
  });

  it('names the clip and expected vs actual dims when they differ', async () => {
    const dir = await copyFixture();
    await writeNpz(join(dir, 'features', 'vidC', '7.npz'), {
      text: { data: new Float32Array(8), shape: [2, 4] },
      audio: { data: new Float32Array(10), shape: [2, 5] },
      vision: { data: new Float32Array(4), shape: [2, 2] },
    });
    await expect(readClipFolder(dir)).rejects.toMatchObject({
      code: 'DATASET_SHAPE',
      message: expect.stringMatching(/clip vidC\$_\$7 \(features\/vidC\/7\.npz\): audio features have d=5, expected d=3 \(as clip vidA\$_\$1/),
    });
  });

  it('rejects a malformed feature file with its own code', async () => {
    const dir = await copyFixture();
    await writeFile(join(dir, 'features', 'vidC', '7.npz'), 'not a zip');
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'NPZ_MALFORMED', message: expect.stringContaining('7.npz') });
  });

  it('rejects a malformed dataset.json', async () => {
    const dir = await copyFixture();
    await writeFile(join(dir, 'dataset.json'), '{"seqLen": {"a": 0}}');
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'MANIFEST_MALFORMED', message: expect.stringMatching(/seqLen\.a' must be a positive integer/) });
    await writeFile(join(dir, 'dataset.json'), '{oops');
    await expect(readClipFolder(dir)).rejects.toMatchObject({ code: 'MANIFEST_MALFORMED', message: expect.stringMatching(/not valid JSON/) });
  });

  it('refuses a folder that does not exist', async () => {
    await expect(readClipFolder('/nonexistent/clips')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
