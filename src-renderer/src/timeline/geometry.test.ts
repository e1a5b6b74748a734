import { describe, expect, it } from 'vitest';
import {
  clampView,
  ensureVisible,
  fitView,
  formatTime,
  hitTest,
  resizeView,
  scrollByPx,
  tickStep,
  ticks,
  timeToX,
  xToTime,
  zoomAt,
  type TimelineView,
} from './geometry';

const fit: TimelineView = fitView(10, 1000); // 100 px per second
const zoomed: TimelineView = { start: 2, pxPerSec: 400, width: 1000, duration: 10 };

describe('time <-> pixel', () => {
  it.each([
    [fit, 0, 0],
    [fit, 2.5, 250],
    [fit, 10, 1000],
    [zoomed, 2, 0],
    [zoomed, 3, 400],
    [zoomed, 1, -400],
  ])('places time on the track (%#)', (view, t, x) => {
    expect(timeToX(view, t)).toBeCloseTo(x, 9);
  });

  it.each([
    [fit, 250, 2.5],
    [zoomed, 400, 3],
    [fit, -50, 0],
    [fit, 5000, 10],
  ])('maps pixels back to time clamped to the clip (%#)', (view, x, t) => {
    expect(xToTime(view, x)).toBeCloseTo(t, 9);
  });
});

describe('zoom and scroll', () => {
  it('keeps the time under the cursor fixed while zooming in', () => {
    const anchorX = 300;
    const before = xToTime(fit, anchorX);
    const view = zoomAt(fit, 4, anchorX);
    expect(view.pxPerSec).toBe(400);
    expect(xToTime(view, anchorX)).toBeCloseTo(before, 9);
  });

  it('never zooms out past the whole clip', () => {
    const view = zoomAt(zoomed, 0.01, 500);
    expect(view.pxPerSec).toBeCloseTo(100, 9);
    expect(view.start).toBe(0);
  });

  it.each([
    [{ ...zoomed, start: -3 }, 0],
    [{ ...zoomed, start: 9 }, 7.5],
    [{ ...zoomed, start: 4 }, 4],
  ])('clamps the window inside the clip (%#)', (view, start) => {
    expect(clampView(view).start).toBeCloseTo(start, 9);
  });

  it('scrolls by pixels and stops at the end', () => {
    expect(scrollByPx(zoomed, 400).start).toBeCloseTo(3, 9);
    expect(scrollByPx(zoomed, 1e6).start).toBeCloseTo(7.5, 9);
  });

  it('re-fits a fitted view on resize and keeps a zoomed one', () => {
    expect(resizeView(fit, 500).pxPerSec).toBe(50);
    expect(resizeView(zoomed, 500).pxPerSec).toBe(400);
  });

  it.each([
    [3, 2],
    [4.5, 4.5 - 24 / 400],
    [1, 1 - (1000 - 24) / 400],
  ])('follows the playhead at %s s', (t, start) => {
    expect(ensureVisible(zoomed, t).start).toBeCloseTo(Math.max(0, start), 9);
  });
});

describe('ruler ticks', () => {
  it.each([
    [100, 1],
    [400, 0.2],
    [30, 5],
    [4000, 0.02],
  ])('at %s px/s steps by %s s', (pxPerSec, step) => {
    expect(tickStep(pxPerSec)).toBeCloseTo(step, 9);
  });

  it('lists the ticks inside the view', () => {
    expect(ticks(zoomed, 0.5)).toEqual([2, 2.5, 3, 3.5, 4, 4.5]);
  });

  it.each([
    [0, '0:00.00'],
    [3.456, '0:03.46'],
    [75.5, '1:15.50'],
  ])('formats %s s as %s', (s, text) => {
    expect(formatTime(s)).toBe(text);
  });
});

describe('segment hit-testing', () => {
  const segments = [
    { start: 1, end: 2 },
    { start: 5, end: 5.1 },
  ];
  it.each([
    [150, { kind: 'body', index: 0 }],
    [103, { kind: 'start', index: 0 }],
    [197, { kind: 'end', index: 0 }],
    [300, { kind: 'none' }],
    [498, { kind: 'start', index: 1 }],
    [512, { kind: 'end', index: 1 }],
    [94, { kind: 'start', index: 0 }],
    [93, { kind: 'none' }],
  ])('at x=%s finds %o', (x, hit) => {
    expect(hitTest(fit, segments, x)).toEqual(hit);
  });
});
