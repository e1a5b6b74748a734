import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readClipFolder } from '../data/clip-folder/clip-folder';
import { readNpz } from '../data/feature-files/npz';
import { fakeExtractors } from '../../../testing/engine/extract/fake-extractors';
import { makeVideoFolder } from '../../../testing/engine/extract/video-folder';
import { useTempDir } from '../../../testing/temp-dir';
import type { ExtractProgress } from '#contract/extract';
import { extractFolder } from './extract-folder';
import { readManifestFile } from './extraction-manifest';

const tmp = useTempDir('dar-extract-');
const videos = makeVideoFolder(path.join(tmp, 'videos'), ['interview', 'vlog', 'noface', 'silent', 'mute', 'broken']);

describe('extractFolder', () => {
  const out = path.join(tmp, 'clips');
  const progress: ExtractProgress[] = [];
  const ex = fakeExtractors();
  const run = extractFolder({ videos, out, extractors: ex, onProgress: (p) => progress.push(p) });

  it('writes the good videos and reports each bad one with its code, losing nothing else', async () => {
    const report = await run;
    const byFile = Object.fromEntries(report.clips.map((c) => [c.file, c]));
    expect(byFile['interview.mp4'].status).toBe('written');
    expect(byFile['vlog.webm'].status).toBe('written');
    // no face at all is not a failure: the clip is written with its visual track flagged missing
    expect(byFile['noface.mp4'].status).toBe('written');
    expect(byFile['noface.mp4'].notes.join()).toMatch(/no face in any of its \d+ frames/);
    expect(byFile['silent.mp4'].error?.code).toBe('EXTRACT_SILENT');
    expect(byFile['mute.mp4'].error?.code).toBe('EXTRACT_NO_AUDIO');
    expect(byFile['broken.mp4'].error?.code).toBe('MEDIA_UNSUPPORTED');
    expect([report.written, report.failed, report.skipped]).toEqual([3, 3, 0]);
    expect(byFile['vlog.webm'].notes.join()).toMatch(/no transcript/);
    expect(byFile['interview.mp4'].notes.join()).toMatch(/subtitle cue/);
    expect(report.warnings).toEqual([]);
    expect(ex.counts).toMatchObject({ encoders: 1, disposed: 1 });
  });

  it('reports progress per clip and stage, ending with an ETA', async () => {
    await run;
    expect(new Set(progress.map((p) => p.stage))).toEqual(new Set(['probe', 'audio', 'acoustic', 'visual', 'language', 'write']));
    expect(progress.at(-1)?.etaSeconds).toBeGreaterThanOrEqual(0);
    expect(progress.map((p) => p.fraction)).toEqual([...progress.map((p) => p.fraction)].sort((a, b) => a - b));
  });

  it('writes times, missing-face flags and the manifest the loader and checkpoints read', async () => {
    await run;
    const npz = await readNpz(path.join(out, 'features', 'interview', '0.npz'));
    expect(npz.get('text')?.shape).toEqual([2 + 7, 4]);
    const spans = Array.from(npz.get('text_spans')?.data ?? []);
    // "I really liked" spread over the first cue, 0.2..1.4 s: 0.4 s a word.
    expect(spans.slice(2, 4).map((x) => +x.toFixed(3))).toEqual([0.2, 0.6]);
    expect(npz.get('vision')?.shape).toEqual([30, 3]);
    expect(npz.get('vision_missing')?.data.every((x) => x === 0)).toBe(true);
    expect(npz.get('audio')?.shape[1]).toBe(2);
    const vlog = await readNpz(path.join(out, 'features', 'vlog', '0.npz'));
    expect(vlog.get('text')?.shape).toEqual([2, 4]);
    const manifest = await readManifestFile(out);
    expect(manifest?.extractors.a).toMatchObject({ id: 'fake-acoustic', settings: { preset: 'mmsa-librosa' }, columns: ['rms', 'zcr'] });
    expect(manifest?.extractors.v.settings).toEqual({ fps: 10 });
    expect(manifest?.clips.find((c) => c.id === 'interview$_$0')?.transcript).toEqual({ file: 'interview.srt', wordTiming: 'segments' });
    expect((await stat(path.join(out, 'Raw', 'vlog', '0.webm'))).isFile()).toBe(true);
    const csv = await readFile(path.join(out, 'label.csv'), 'utf8');
    expect(csv.split('\n')[0]).toBe('video_id,clip_id,text,label,mode,labelled');
    expect(csv).toContain('interview,0,I really liked this movie a lot,0,');
  });

  it('resumes: a rerun skips written clips, retries failed ones, keeps user labels', async () => {
    await run;
    const csv = await readFile(path.join(out, 'label.csv'), 'utf8');
    await writeFile(path.join(out, 'label.csv'), csv.replace('interview,0,I really liked this movie a lot,0,train,0', 'interview,0,I really liked this movie a lot,2.5,test,1'));
    // A third usable video arrives; a fresh run refuses to write over the folder.
    makeVideoFolder(videos, ['interview']);
    await rm(path.join(videos, 'silent.mp4'));
    const moreVideos = path.join(videos, 'extra');
    makeVideoFolder(moreVideos, ['vlog']);
    await expect(extractFolder({ videos, out, extractors: fakeExtractors() })).rejects.toMatchObject({ code: 'ARG_INVALID' });
    const again = await extractFolder({ videos, out, extractors: fakeExtractors(), resume: true });
    const status = Object.fromEntries(again.clips.map((c) => [c.file, c.status]));
    expect(status).toMatchObject({ 'vlog.webm': 'skipped', 'interview.mp4': 'written', 'extra/vlog.webm': 'written', 'noface.mp4': 'skipped' });
    const ds = await readClipFolder(out);
    expect(ds.splits.train.n + ds.splits.valid.n + ds.splits.test.n).toBe(4);
    const all = ['train', 'valid', 'test'] as const;
    const split = all.find((s) => ds.splits[s].ids.includes('noface$_$0'))!;
    const flags = ds.splits[split].sourceMissing?.v[ds.splits[split].ids.indexOf('noface$_$0')];
    expect(flags && flags.length > 0 && flags.every((f) => f === 1)).toBe(true);
    const i = ds.splits.test.ids.indexOf('interview$_$0');
    expect(ds.splits.test.labels[i]).toBe(2.5);
    expect(ds.info.extractors?.v).toEqual({ id: 'fake-face', version: '1', settings: { fps: 10 } });
    expect(ds.info.dims).toEqual({ l: 4, a: 2, v: 3 });
  });

  it('refuses to resume with other extractor settings', async () => {
    await run;
    await expect(extractFolder({ videos, out, extractors: fakeExtractors(), resume: true, fps: 5 })).rejects.toMatchObject({ code: 'EXTRACTOR_MISMATCH' });
  });

  it('stops between stages on cancel and keeps what was written', async () => {
    const out2 = path.join(tmp, 'cancelled');
    const controller = new AbortController();
    const report = await extractFolder({
      videos,
      out: out2,
      extractors: fakeExtractors(),
      signal: controller.signal,
      onProgress: (p) => p.stage === 'language' && p.done === 1 && controller.abort(),
    });
    expect(report.cancelled).toBe(true);
    expect(report.written).toBe(1);
    expect((await readManifestFile(out2))?.clips.filter((c) => c.status === 'written')).toHaveLength(1);
  });
});
