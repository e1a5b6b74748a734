import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readClipFolder } from '../../src-main/engine/data/clip-folder/clip-folder';
import { generateDemoCorpus } from './demo-corpus';
import { writeDemoCorpus } from './write-demo-corpus';

const SMALL = { seed: 11, nTrain: 10, nValid: 4, nTest: 4 };
let root = '';

async function folderHash(dir: string): Promise<string> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  const h = createHash('sha256');
  for (const f of files) h.update(relative(dir, f)).update(await readFile(f));
  return h.digest('hex');
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'dar-demo-write-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('writeDemoCorpus (numeric data only)', () => {
  it('writes a clip folder that reads back as a synthetic MOSI-shaped dataset', async () => {
    const out = join(root, 'a');
    const report = await writeDemoCorpus({ out, corpus: SMALL, media: false });
    expect(report.videos).toEqual([]);
    const ds = await readClipFolder(out);
    expect(ds.info.synthetic).toBe(true);
    expect(ds.info.description).toMatch(/^SYNTHETIC/);
    expect(ds.info.dims).toEqual({ l: 768, a: 5, v: 20 });
    expect(ds.info.seqLen).toEqual({ l: 50, a: 375, v: 500 });
    expect([ds.splits.train.n, ds.splits.valid.n, ds.splits.test.n]).toEqual([10, 4, 4]);
    const clip = generateDemoCorpus(SMALL).clips[0];
    expect(ds.splits.train.rawText[0]).toBe(clip.text);
    expect(ds.splits.train.labels[0]).toBeCloseTo(clip.latents.label, 5);
    expect(ds.splits.train.timing?.[0]?.duration).toBeCloseTo(clip.timeline.duration, 5);
  });

  it('writes identical bytes twice and leaves no temporary folders behind', async () => {
    const [a, b] = [join(root, 'twice-a'), join(root, 'twice-b')];
    await writeDemoCorpus({ out: a, corpus: SMALL, media: false });
    await writeDemoCorpus({ out: b, corpus: SMALL, media: false });
    await writeDemoCorpus({ out: b, corpus: SMALL, media: false });
    expect(await folderHash(b)).toBe(await folderHash(a));
    expect((await readdir(root)).filter((n) => n.includes('.tmp-') || n.includes('.old-'))).toEqual([]);
  });

  it('refuses to replace a folder that is not a demo corpus, and leaves it as it was', async () => {
    const out = join(root, 'precious');
    await mkdir(out);
    await writeFile(join(out, 'notes.txt'), 'keep me');
    await expect(writeDemoCorpus({ out, corpus: SMALL, media: false })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    expect(await readdir(out)).toEqual(['notes.txt']);
  });

  it('keeps an existing video whose clip is unchanged, and drops it when the clip changed', async () => {
    const out = join(root, 'keep');
    const first = await writeDemoCorpus({ out, corpus: SMALL, media: false });
    const chosen = generateDemoCorpus(SMALL).clips.find((c) => c.withVideo);
    expect(chosen).toBeDefined();
    if (!chosen) return;
    expect(first.warnings.some((w) => w.includes(`${chosen.videoId}$_$${chosen.clipId}`))).toBe(true);
    await mkdir(join(out, 'Raw', chosen.videoId), { recursive: true });
    await writeFile(join(out, 'Raw', chosen.videoId, `${chosen.clipId}.mp4`), 'stand-in video');
    const kept = await writeDemoCorpus({ out, corpus: SMALL, media: false });
    expect(kept.videos.map((v) => [v.id, v.source])).toEqual([[`${chosen.videoId}$_$${chosen.clipId}`, 'kept']]);
    expect(await readFile(join(out, 'Raw', chosen.videoId, `${chosen.clipId}.mp4`), 'utf8')).toBe('stand-in video');
    const changed = await writeDemoCorpus({ out, corpus: { ...SMALL, seed: 12 }, media: false });
    expect(changed.videos).toEqual([]);
  });
});
