import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Dataset, SplitName } from '#contract/dataset';
import { readClipFolder } from '../../src-main/engine/data/clip-folder/clip-folder';
import { DEMO_DEFAULTS, generateDemoCorpus } from './demo-corpus';
import { datasetJson, encodeClipNpz, labelCsv } from './demo-files';
import { runTool } from './demo-tools';

/** The committed corpus (regenerate with `npx dar demo-data`). */
const DEMO_DIR = fileURLToPath(new URL('../../resources/demo', import.meta.url));
const SPLITS: SplitName[] = ['train', 'valid', 'test'];
const ffprobe = process.env.FFPROBE_PATH || 'ffprobe';
const hasFfprobe = await runTool(ffprobe, ['-version'], 'ffprobe').then(() => true, () => false);

function videoClips(ds: Dataset): { video: string; duration: number; split: SplitName; i: number }[] {
  return SPLITS.flatMap((split) =>
    (ds.splits[split].videos ?? []).flatMap((video, i) => (video ? [{ video, duration: ds.splits[split].timing?.[i]?.duration ?? NaN, split, i }] : [])),
  );
}

const ds = await readClipFolder(DEMO_DIR);

describe('the committed demo corpus (resources/demo)', () => {
  it('reads back as a synthetic MOSI-shaped clip folder with three non-empty splits', () => {
    expect(ds.info.synthetic).toBe(true);
    expect(ds.info.description).toMatch(/^SYNTHETIC/);
    expect(ds.info.dims).toEqual({ l: 768, a: 5, v: 20 });
    expect(ds.info.seqLen).toEqual({ l: 50, a: 375, v: 500 });
    expect(ds.info.warnings).toEqual([]);
    for (const split of SPLITS) expect(ds.splits[split].n).toBeGreaterThan(0);
  });

  it('places every token inside its clip', () => {
    for (const split of SPLITS) {
      const s = ds.splits[split];
      for (let i = 0; i < s.n; i++) {
        const timing = s.timing?.[i];
        expect(timing).toBeDefined();
        const spans = timing?.spans.l;
        expect(spans?.length).toBe(2 * s.lengths.l[i]);
        for (const t of spans ?? []) expect(t).toBeLessThanOrEqual((timing?.duration ?? 0) + 1e-6);
      }
    }
  });

  it('has 6-10 videos, each an existing mp4 under 1 MB', async () => {
    const clips = videoClips(ds);
    expect(clips.length).toBeGreaterThanOrEqual(6);
    expect(clips.length).toBeLessThanOrEqual(10);
    for (const c of clips) {
      expect(c.video.endsWith('.mp4')).toBe(true);
      expect((await stat(c.video)).size).toBeLessThan(1024 * 1024);
    }
  });

  it.skipIf(!hasFfprobe)(`has videos as long as their features${hasFfprobe ? '' : ' (skipped: ffprobe not found; set FFPROBE_PATH)'}`, async () => {
    const clips = videoClips(ds);
    const args = (video: string): string[] => ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', video];
    const probed = await Promise.all(clips.map((c) => runTool(ffprobe, args(c.video), 'ffprobe')));
    clips.forEach((c, k) => expect(Math.abs(Number(probed[k].toString().trim()) - c.duration), c.video).toBeLessThan(0.1));
  });

  it('is what the generator makes now (regenerate with `npx dar demo-data` after changing it)', async () => {
    const corpus = generateDemoCorpus(DEMO_DEFAULTS);
    const withVideo = new Set(videoClips(ds).map((c) => `${c.split}/${c.i}`));
    const clips = corpus.clips.map((c) => ({ ...c, withVideo: withVideo.has(`${c.split}/${c.index}`) }));
    expect(await readFile(join(DEMO_DIR, 'label.csv'), 'utf8')).toBe(labelCsv(clips));
    expect(await readFile(join(DEMO_DIR, 'dataset.json'), 'utf8')).toBe(datasetJson(DEMO_DEFAULTS, withVideo.size));
    // Clips with a video are timed by their speech; every other feature file is reproducible here.
    for (const clip of clips.filter((c) => !c.withVideo)) {
      const file = await readFile(join(DEMO_DIR, 'features', clip.videoId, `${clip.clipId}.npz`));
      expect(file.equals(encodeClipNpz(clip)), `${clip.videoId}/${clip.clipId}`).toBe(true);
    }
  });
});
