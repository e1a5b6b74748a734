import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import type { Modality } from '#contract/dataset';
import { generateDemoCorpus } from './demo-corpus';
import type { DemoClip, DemoCorpus } from './demo-corpus';
import { encodeClipNpz, labelCsv } from './demo-files';
import { DEMO_DIMS, DEMO_SEQ_LEN } from './demo-model';
import { fitRidge, meanFeatures, pearson } from './demo-probe';

const SMALL = { seed: 7, nTrain: 12, nValid: 5, nTest: 5 };

function corpusHash(corpus: DemoCorpus): string {
  const h = createHash('sha256');
  h.update(labelCsv(corpus.clips));
  for (const clip of corpus.clips) h.update(encodeClipNpz(clip));
  return h.digest('hex');
}

describe('generateDemoCorpus', () => {
  it('gives identical files for equal options and different ones for another seed', () => {
    const a = corpusHash(generateDemoCorpus(SMALL));
    expect(corpusHash(generateDemoCorpus(SMALL))).toBe(a);
    expect(corpusHash(generateDemoCorpus({ ...SMALL, seed: 8 }))).not.toBe(a);
  });

  it('makes MOSI-shaped clips: dims, lengths within the padding, [CLS]/[SEP] at both ends', () => {
    const corpus = generateDemoCorpus(SMALL);
    expect(corpus.clips.map((c) => c.split).filter((s) => s === 'valid')).toHaveLength(5);
    for (const clip of corpus.clips) {
      const { lengths } = clip.features;
      for (const m of ['l', 'a', 'v'] as Modality[]) {
        expect(clip.features[m].length).toBe(lengths[m] * DEMO_DIMS[m]);
        expect(lengths[m]).toBeLessThanOrEqual(DEMO_SEQ_LEN[m]);
      }
      const d = DEMO_DIMS.l;
      expect(clip.features.l.subarray(0, d)).toEqual(corpus.projections.cls);
      expect(clip.features.l.subarray((lengths.l - 1) * d, lengths.l * d)).toEqual(corpus.projections.sep);
      expect(lengths.l).toBe(clip.text.split(' ').length + 2);
    }
  });

  it('times clips like speech: 2-8 s, ~2.5 words, 25 acoustic and 30 visual frames per second', () => {
    const clips = generateDemoCorpus({ ...SMALL, nTrain: 60 }).clips;
    let words = 0;
    let seconds = 0;
    for (const { timeline, features } of clips) {
      const D = timeline.duration;
      expect(D).toBeGreaterThanOrEqual(2);
      expect(D).toBeLessThanOrEqual(8);
      expect(Math.abs(features.lengths.a - 25 * D)).toBeLessThanOrEqual(0.5);
      expect(Math.abs(features.lengths.v - 30 * D)).toBeLessThanOrEqual(0.5);
      const spans = features.spans.l;
      for (let i = 0; i + 1 < spans.length; i++) expect(spans[i + 1]).toBeGreaterThanOrEqual(spans[i]);
      expect(spans[spans.length - 1]).toBeLessThanOrEqual(D);
      expect(features.spans.v[features.spans.v.length - 1]).toBeCloseTo(D, 5);
      words += timeline.words.length;
      seconds += D;
    }
    expect(words / seconds).toBeGreaterThan(2);
    expect(words / seconds).toBeLessThan(3);
  });

  it('labels like averaged annotators: thirds in [-3, 3] with integers and both signs', () => {
    const labels = generateDemoCorpus({ ...SMALL, nTrain: 100 }).clips.map((c) => c.latents.label);
    for (const y of labels) {
      expect(Math.abs(y)).toBeLessThanOrEqual(3);
      expect(Math.abs(3 * y - Math.round(3 * y))).toBeLessThan(1e-9);
    }
    expect(labels.filter((y) => Number.isInteger(y)).length).toBeGreaterThan(10);
    expect(labels.filter((y) => y <= -1).length).toBeGreaterThan(15);
    expect(labels.filter((y) => y >= 1).length).toBeGreaterThan(15);
  });

  it('splits by speaker: no video has clips in two splits', () => {
    const splitOf = new Map<string, string>();
    for (const c of generateDemoCorpus({ ...SMALL, nTrain: 40 }).clips) {
      expect(splitOf.get(c.videoId) ?? c.split).toBe(c.split);
      splitOf.set(c.videoId, c.split);
    }
  });
});

describe('the demo signal (linear probes on time-averaged features)', () => {
  const corpus = generateDemoCorpus({ seed: 20240607, nTrain: 160, nValid: 1, nTest: 80 });
  const train = corpus.clips.filter((c) => c.split === 'train');
  const test = corpus.clips.filter((c) => c.split === 'test');
  const blocks = (clips: DemoClip[], ms: Modality[]): number[][][] => ms.map((m) => meanFeatures(clips, m));
  const target = (clips: DemoClip[], key: 'label' | 'c' | Modality): number[] => clips.map((c) => c.latents[key]);
  const probe = (ms: Modality[], key: 'label' | 'c' | Modality): number => {
    const predict = fitRidge(blocks(train, ms), target(train, key), 0.1);
    return pearson(predict(blocks(test, ms)), target(test, key));
  };

  it('lets each modality alone predict the label, and all three together better than any one', () => {
    const single = (['l', 'a', 'v'] as Modality[]).map((m) => probe([m], 'label'));
    for (const r of single) expect(r).toBeGreaterThan(0.45);
    expect(probe(['l', 'a', 'v'], 'label')).toBeGreaterThan(Math.max(...single) + 0.05);
  });

  it('carries the shared factor in every modality, so the other two recover it when one is gone', () => {
    for (const m of ['l', 'a', 'v'] as Modality[]) expect(probe([m], 'c')).toBeGreaterThan(0.6);
    expect(probe(['a', 'v'], 'c')).toBeGreaterThan(0.75);
    expect(probe(['l', 'v'], 'c')).toBeGreaterThan(0.75);
    expect(probe(['l', 'a'], 'c')).toBeGreaterThan(0.75);
  });

  it('keeps each specific factor in its own modality only (only partly recoverable)', () => {
    expect(probe(['l'], 'l')).toBeGreaterThan(0.6);
    expect(probe(['a'], 'a')).toBeGreaterThan(0.6);
    expect(probe(['v'], 'v')).toBeGreaterThan(0.6);
    expect(Math.abs(probe(['a', 'v'], 'l'))).toBeLessThan(0.3);
    expect(Math.abs(probe(['l', 'v'], 'a'))).toBeLessThan(0.3);
    expect(Math.abs(probe(['l', 'a'], 'v'))).toBeLessThan(0.3);
  });
});
