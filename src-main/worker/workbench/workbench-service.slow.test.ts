import { beforeAll, describe, expect, it } from 'vitest';
import type { ClipExplanation } from '#contract/explain';
import type { ClipRow, ModalityMask } from '#contract/api';
import type { EngineEvent } from '#contract/worker-protocol';
import { toErrorInfo } from '../../engine/errors';
import { EngineService } from '../engine-service';
import { WorkbenchService } from './workbench-service';
import { WorkbenchState } from './workbench-state';
import { DEMO_DIR, OTHER_DATASET, tinyCheckpoint } from '../../../testing/worker/studio-checkpoints';
import { useTempDir } from '../../../testing/temp-dir';

const none: ModalityMask = { segments: [], whole: false };
const NO_MASKS = { l: none, a: none, v: none };

function makeStudio(events: EngineEvent[] = []): { engine: EngineService; studio: WorkbenchService } {
  const engine = new EngineService((e) => events.push(e));
  const studio = new WorkbenchService(new WorkbenchState({
    emit: (e) => events.push(e),
    ready: () => engine.init({}),
    dataset: (p) => engine.dataset(p),
    // A demo folder without model.safetensors: "no path" opens the demo corpus without a model.
    shell: { shell: 'browser', version: 'test', mediaUrl: '/media/{split}/{index}?token=T', demoDir: DEMO_DIR },
  }));
  return { engine, studio };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => 'ok',
    (err: unknown) => toErrorInfo(err).code,
  );
}

async function untilPredicted(studio: WorkbenchService): Promise<void> {
  while ((await studio.listClips({ offset: 0, limit: 0 })).predicting) await new Promise((r) => setTimeout(r, 20));
}

const isSorted = (xs: number[], desc = false): boolean => xs.every((x, i) => i === 0 || (desc ? xs[i - 1] >= x : xs[i - 1] <= x));

