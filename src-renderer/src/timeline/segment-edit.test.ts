import { describe, expect, it } from 'vitest';
import { applyDrag, beginDrag, coveredSeconds, dragSegment, indexContaining, normalizeSegments, removeSegment } from './segment-edit';

const segs = [
  { start: 1, end: 2 },
  { start: 4, end: 6 },
];

describe('dragging segments', () => {
  it('creates a segment from either direction of drag', () => {
    const drag = beginDrag({ kind: 'none' }, segs, 3);
    expect(drag.mode).toBe('create');
    expect(dragSegment(drag, 3.5, 10)).toEqual({ start: 3, end: 3.5 });
    expect(dragSegment(drag, 2.5, 10)).toEqual({ start: 2.5, end: 3 });
    expect(applyDrag(segs, drag, { start: 3, end: 3.5 })).toHaveLength(3);
  });

  it('moves a segment keeping its width and inside the clip', () => {
    const drag = beginDrag({ kind: 'body', index: 1 }, segs, 5);
    expect(dragSegment(drag, 6, 10)).toEqual({ start: 5, end: 7 });
    expect(dragSegment(drag, 100, 10)).toEqual({ start: 8, end: 10 });
    expect(dragSegment(drag, -100, 10)).toEqual({ start: 0, end: 2 });
  });

  it.each([
    ['start', 0.5, { start: 0.5, end: 2 }],
    ['start', 3, { start: 2, end: 3 }],
    ['end', 2.5, { start: 1, end: 2.5 }],
    ['end', 0.2, { start: 0.2, end: 1 }],
  ] as const)('resizes the %s edge to %s s', (kind, t, expected) => {
    const drag = beginDrag({ kind, index: 0 }, segs, kind === 'start' ? 1 : 2);
    expect(dragSegment(drag, t, 10)).toEqual(expected);
  });

  it('replaces only the dragged segment', () => {
    const drag = beginDrag({ kind: 'body', index: 0 }, segs, 1.5);
    expect(applyDrag(segs, drag, { start: 2, end: 3 })).toEqual([{ start: 2, end: 3 }, segs[1]]);
    expect(segs[0]).toEqual({ start: 1, end: 2 });
  });
});

describe('normalising segments', () => {
  it.each([
    [[{ start: 4, end: 6 }, { start: 1, end: 2 }], [{ start: 1, end: 2 }, { start: 4, end: 6 }]],
    [[{ start: 1, end: 3 }, { start: 2, end: 5 }], [{ start: 1, end: 5 }]],
    [[{ start: 1, end: 1.001 }], []],
    [[{ start: -1, end: 2 }, { start: 9, end: 12 }], [{ start: 0, end: 2 }, { start: 9, end: 10 }]],
    [[{ start: 3, end: 1 }], [{ start: 1, end: 3 }]],
  ])('normalises case %#', (input, expected) => {
    expect(normalizeSegments(input, 10)).toEqual(expected);
  });

  it('finds the merged segment that holds an edited one', () => {
    const merged = normalizeSegments([{ start: 1, end: 3 }, { start: 2, end: 5 }, { start: 7, end: 8 }], 10);
    expect(indexContaining(merged, { start: 7.2, end: 7.4 })).toBe(1);
    expect(indexContaining(merged, { start: 6, end: 6.5 })).toBe(-1);
  });

  it('removes a segment and sums coverage', () => {
    expect(removeSegment(segs, 0)).toEqual([segs[1]]);
    expect(coveredSeconds(segs)).toBe(3);
  });
});
