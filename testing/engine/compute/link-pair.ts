/**
 * Two ends of an in-process compute link, delivering each frame later (a macrotask) and as a
 * copy, like a MessagePort between threads; `cut()` drops everything after it (a crashed page).
 */
import type { ComputeLink } from '../../../src-main/engine/compute/compute-protocol';

/** An engine end and a page end, joined. */
export interface LinkPair {
  engine: ComputeLink;
  page: ComputeLink;
  /** Frames sent so far, per direction (what a relay would have moved). */
  counts: { toPage: number; toEngine: number };
  cut(): void;
}

/** A fresh pair of joined links. */
export function linkPair(): LinkPair {
  let cut = false;
  const listeners: { engine: ((f: Uint8Array) => void)[]; page: ((f: Uint8Array) => void)[] } = { engine: [], page: [] };
  const counts = { toPage: 0, toEngine: 0 };
  const deliver = (to: 'engine' | 'page', frame: Uint8Array): void => {
    if (cut) return;
    counts[to === 'page' ? 'toPage' : 'toEngine']++;
    const copy = frame.slice();
    setImmediate(() => {
      if (!cut) for (const l of listeners[to]) l(copy);
    });
  };
  return {
    engine: { post: (f) => deliver('page', f), onFrame: (l) => void listeners.engine.push(l) },
    page: { post: (f) => deliver('engine', f), onFrame: (l) => void listeners.page.push(l) },
    counts,
    cut: () => void (cut = true),
  };
}
