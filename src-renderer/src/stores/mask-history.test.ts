import { describe, expect, it } from 'vitest';
import { commit, emptyMasks, HISTORY_LIMIT, isEmptyMask, redo, sameMasks, startHistory, undo, type MaskSet } from './mask-history';

function withSegment(start: number, end: number): MaskSet {
  const m = emptyMasks();
  m.a.segments.push({ start, end });
  return m;
}

describe('mask history', () => {
  it('undoes and redoes committed edits in order', () => {
    let h = startHistory();
    h = commit(h, withSegment(1, 2));
    h = commit(h, withSegment(1, 3));
    h = undo(h);
    expect(h.present.a.segments).toEqual([{ start: 1, end: 2 }]);
    h = undo(h);
    expect(isEmptyMask(h.present)).toBe(true);
    h = redo(h);
    expect(h.present.a.segments).toEqual([{ start: 1, end: 2 }]);
  });

  it('drops the redo branch on a new edit', () => {
    let h = commit(startHistory(), withSegment(1, 2));
    h = undo(h);
    h = commit(h, withSegment(4, 5));
    expect(h.future).toHaveLength(0);
    expect(redo(h)).toBe(h);
  });

  it('ignores an edit that changes nothing', () => {
    const h = commit(startHistory(), withSegment(1, 2));
    expect(commit(h, withSegment(1, 2))).toBe(h);
  });

  it('keeps snapshots independent of later mutation', () => {
    const next = withSegment(1, 2);
    const h = commit(startHistory(), next);
    next.a.segments[0].end = 9;
    expect(h.present.a.segments[0].end).toBe(2);
  });

  it('remembers at most HISTORY_LIMIT steps', () => {
    let h = startHistory();
    for (let i = 0; i < HISTORY_LIMIT + 10; i++) h = commit(h, withSegment(0, 1 + i));
    expect(h.past).toHaveLength(HISTORY_LIMIT);
  });

  it('compares whole-modality flags too', () => {
    const a = emptyMasks();
    const b = emptyMasks();
    b.v.whole = true;
    expect(sameMasks(a, b)).toBe(false);
    expect(isEmptyMask(b)).toBe(false);
  });
});
