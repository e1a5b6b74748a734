/**
 * Undo/redo of the workbench masks as immutable snapshots. Only finished edits ("updated")
 * are committed; drags in progress live outside the history.
 */
import type { ModalityMask } from '#contract/api';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';

/** The masks of all three modalities. */
export type MaskSet = PerModality<ModalityMask>;

/** Past, present and future mask sets. */
export interface MaskHistory {
  past: MaskSet[];
  present: MaskSet;
  future: MaskSet[];
}

/** The modalities in display order. */

/** How many steps undo remembers. */
export const HISTORY_LIMIT = 200;

/** No mask anywhere. */
export function emptyMasks(): MaskSet {
  return { l: { segments: [], whole: false }, a: { segments: [], whole: false }, v: { segments: [], whole: false } };
}

/** A deep copy, so snapshots never share segment objects. */
export function cloneMasks(m: MaskSet): MaskSet {
  const one = (x: ModalityMask): ModalityMask => ({ whole: x.whole, segments: x.segments.map((s) => ({ start: s.start, end: s.end })) });
  return { l: one(m.l), a: one(m.a), v: one(m.v) };
}

/** True when two mask sets mask the same thing. */
export function sameMasks(a: MaskSet, b: MaskSet): boolean {
  return MODALITIES.every((m) => {
    const x = a[m];
    const y = b[m];
    return x.whole === y.whole && x.segments.length === y.segments.length && x.segments.every((s, i) => s.start === y.segments[i].start && s.end === y.segments[i].end);
  });
}

/** True when nothing is masked. */
export function isEmptyMask(m: MaskSet): boolean {
  return MODALITIES.every((k) => !m[k].whole && m[k].segments.length === 0);
}

/** A fresh history starting at `present`. */
export function startHistory(present: MaskSet = emptyMasks()): MaskHistory {
  return { past: [], present: cloneMasks(present), future: [] };
}

/** Records a finished edit; a no-op edit leaves the history as it is. */
export function commit(h: MaskHistory, next: MaskSet): MaskHistory {
  if (sameMasks(h.present, next)) return h;
  const past = [...h.past, h.present].slice(-HISTORY_LIMIT);
  return { past, present: cloneMasks(next), future: [] };
}

/** One step back (unchanged when there is nothing to undo). */
export function undo(h: MaskHistory): MaskHistory {
  if (h.past.length === 0) return h;
  return { past: h.past.slice(0, -1), present: h.past[h.past.length - 1], future: [h.present, ...h.future] };
}

/** One step forward (unchanged when there is nothing to redo). */
export function redo(h: MaskHistory): MaskHistory {
  if (h.future.length === 0) return h;
  return { past: [...h.past, h.present], present: h.future[0], future: h.future.slice(1) };
}
