import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '#contract/errors';
import type { ClipExplanation } from '#contract/explain';
import { decodeMessage, newWireMemo } from '#contract/wire-codec';
import { AnswerFrames } from './answer-frames';
import { startEngine, type EngineClient } from './engine-client';
import { DEMO_DIR } from '../../../testing/worker/studio-checkpoints';

type Framed<T> = { id: number; result: Result<T> };

describe('AnswerFrames', () => {
  it('keeps one memo per connection, for memo methods only, and forgets a closed one', () => {
    const f = new AnswerFrames();
    const big = Float32Array.from({ length: 4096 }, (_, i) => Math.sin(i));
    const value = { big, small: Float32Array.of(1) };
    const first = f.encode(1, 10, 'explain', { ok: true, value });
    const second = f.encode(1, 11, 'explain', { ok: true, value });
    expect(second.byteLength).toBeLessThan(first.byteLength / 4);
    // another page, and another method, get whole frames
    expect(f.encode(2, 12, 'explain', { ok: true, value }).byteLength).toBe(first.byteLength);
    expect(f.encode(1, 13, 'getClip', { ok: true, value }).byteLength).toBeGreaterThan(big.byteLength);
    expect(f.connections).toBe(2);
    f.forget(1);
    expect(f.connections).toBe(1);
    expect(f.encode(1, 14, 'explain', { ok: true, value }).byteLength).toBe(first.byteLength);
  });

  it('previews explain with its two predictions only, and nothing else', () => {
    const f = new AnswerFrames();
    const value = { masked: { yHat: 0.25, modalities: {} }, complete: { yHat: -1.5, modalities: {} }, big: new Float32Array(4096) };
    const preview = f.preview(42, 'explain', { ok: true, value });
    expect(decodeMessage(preview!)).toEqual({ id: 42, preview: { masked: 0.25, complete: -1.5 } });
    expect(preview!.byteLength).toBeLessThan(100);
    expect(f.preview(43, 'explain', { ok: false, error: { code: 'NO_CHECKPOINT', message: 'x' } })).toBeNull();
    expect(f.preview(44, 'getClip', { ok: true, value })).toBeNull();
    // a preview does not touch the page's memo: the answer after it is still a whole frame
    expect(f.connections).toBe(0);
  });

  it('answers INTERNAL for a value the wire cannot carry, with the page id', () => {
    const frame = new AnswerFrames().encode(1, 7, 'getClip', { ok: true, value: { buffer: new ArrayBuffer(4) } });
    expect(decodeMessage(frame)).toMatchObject({ id: 7, result: { ok: false, error: { code: 'INTERNAL' } } });
  });
});

describe('frames encoded by the engine worker', () => {
  let engine: EngineClient;
  beforeAll(async () => {
    engine = startEngine({ workerData: { shell: 'browser', version: 'test', mediaUrl: '', demoDir: DEMO_DIR } });
    const opened = await engine.call('openDataset', { path: DEMO_DIR, checkpoint: join(DEMO_DIR, 'model.safetensors') });
    if (!opened.ok) throw new Error(opened.error.message);
  }, 30_000);
  afterAll(() => engine?.close());

  const masks = (start: number) => ({ l: { whole: false, segments: [{ start, end: start + 0.5 }] }, a: { whole: false, segments: [] }, v: { whole: true, segments: [] } });

  it('carry the same explanation as a plain call, as memo frames a page decodes in order, per connection', async () => {
    const page = newWireMemo();
    const frames: Uint8Array[] = [];
    const explanations: ClipExplanation[] = [];
    for (const [k, start] of [0.2, 0.6].entries()) {
      const previews: unknown[] = [];
      const frame = await engine.callFrame('explain', { split: 'test', index: 1, masks: masks(start) }, 1, 500 + k, (p) => previews.push(decodeMessage(p, page)));
      const m = decodeMessage(frame, page) as Framed<ClipExplanation>;
      expect(m.id).toBe(500 + k);
      if (!m.result.ok) throw new Error(m.result.error.message);
      // the predictions came first, in a frame of their own for the same page request
      expect(previews).toEqual([{ id: 500 + k, preview: { masked: m.result.value.masked.yHat, complete: m.result.value.complete.yHat } }]);
      frames.push(frame);
      explanations.push(m.result.value);
    }
    const plain = await engine.call('explain', { split: 'test', index: 1, masks: masks(0.6) });
    if (!plain.ok) throw new Error(plain.error.message);
    expect(explanations[1].masked.yHat).toBe(plain.value.masked.yHat);
    const full = plain.value as ClipExplanation;
    expect(Array.from(explanations[1].masked.modalities.l.Hhat_com)).toEqual(Array.from(full.masked.modalities.l.Hhat_com));
    expect(Array.from(explanations[1].complete.modalities.v.Hspec)).toEqual(Array.from(full.complete.modalities.v.Hspec));
    // the second answer refers back to the first (the complete branch is not sent again)
    expect(frames[1].byteLength).toBeLessThan(frames[0].byteLength * 0.7);
    // a second page has its own memo: its first answer is whole
    const other = await engine.callFrame('explain', { split: 'test', index: 1, masks: masks(0.6) }, 2, 1);
    expect(other.byteLength).toBeGreaterThan(frames[1].byteLength);
    expect((decodeMessage(other, newWireMemo()) as Framed<ClipExplanation>).result.ok).toBe(true);
  });

  it('answers a coded error as a frame, with no preview, and a page forgotten starts over with a whole frame', async () => {
    const previews: Uint8Array[] = [];
    const bad = decodeMessage(await engine.callFrame('explain', { split: 'test', index: 99999, masks: masks(0.2) }, 1, 9, (p) => previews.push(p))) as Framed<unknown>;
    expect(bad).toMatchObject({ id: 9, result: { ok: false } });
    expect(previews).toEqual([]);
    const before = await engine.callFrame('explain', { split: 'test', index: 1, masks: masks(0.6) }, 3, 1);
    engine.forget(3);
    const after = await engine.callFrame('explain', { split: 'test', index: 1, masks: masks(0.6) }, 3, 2);
    expect(after.byteLength).toBe(before.byteLength);
    expect((decodeMessage(after, newWireMemo()) as Framed<unknown>).result.ok).toBe(true);
  });
});