describe('WorkbenchService without a model', () => {
  const { studio } = makeStudio();

  it('opens the synthetic demo corpus on first use and says so', async () => {
    const o = await studio.getOverview();
    expect(o.synthetic).toBe(true);
    expect(o.description).toMatch(/SYNTHETIC/);
    expect(o.counts).toEqual({ train: 160, valid: 40, test: 40 });
    expect(o.dims).toEqual({ l: 768, a: 5, v: 20 });
  });

  it('reports the no-model state: null predictions, nothing predicting, explain refused with NO_CHECKPOINT', async () => {
    const o = await studio.openDataset({ path: DEMO_DIR });
    expect(o.checkpoint).toBeNull();
    const page = await studio.listClips({ offset: 0, limit: 5 });
    expect(page.predicting).toBe(false);
    expect(page.rows.every((r) => r.prediction === null)).toBe(true);
    expect(await codeOf(studio.explain({ split: 'test', index: 0, masks: NO_MASKS }))).toBe('NO_CHECKPOINT');
  });

  it('pages through all 240 clips in library order without gaps or repeats', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 240; offset += 50) {
      const page = await studio.listClips({ offset, limit: 50 });
      expect(page.total).toBe(240);
      seen.push(...page.rows.map((r) => `${r.split}/${r.index}`));
    }
    expect(new Set(seen).size).toBe(240);
    expect(seen.slice(0, 2)).toEqual(['train/0', 'train/1']);
    expect(seen.at(-1)).toBe('test/39');
    expect((await studio.listClips({ split: 'valid', offset: 0, limit: 100 })).rows.every((r) => r.split === 'valid')).toBe(true);
  });

  it('searches transcripts and ids case-insensitively, every term must occur', async () => {
    const all = (await studio.listClips({ offset: 0, limit: 1000 })).rows;
    const byWord = await studio.listClips({ search: 'BRILLIANT', offset: 0, limit: 1000 });
    expect(byWord.total).toBe(all.filter((r) => r.text.toLowerCase().includes('brilliant')).length);
    expect(byWord.total).toBeGreaterThan(0);
    const byId = await studio.listClips({ search: 'SYNTH_017$_$4', offset: 0, limit: 10 });
    expect(byId.rows.map((r) => r.id)).toEqual(['synth_017$_$4']);
    const both = await studio.listClips({ search: 'movie  Brilliant', offset: 0, limit: 1000 });
    expect(both.rows.every((r) => /movie/i.test(r.text) && /brilliant/i.test(r.text))).toBe(true);
    expect((await studio.listClips({ search: 'zzz-nothing', offset: 0, limit: 10 })).total).toBe(0);
  });

  it('sorts by label both ways', async () => {
    const asc = (await studio.listClips({ sort: 'label', offset: 0, limit: 1000 })).rows.map((r) => r.label);
    const desc = (await studio.listClips({ sort: 'label', descending: true, offset: 0, limit: 1000 })).rows.map((r) => r.label);
    expect(isSorted(asc)).toBe(true);
    expect(isSorted(desc, true)).toBe(true);
    expect(asc[0]).toBeLessThan(asc.at(-1)!);
  });

  it('describes a clip: [CLS] words [SEP] tokens, frame spans in time, intensities in [0, 1], its media URL', async () => {
    const c = await studio.getClip({ split: 'train', index: 84 });
    expect(c.id).toBe('synth_017$_$4');
    expect(c.tokens).toEqual(['[CLS]', ...c.text.split(' '), '[SEP]']);
    expect(c.frames.l.count).toBe(c.tokens.length);
    expect(c.videoUrl).toBe('/media/train/84?token=T');
    expect(c.hasVideo).toBe(true);
    for (const m of ['l', 'a', 'v'] as const) {
      const f = c.frames[m];
      expect(f.spans).toBeInstanceOf(Float32Array);
      expect(f.spans.length).toBe(2 * f.count);
      expect(f.intensity.length).toBe(f.count);
      expect(Math.max(...f.intensity)).toBeCloseTo(1, 6);
      expect(Math.min(...f.intensity)).toBeGreaterThanOrEqual(0);
      const starts = Array.from({ length: f.count }, (_, j) => f.spans[2 * j]);
      expect(isSorted(starts)).toBe(true);
      expect(f.spans[2 * f.count - 1]).toBeLessThanOrEqual(c.duration + 1e-4);
    }
    const plain = await studio.getClip({ split: 'train', index: 0 });
    expect(plain.videoUrl).toBeNull();
  });

  it('refuses bad clip references and queries with ARG_INVALID', async () => {
    expect(await codeOf(studio.getClip({ split: 'test', index: 40 }))).toBe('ARG_INVALID');
    expect(await codeOf(studio.getClip({ split: 'nope', index: 0 }))).toBe('ARG_INVALID');
    expect(await codeOf(studio.listClips({ offset: -1, limit: 5 }))).toBe('ARG_INVALID');
    expect(await codeOf(studio.listClips({ offset: 0, limit: 5, sort: 'random' }))).toBe('ARG_INVALID');
    expect(await codeOf(studio.randomMask({ split: 'test', index: 0, rate: 1.5, seed: 1 }))).toBe('ARG_INVALID');
  });

  it('draws random masks at about rate r, the same for a seed and different for another', async () => {
    const ref = { split: 'train' as const, index: 84 };
    const a = await studio.randomMask({ ...ref, rate: 0.4, seed: 5 });
    expect(await studio.randomMask({ ...ref, rate: 0.4, seed: 5 })).toEqual(a);
    expect(await studio.randomMask({ ...ref, rate: 0.4, seed: 6 })).not.toEqual(a);
    const clip = await studio.getClip(ref);
    // The share of a track's time under the segments is the realised rate (acoustic frames tile the clip).
    const covered = a.a.segments.reduce((s, g) => s + g.end - g.start, 0);
    expect(covered / clip.duration).toBeGreaterThan(0.25);
    expect(covered / clip.duration).toBeLessThan(0.55);
    expect(a.l.whole || a.a.whole || a.v.whole).toBe(false);
    const full = await studio.randomMask({ ...ref, rate: 1, seed: 5 });
    expect(full.a.segments).toHaveLength(1);
    expect((await studio.randomMask({ ...ref, rate: 0, seed: 5 })).v.segments).toEqual([]);
  });

  it('gives the media file of a clip with a video and null for one without', async () => {
    expect(await studio.mediaFile({ split: 'train', index: 84 })).toEqual({ path: `${DEMO_DIR}/Raw/synth_017/4.mp4`, contentType: 'video/mp4' });
    expect(await studio.mediaFile({ split: 'train', index: 0 })).toBeNull();
  });
});

