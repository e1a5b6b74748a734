import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoCorpus } from './demo-corpus';
import type { DemoClip } from './demo-corpus';
import { DEMO_DIMS } from './demo-model';
import { captionPrefix, makeClipVideo, wrapWords } from './demo-media';
import { pearson } from './demo-probe';
import { findMediaTools, runTool } from './demo-tools';
import { frameRms } from './demo-wav';

describe('demo video captions', () => {
  it('wraps words into lines of at most the given characters', () => {
    const words = 'the acting was fairly fun but the dialogue was horrible'.split(' ');
    const lines = wrapWords(words, 20);
    expect(lines.map((l) => l.map((k) => words[k]).join(' '))).toEqual(['the acting was', 'fairly fun but the', 'dialogue was', 'horrible']);
  });

  it('shows the spoken prefix with the full text\'s line breaks, so highlights sit on the words', () => {
    const words = 'aa bb cc dd'.split(' ');
    const lines = wrapWords(words, 5);
    expect(captionPrefix(words, lines, 3)).toBe('aa bb\ncc');
    expect(captionPrefix(words, lines, 4)).toBe('aa bb\ncc dd');
  });
});

const found = await findMediaTools();
const reason = found.ok ? '' : ` (skipped: ${found.missing.join('; ')})`;

describe.skipIf(!found.ok)(`demo clip video${reason}`, () => {
  const corpus = generateDemoCorpus({ seed: 5, nTrain: 12, nValid: 3, nTest: 3 });
  const clip = corpus.clips.reduce((a, b) => (b.timeline.words.length < a.timeline.words.length ? b : a));
  let dir = '';
  let timed: DemoClip;
  beforeAll(async () => {
    if (!found.ok) return;
    dir = await mkdtemp(join(tmpdir(), 'dar-demo-media-'));
    timed = await makeClipVideo(found.tools, corpus, clip, join(dir, 'a.mp4'), await mkdtemp(join(dir, 'work-a-')));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('re-times the clip to its speech: same words, spans inside the duration, 2-8 s', () => {
    expect(timed.text).toBe(clip.text);
    expect(timed.timeline.duration).toBeGreaterThan(2);
    expect(timed.timeline.duration).toBeLessThan(8);
    const spans = timed.features.spans.l;
    for (let i = 0; i + 1 < spans.length; i++) expect(spans[i + 1]).toBeGreaterThanOrEqual(spans[i]);
    expect(spans[spans.length - 1]).toBeLessThanOrEqual(timed.timeline.duration);
  });

  it('makes a small mp4 whose acoustic feature 0 is the RMS energy of its own audio track', async () => {
    if (!found.ok) return;
    const file = join(dir, 'a.mp4');
    expect((await stat(file)).size).toBeLessThan(1024 * 1024);
    const args = ['-v', 'error', '-i', file, '-f', 'f32le', '-ac', '1', '-ar', '22050', '-'];
    const pcm = await runTool(found.tools.ffmpeg, args, 'decode');
    const samples = new Float32Array(pcm.buffer, pcm.byteOffset, pcm.byteLength / 4);
    const rms = frameRms({ sampleRate: 22050, samples }, timed.features.spans.a);
    const feature0 = Array.from({ length: timed.features.lengths.a }, (_, i) => timed.features.a[i * DEMO_DIMS.a]);
    expect(pearson(Array.from(rms), feature0)).toBeGreaterThan(0.9);
  });

  it('gives identical bytes when made twice', async () => {
    if (!found.ok) return;
    await makeClipVideo(found.tools, corpus, clip, join(dir, 'b.mp4'), await mkdtemp(join(dir, 'work-b-')));
    expect((await readFile(join(dir, 'b.mp4'))).equals(await readFile(join(dir, 'a.mp4')))).toBe(true);
  });
});
