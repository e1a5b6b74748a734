import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../engine/checkpoint/safetensors';
import { openDataset } from '../../engine/data/open-dataset';
import { fakeExtractors } from '../../../testing/engine/extract/fake-extractors';
import { makeVideoFolder } from '../../../testing/engine/extract/video-folder';
import { useTempDir } from '../../../testing/temp-dir';
import { parseArgs } from '../args';
import { main } from '../main';
import { clock, makeExtractCommand } from './extract';

const tmp = useTempDir('dar-cli-extract-');

/** `dar <argv>`; extract runs with fake extractors unless `real` (main's own command table). */
async function run(argv: string[], real = false): Promise<{ code: number; out: string; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (t: string) => out.push(t), err: (t: string) => err.push(t) };
  const command = makeExtractCommand(fakeExtractors());
  const code = argv[0] === 'extract' && !real ? await command.run(parseArgs(argv.slice(1), command.flags, 'dar extract'), io) : await main(argv, io);
  return { code, out: out.join('\n'), err };
}

describe('dar extract', () => {
  const videos = makeVideoFolder(path.join(tmp, 'videos'), ['interview', 'vlog', 'noface']);
  // The fake tracker sees a face in testsrc2 nowhere; a second face video keeps three clips usable.
  makeVideoFolder(path.join(videos, 'more'), ['vlog']);
  const out = path.join(tmp, 'clips');

  it('extracts a folder, prints progress per clip and stage with an ETA, then dar inspect shows l/a/v', async () => {
    const r = await run(['extract', videos, '--out', out, '--fps', '5']);
    expect(r.code).toBe(0);
    expect(r.err.some((l) => /^\[1\/4\] interview\.mp4: probe/.test(l))).toBe(true);
    expect(r.err.some((l) => /ETA \d+:\d\d$/.test(l))).toBe(true);
    expect(r.out).toMatch(/4 written, 0 skipped, 0 failed/);
    expect(r.out).toMatch(/noface\.mp4 -> noface\$_\$0: written/);
    const inspect = await run(['inspect', out, '--json']);
    expect(inspect.code).toBe(0);
    const summary = JSON.parse(inspect.out) as { splits: Record<string, { n: number; text: number[]; audio: number[]; vision: number[] }> };
    const all = Object.values(summary.splits);
    expect(all.reduce((n, s) => n + s.n, 0)).toBe(4);
    expect(all.map((s) => [s.n >= 1, s.text[2], s.audio[2], s.vision[2]])).toEqual([[true, 4, 2, 3], [true, 4, 2, 3], [true, 4, 2, 3]]);
    const ds = await openDataset(out);
    expect(ds.info.format).toBe('clip-folder');
    expect(ds.splits.train.videos?.every(Boolean)).toBe(true);
  });

  it('skips everything on --resume and reports JSON with --json', async () => {
    const r = await run(['extract', videos, '--out', out, '--fps', '5', '--resume', '--json']);
    const report = JSON.parse(r.out) as { skipped: number; failed: number };
    expect([r.code, report.skipped, report.failed]).toEqual([0, 4, 0]);
    // with --json, whatever goes to stderr is progress as JSON lines (nothing is left to extract here)
    for (const line of r.err) expect(JSON.parse(line)).toHaveProperty('progress');
  });

  it('trains on the extracted folder; the checkpoint names the extractors and refuses features from other settings', async () => {
    const ckpt = path.join(tmp, 'model.safetensors');
    const train = await run(['train', '--data', out, '--out', ckpt, '--epochs', '1', '--d', '8', '--t', '4', '--heads', '2', '--batch', '2', '--json']);
    expect(train.code).toBe(0);
    const { metadata } = await readCheckpoint(ckpt);
    expect(metadata.extractors).toMatchObject({ v: { id: 'fake-face', settings: { fps: 5 } }, a: { settings: { preset: 'mmsa-librosa' } } });
    const other = path.join(tmp, 'clips-10fps');
    expect((await run(['extract', videos, '--out', other, '--fps', '10'])).code).toBe(0);
    const predict = await run(['predict', '--checkpoint', ckpt, '--data', other, '--out', path.join(tmp, 'p.csv')]);
    expect([predict.code, predict.err.at(-1)]).toEqual([2, expect.stringMatching(/^error EXTRACTOR_MISMATCH: .*v: wanted fake-face@1 \{"fps":5\}, got fake-face@1 \{"fps":10\}/)]);
  }, 120_000);

  it('takes strict flags', async () => {
    for (const argv of [['extract', videos], ['extract', videos, '--out', out, '--fps', 'ten'], ['extract', videos, '--out', out, '--acoustic', 'opensmile'], ['extract', videos, '--out', out, '--fsp', '5']]) {
      const r = await run(argv, true);
      expect([r.code, r.err.at(-1)]).toEqual([2, expect.stringMatching(/^error ARG_INVALID/)]);
    }
  });

  it('prints clocks for the ETA', () => {
    expect([clock(5), clock(65), clock(3723)]).toEqual(['0:05', '1:05', '1:02:03']);
  });
});
