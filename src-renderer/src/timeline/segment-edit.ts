/**
 * Pure edits of mask segments in seconds: create by dragging, move, resize, and normalise
 * (clamp, sort, merge overlaps). A drag produces "updating" segments on every pointer move and
 * one "updated" list on release; only the latter reaches the undo history.
 */
import { clamp, type SegmentHit, type TimeSpan } from './geometry';

/** Shorter segments than this (seconds) are dropped on commit: they were clicks, not drags. */
export const MIN_SEGMENT_SECONDS = 0.02;

/** An ongoing drag on one track. */
export interface SegmentDrag {
  mode: 'create' | 'move' | 'start' | 'end';
  /** Index of the segment being edited (for create: the index it will get, = length). */
  index: number;
  /** Time where the pointer went down. */
  anchor: number;
  /** The segment as it was when the drag began. */
  original: TimeSpan;
}

/** Starts a drag from a hit-test result at time `t`. */
export function beginDrag(hit: SegmentHit, segments: readonly TimeSpan[], t: number): SegmentDrag {
  if (hit.kind === 'none') return { mode: 'create', index: segments.length, anchor: t, original: { start: t, end: t } };
  const original = { ...segments[hit.index] };
  return { mode: hit.kind === 'body' ? 'move' : hit.kind, index: hit.index, anchor: t, original };
}

/** The edited segment when the pointer is at time `t`. */
export function dragSegment(drag: SegmentDrag, t: number, duration: number): TimeSpan {
  const { original: o } = drag;
  const tc = clamp(t, 0, duration);
  switch (drag.mode) {
    case 'create':
      return { start: Math.min(drag.anchor, tc), end: Math.max(drag.anchor, tc) };
    case 'move': {
      const width = o.end - o.start;
      const start = clamp(o.start + (t - drag.anchor), 0, Math.max(0, duration - width));
      return { start, end: start + width };
    }
    case 'start':
      return { start: Math.min(tc, o.end), end: Math.max(tc, o.end) };
    case 'end':
      return { start: Math.min(o.start, tc), end: Math.max(o.start, tc) };
  }
}

/** The track's segments with the dragged one replaced (or appended, for create). */
export function applyDrag(segments: readonly TimeSpan[], drag: SegmentDrag, edited: TimeSpan): TimeSpan[] {
  const out = segments.map((s) => ({ ...s }));
  if (drag.mode === 'create') out.push(edited);
  else out[drag.index] = edited;
  return out;
}

/** Clamps to [0, duration], drops slivers, sorts by start and merges overlapping segments. */
export function normalizeSegments(segments: readonly TimeSpan[], duration: number): TimeSpan[] {
  const clipped = segments
    .map((s) => ({ start: clamp(Math.min(s.start, s.end), 0, duration), end: clamp(Math.max(s.start, s.end), 0, duration) }))
    .filter((s) => s.end - s.start >= MIN_SEGMENT_SECONDS)
    .sort((a, b) => a.start - b.start);
  const out: TimeSpan[] = [];
  for (const s of clipped) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/** Index of the normalised segment that contains the middle of `span` (to keep a selection), or -1. */
export function indexContaining(segments: readonly TimeSpan[], span: TimeSpan): number {
  const mid = (span.start + span.end) / 2;
  return segments.findIndex((s) => mid >= s.start && mid <= s.end);
}

/** Removes segment `index`. */
export function removeSegment(segments: readonly TimeSpan[], index: number): TimeSpan[] {
  return segments.filter((_, i) => i !== index);
}

/** Total masked seconds of a normalised list. */
export function coveredSeconds(segments: readonly TimeSpan[]): number {
  return segments.reduce((s, x) => s + (x.end - x.start), 0);
}
