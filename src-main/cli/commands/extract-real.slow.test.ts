// `dar extract` as a new user runs it, with the real extractors (librosa-compatible acoustic,
// Human face, BERT through ONNX Runtime with the tiny test model): three real-format videos
// (H.264 and VP9, one without a face, one without a transcript) and one more face video.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../engine/data/open-dataset';
import { readManifestFile } from '../../engine/extract/extraction-manifest';
import { TINY_BERT_DIR } from '../../../testing/engine/extract/tiny-bert';
import { fixtureFacePng, makeVideoFolder } from '../../../testing/engine/extract/video-folder';
import { useTempDir } from '../../../testing/temp-dir';
import { main } from '../main';

const tmp = useTempDir('dar-extract-real-');

describe.skipIf(!existsSync(TINY_BERT_DIR))('dar extract with the real extractors', () => {
  it('turns the folder into a clip folder that dar inspect and openDataset read', async () => {
    const face = fixtureFacePng(tmp);
    const videos = makeVideoFolder(path.join(tmp, 'videos'), ['interview', 'vlog', 'noface'], face);
    makeVideoFolder(path.join(videos, 'more'), ['interview'], face);
    const out = path.join(tmp, 'clips');
    const lines: string[] = [];
    const io = { out: (t: string) => lines.push(t), err: () => undefined };
    expect(await main(['extract', videos, '--out', out, '--bert-model', TINY_BERT_DIR, '--json'], io)).toBe(0);
    const report = JSON.parse(lines.pop() ?? '{}') as { written: number; clips: { file: string; error?: { code: string } }[] };
    expect(report.written).toBe(4);
    expect(report.clips.find((c) => c.file === 'noface.mp4')?.error).toBeUndefined();
    expect(await main(['inspect', out, '--json'], io)).toBe(0);
    const summary = JSON.parse(lines.pop() ?? '{}') as { splits: Record<string, { n: number; text: number[]; audio: number[]; vision: number[] }> };
    const manifest = await readManifestFile(out);
    const dims = { l: manifest?.extractors.l.columns.length, a: manifest?.extractors.a.columns.length, v: manifest?.extractors.v.columns.length };
    expect(dims.a).toBe(70);
    const splits = Object.values(summary.splits);
    expect(splits.reduce((n, s) => n + s.n, 0)).toBe(4);
    for (const s of splits) expect([s.n >= 1, s.text[2], s.audio[2], s.vision[2]]).toEqual([true, dims.l, dims.a, dims.v]);
    const ds = await openDataset(out);
    expect(ds.info.extractors?.a.id).toBe('dar-acoustic-librosa');
    const vlog = ds.splits.train.ids.concat(ds.splits.valid.ids, ds.splits.test.ids).includes('vlog$_$0');
    expect(vlog).toBe(true);
  }, 300_000);
});
