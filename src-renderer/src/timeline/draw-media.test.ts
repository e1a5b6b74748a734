import { describe, expect, it } from 'vitest';
import { filmstripSlots, peakColumns, peakLevel, type WaveformPeaks } from './draw-media';
import type { TimelineView } from './geometry';

// 4 s of audio in 8 buckets (0.5 s each): bucket k peaks at +-(k + 1) / 10.
const WAVE: WaveformPeaks = {
  buckets: 8,
  duration: 4,
  min: Float32Array.from({ length: 8 }, (_, k) => -(k + 1) / 10),
  max: Float32Array.from({ length: 8 }, (_, k) => (k + 1) / 10),
};
const view = (start: number, pxPerSec: number, width: number, duration = 4): TimelineView => ({ start, pxPerSec, width, duration });

describe('waveform columns', () => {
  it.each([
    // whole clip in 8 px: one bucket per column
    { v: view(0, 2, 8), count: 8, first: 0.1, last: 0.8 },
    // whole clip in 4 px: each column folds two buckets and keeps their extremes
    { v: view(0, 1, 4), count: 4, first: 0.2, last: 0.8 },
    // zoomed in on 2..3 s at 100 px/s: the columns there repeat buckets 4 and 5
    { v: view(2, 100, 100), count: 100, first: 0.5, last: 0.6 },
  ])('maps pixel columns to buckets (%#)', ({ v, count, first, last }) => {
    const cols = peakColumns(v, WAVE);
    expect(cols).toHaveLength(count);
    expect(cols[0].hi).toBeCloseTo(first);
    expect(cols.at(-1)!.hi).toBeCloseTo(last);
    expect(cols.every((c) => c.lo === -c.hi)).toBe(true);
  });

  it('stops where the audio ends, even when the track is wider', () => {
    expect(peakColumns(view(0, 10, 100, 8), WAVE)).toHaveLength(40);
  });

  it('scales to the loudest sample, and treats silence as full scale', () => {
    expect(peakLevel(WAVE)).toBeCloseTo(0.8);
    expect(peakLevel({ buckets: 2, duration: 1, min: new Float32Array(2), max: new Float32Array(2) })).toBe(1);
  });
});

describe('filmstrip slots', () => {
  // 8 tiles 16x9 over 4 s; a 36 px body makes 64 px wide slots.
  const strip = { count: 8, tileWidth: 16, tileHeight: 9, duration: 4 };

  it('fills the whole clip with slots at the tiles natural aspect', () => {
    const slots = filmstripSlots(view(0, 64, 256), 36, strip);
    expect(slots.map((s) => s.x)).toEqual([0, 64, 128, 192]);
    expect(slots.map((s) => s.tile)).toEqual([1, 3, 5, 7]);
  });

  it('shows the frames in between when zoomed in, and moves with the scroll position', () => {
    const zoomed = filmstripSlots(view(1, 128, 256), 36, strip);
    expect(zoomed[0]).toMatchObject({ x: 0, tile: 2 });
    expect(zoomed.map((s) => s.tile)).toEqual([2, 3, 4, 5]);
    const scrolled = filmstripSlots(view(1.25, 128, 256), 36, strip);
    expect(scrolled[0].x).toBe(-32);
  });

  it('ends at the clip end with a narrower last slot', () => {
    const slots = filmstripSlots(view(0, 50, 300), 36, strip);
    expect(slots.at(-1)!.x + slots.at(-1)!.width).toBe(200);
  });
});
