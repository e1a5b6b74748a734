import { describe, expect, it } from 'vitest';
import { visibleRange } from './useVirtualList';

describe('the virtualized list', () => {
  it('renders a screenful of a 22k-row library, not 22k rows', () => {
    const r = visibleRange(0, 600, 60, 22_000);
    expect(r.first).toBe(0);
    expect(r.last - r.first + 1).toBeLessThanOrEqual(10 + 2 * 6 + 1);
  });

  it('follows the scroll position deep into the list', () => {
    const r = visibleRange(60 * 15_000, 600, 60, 22_000);
    expect(r.first).toBe(15_000 - 6);
    expect(r.last).toBe(15_000 + 10 + 6);
    expect(r.offsetTop).toBe(r.first * 60);
  });

  it.each([
    [60 * 21_995, 21_999],
    [1e9, 21_999],
  ])('stops at the last row (scrollTop %s)', (scrollTop, last) => {
    expect(visibleRange(scrollTop, 600, 60, 22_000).last).toBe(last);
  });

  it('renders nothing for an empty list', () => {
    const r = visibleRange(0, 600, 60, 0);
    expect(r.last).toBeLessThan(r.first);
  });
});
