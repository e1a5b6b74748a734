/**
 * Time <-> pixel geometry of the timeline. The model is in seconds; pixels exist only here and
 * at the rendering edge (the wavesurfer / Label Studio habit). Pure functions, table-tested.
 */

/** What part of the clip the tracks show: left edge in seconds, scale, and the clip's length. */
export interface TimelineView {
  /** Seconds at the left edge of the track. */
  start: number;
  pxPerSec: number;
  /** Width of the track in CSS pixels. */
  width: number;
  /** Clip duration in seconds. */
  duration: number;
}

/** A closed time interval in seconds. */
export interface TimeSpan {
  start: number;
  end: number;
}

/** The most a user may zoom in, in pixels per second. */
export const MAX_PX_PER_SEC = 4000;

/** Clamps a number into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Pixel x of time `t` (may fall outside [0, width]). */
export function timeToX(view: TimelineView, t: number): number {
  return (t - view.start) * view.pxPerSec;
}

/** Time at pixel x, clamped to the clip. */
export function xToTime(view: TimelineView, x: number): number {
  return clamp(view.start + x / view.pxPerSec, 0, view.duration);
}

/** The scale at which the whole clip fills the track (the least zoom allowed). */
export function fitPxPerSec(duration: number, width: number): number {
  return duration > 0 && width > 0 ? width / duration : 1;
}

/** The whole clip in view. */
export function fitView(duration: number, width: number): TimelineView {
  return { start: 0, pxPerSec: fitPxPerSec(duration, width), width, duration };
}

/** Seconds visible at once. */
export function visibleSeconds(view: TimelineView): number {
  return view.width / view.pxPerSec;
}

/** Keeps the scale between "whole clip" and MAX_PX_PER_SEC and the window inside the clip. */
export function clampView(view: TimelineView): TimelineView {
  const pxPerSec = clamp(view.pxPerSec, fitPxPerSec(view.duration, view.width), Math.max(MAX_PX_PER_SEC, fitPxPerSec(view.duration, view.width)));
  const maxStart = Math.max(0, view.duration - view.width / pxPerSec);
  return { ...view, pxPerSec, start: clamp(view.start, 0, maxStart) };
}

/** Zooms by `factor` keeping the time under pixel `anchorX` where it is. */
export function zoomAt(view: TimelineView, factor: number, anchorX: number): TimelineView {
  const anchorT = view.start + anchorX / view.pxPerSec;
  const pxPerSec = view.pxPerSec * factor;
  return clampView({ ...view, pxPerSec, start: anchorT - anchorX / pxPerSec });
}

/** Scrolls by `dx` pixels (positive = later in time). */
export function scrollByPx(view: TimelineView, dx: number): TimelineView {
  return clampView({ ...view, start: view.start + dx / view.pxPerSec });
}

/** Resizes the track, keeping the left edge and re-fitting when the view was fitted. */
export function resizeView(view: TimelineView, width: number): TimelineView {
  const wasFit = view.pxPerSec <= fitPxPerSec(view.duration, view.width) + 1e-9;
  if (wasFit) return fitView(view.duration, width);
  return clampView({ ...view, width });
}

/**
 * Scrolls just enough for `t` to sit inside the view with `marginPx` to spare; when following a
 * playhead that leaves on the right, it pages so the playhead lands near the left.
 */
export function ensureVisible(view: TimelineView, t: number, marginPx = 24): TimelineView {
  const x = timeToX(view, t);
  if (x >= marginPx && x <= view.width - marginPx) return view;
  if (x > view.width - marginPx) return clampView({ ...view, start: t - marginPx / view.pxPerSec });
  return clampView({ ...view, start: t - (view.width - marginPx) / view.pxPerSec });
}

/** A "nice" tick step (1, 2 or 5 times a power of ten seconds) at least `minPx` pixels apart. */
export function tickStep(pxPerSec: number, minPx = 72): number {
  const raw = minPx / pxPerSec;
  const pow = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * pow >= raw - 1e-12) return m * pow;
  return 10 * pow;
}

/** Tick times within the view for a given step. */
export function ticks(view: TimelineView, step: number): number[] {
  const out: number[] = [];
  const end = Math.min(view.duration, view.start + visibleSeconds(view));
  const first = Math.ceil(view.start / step - 1e-9) * step;
  for (let t = first; t <= end + 1e-9; t += step) out.push(Number(t.toFixed(6)));
  return out;
}

/** Where a pointer fell relative to the segments of a track. */
export type SegmentHit =
  | { kind: 'none' }
  | { kind: 'body'; index: number }
  | { kind: 'start' | 'end'; index: number };

/**
 * Hit-tests pixel x against segments: an edge within `edgePx` wins over a body (the nearest
 * edge if several), then the last-drawn body containing x.
 */
export function hitTest(view: TimelineView, segments: readonly TimeSpan[], x: number, edgePx = 6): SegmentHit {
  let best: SegmentHit = { kind: 'none' };
  let bestDist = edgePx + 1e-9;
  segments.forEach((s, index) => {
    const dStart = Math.abs(timeToX(view, s.start) - x);
    const dEnd = Math.abs(timeToX(view, s.end) - x);
    if (dStart <= bestDist && dStart <= dEnd) {
      best = { kind: 'start', index };
      bestDist = dStart;
    } else if (dEnd <= bestDist) {
      best = { kind: 'end', index };
      bestDist = dEnd;
    }
  });
  if (best.kind !== 'none') return best;
  for (let index = segments.length - 1; index >= 0; index--) {
    const s = segments[index];
    if (x >= timeToX(view, s.start) && x <= timeToX(view, s.end)) return { kind: 'body', index };
  }
  return best;
}

/** Formats seconds as m:ss.ms for the transport and the ruler. */
export function formatTime(seconds: number, decimals = 2): string {
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return `${m}:${rest}`;
}