describe('WorkbenchService with a checkpoint', () => {
  const events: EngineEvent[] = [];
  const { engine, studio } = makeStudio(events);
  let demoCkpt = '';
  let otherCkpt = '';
  const dir = useTempDir('dar-studio-');

  beforeAll(async () => {
    demoCkpt = await tinyCheckpoint(engine, DEMO_DIR, 'demo', dir);
    otherCkpt = await tinyCheckpoint(engine, OTHER_DATASET, 'other', dir);
  }, 60_000);

  it('opens the checkpoint and fills in every prediction in the background', async () => {
    const o = await studio.openDataset({ path: DEMO_DIR, checkpoint: demoCkpt });
    expect(o.checkpoint).toMatchObject({ path: demoCkpt, d: 16, t: 8, synthetic: true });
    await untilPredicted(studio);
    const rows = (await studio.listClips({ offset: 0, limit: 1000 })).rows;
    expect(rows.every((r) => r.prediction !== null && Number.isFinite(r.prediction))).toBe(true);
    const progress = events.filter((e) => e.type === 'predict-progress');
    expect(progress.at(-1)).toEqual({ type: 'predict-progress', done: 240, total: 240 });
  });

  it('sorts by prediction and by absolute error', async () => {
    const byPred = (await studio.listClips({ sort: 'prediction', offset: 0, limit: 1000 })).rows;
    expect(isSorted(byPred.map((r) => r.prediction!))).toBe(true);
    const err = (r: ClipRow): number => Math.abs(r.prediction! - r.label);
    const byErr = (await studio.listClips({ sort: 'error', descending: true, offset: 0, limit: 1000 })).rows;
    expect(isSorted(byErr.map(err), true)).toBe(true);
  });

  it('explains a masked segment: the masked prediction moves, the complete one stays', async () => {
    const ref = { split: 'test' as const, index: 3 };
    const clean = await studio.explain({ ...ref, masks: NO_MASKS });
    expect(clean.masked.yHat).toBeCloseTo(clean.complete.yHat, 5);
    const row = (await studio.getClip(ref)).prediction!;
    expect(clean.complete.yHat).toBeCloseTo(row, 4);
    const clip = await studio.getClip(ref);
    const seg = { start: clip.duration * 0.2, end: clip.duration * 0.7 };
    const masked = (await studio.explain({ ...ref, masks: { l: { segments: [seg], whole: false }, a: { segments: [seg], whole: false }, v: none } })) as ClipExplanation;
    expect(masked.complete.yHat).toBe(clean.complete.yHat);
    expect(Math.abs(masked.masked.yHat - clean.masked.yHat)).toBeGreaterThan(1e-6);
    const touched = masked.masked.modalities.a.binsTouched;
    expect(touched).toBeInstanceOf(Uint8Array);
    expect(touched.some((b) => b === 1) && touched.some((b) => b === 0)).toBe(true);
    expect(masked.masked.modalities.v.binsTouched.every((b) => b === 0)).toBe(true);
    expect(masked.complete.modalities.a.binsTouched.every((b) => b === 0)).toBe(true);
    expect(masked.masked.modalities.a.Hcom).toHaveLength(8 * 16);
  });

  it('masks a whole modality: every acoustic bin fully masked, text keeps [CLS] and [SEP]', async () => {
    const ref = { split: 'test' as const, index: 3 };
    const wholeA = (await studio.explain({ ...ref, masks: { ...NO_MASKS, a: { segments: [], whole: true } } })) as ClipExplanation;
    expect(Array.from(wholeA.masked.modalities.a.maskedFraction).every((f) => f === 1)).toBe(true);
    const wholeL = (await studio.explain({ ...ref, masks: { ...NO_MASKS, l: { segments: [], whole: true } } })) as ClipExplanation;
    const fl = wholeL.masked.modalities.l.maskedFraction;
    expect(fl[0]).toBeLessThan(1);
    expect(fl[fl.length - 1]).toBeLessThan(1);
    expect(wholeL.masked.yHat).not.toBe(wholeL.complete.yHat);
  });

  it('refuses a checkpoint of another dataset with CHECKPOINT_MISMATCH but opens the dataset without a model', async () => {
    expect(await codeOf(studio.openDataset({ path: DEMO_DIR, checkpoint: otherCkpt }))).toBe('CHECKPOINT_MISMATCH');
    const o = await studio.getOverview();
    expect(o.name).toMatch(/demo/);
    expect(o.checkpoint).toBeNull();
    expect(o.checkpointError?.code).toBe('CHECKPOINT_MISMATCH');
    expect(o.checkpointError?.message).toMatch(/visual feature dim/);
    expect((await studio.listClips({ offset: 0, limit: 1 })).predicting).toBe(false);
  });

  it('keeps the open dataset when a new one cannot be opened', async () => {
    expect(await codeOf(studio.openDataset({ path: '/nonexistent/dataset' }))).toBe('FILE_NOT_FOUND');
    expect((await studio.getOverview()).counts.train).toBe(160);
  });
});
