import { describe, it, expect } from 'vitest';
import type { SeqTensor, SplitData } from '#contract/dataset';
import { clipFrameMasks, framesInSegments, maskedBinFractions, touchedBins } from './frame-mask';
import type { FrameTiming, TimeSegment } from './frame-mask';

describe('framesInSegments (time -> frame maths)', () => {
  const uniform4: FrameTiming = { duration: 4 }; // frames [0,1] [1,2] [2,3] [3,4]
  const spans: FrameTiming = { duration: 10, spans: new Float32Array([0, 0.5, 0.5, 2, 2, 2.25, 6, 8]) };
  const table: [string, TimeSegment[], number, FrameTiming, number[]][] = [
    ['nothing without segments', [], 4, uniform4, [0, 0, 0, 0]],
    ['a segment inside one frame', [{ start: 1.2, end: 1.8 }], 4, uniform4, [0, 1, 0, 0]],
    ['touching a boundary is no overlap', [{ start: 1, end: 2 }], 4, uniform4, [0, 1, 0, 0]],
    ['a hair over a boundary is', [{ start: 0.999, end: 2.001 }], 4, uniform4, [1, 1, 1, 0]],
    ['a zero-length segment on a boundary touches nothing', [{ start: 1, end: 1 }], 4, uniform4, [0, 0, 0, 0]],
    ['a zero-length segment inside a frame touches it', [{ start: 1.5, end: 1.5 }], 4, uniform4, [0, 1, 0, 0]],
    ['segments past the clip are harmless', [{ start: -5, end: 0.1 }, { start: 3.9, end: 99 }], 4, uniform4, [1, 0, 0, 1]],
    ['uniform spread over the duration', [{ start: 2.4, end: 2.6 }], 3, { duration: 3 }, [0, 0, 1]],
    ['explicit spans with a gap', [{ start: 3, end: 5 }], 4, spans, [0, 0, 0, 0]],
    ['explicit spans', [{ start: 1.9, end: 6.5 }], 4, spans, [0, 1, 1, 1]],
    ['no frames', [{ start: 0, end: 1 }], 0, uniform4, []],
  ];
  for (const [name, segs, len, timing, expected] of table) {
    it(name, () => expect(Array.from(framesInSegments(segs, len, timing))).toEqual(expected));
  }

  it('rejects bad segments, short spans and a missing duration', () => {
    expect(() => framesInSegments([{ start: 2, end: 1 }], 4, uniform4)).toThrow(/segment 0: expected finite start <= end/);
    expect(() => framesInSegments([{ start: Number.NaN, end: 1 }], 4, uniform4)).toThrow(/segment 0/);
    expect(() => framesInSegments([], 5, spans)).toThrow(/expected 10 values for 5 frames, got 8/);
    expect(() => framesInSegments([], 5, { duration: Number.NaN })).toThrow(/duration/);
  });
});

function zeros(t: number): SeqTensor {
  return { data: new Float32Array(t), n: 1, t, d: 1 };
}

function clip(): SplitData {
  return {
    n: 1,
    ids: ['v$_$1'],
    labels: new Float32Array(1),
    rawText: [''],
    l: zeros(6),
    a: zeros(8),
    v: zeros(5),
    lengths: { l: new Int32Array([5]), a: new Int32Array([8]), v: new Int32Array([4]) },
    timing: [{ duration: 8, spans: { l: null, a: null, v: new Float32Array([0, 1, 1, 2, 2, 3, 3, 8]) } }],
  };
}

describe('clipFrameMasks', () => {
  it('masks overlapping frames per modality with the operator rules', () => {
    const s = clip();
    s.sourceMissing = { l: [], a: [new Uint8Array(8).fill(0).fill(1, 7)], v: [] };
    const masks = clipFrameMasks(s, 0, { l: [{ start: 0, end: 8 }], a: [{ start: 2.5, end: 3.5 }], v: [{ start: 4, end: 5 }] });
    expect(Array.from(masks.l)).toEqual([0, 1, 1, 1, 0, 0]); // [CLS], [SEP] kept, padding 0
    expect(Array.from(masks.a)).toEqual([0, 0, 1, 1, 0, 0, 0, 1]); // uniform 1 s frames + source-missing
    expect(Array.from(masks.v)).toEqual([0, 0, 0, 1, 0]); // explicit spans, padding 0
  });

  it('leaves modalities without segments unmasked', () => {
    const masks = clipFrameMasks(clip(), 0, { a: [{ start: 0, end: 1 }] });
    expect(masks.l.every((x) => x === 0) && masks.v.every((x) => x === 0)).toBe(true);
    expect(masks.a[0]).toBe(1);
  });

  it('needs a duration when the clip has no timing', () => {
    const s = clip();
    s.timing = undefined;
    expect(() => clipFrameMasks(s, 0, { a: [{ start: 0, end: 1 }] })).toThrow(/no timing known/);
    expect(Array.from(clipFrameMasks(s, 0, { a: [{ start: 0, end: 1 }] }, 4).a)).toEqual([1, 1, 0, 0, 0, 0, 0, 0]);
    expect(() => clipFrameMasks(s, 1, {})).toThrow(/clip index: expected 0..0, got 1/);
  });
});

describe('bins a mask touches', () => {
  it('maps valid frame i of L to bin floor(i*t/L)', () => {
    // L = 8, t = 4: bins hold frames {0,1} {2,3} {4,5} {6,7}
    const mask = [0, 0, 1, 0, 0, 0, 1, 1];
    expect(Array.from(maskedBinFractions(mask, 8, 4))).toEqual([0, 0.5, 0, 1]);
    expect(Array.from(touchedBins(mask, 8, 4))).toEqual([0, 1, 0, 1]);
  });

  it('ignores padding and lets an empty bin follow the frame it copies (L < t)', () => {
    // L = 2, t = 4: frame 0 -> bin 0, frame 1 -> bin 2; bins 1 and 3 copy frames 0 and 1
    expect(Array.from(touchedBins([0, 1, 1, 1], 2, 4))).toEqual([0, 0, 1, 1]);
    expect(Array.from(touchedBins([1, 0], 2, 4))).toEqual([1, 1, 0, 0]);
    expect(Array.from(touchedBins([], 0, 3))).toEqual([0, 0, 0]);
  });
});
