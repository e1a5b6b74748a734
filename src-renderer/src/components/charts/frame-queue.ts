/**
 * One queue of chart work shared by every staggered chart: each animation frame runs at most one
 * job (init, option merge, resize, or nothing while ECharts draws what the last job deferred), so
 * a view that mounts, re-themes or live-updates many charts never holds the renderer for all of
 * them at once. A job returns true when it left ECharts a deferred render: the next frame is kept
 * for that render.
 */

/** Requests a callback for the next frame (requestAnimationFrame, or a fake in tests). */
export type FrameRequest = (callback: () => void) => unknown;

/** A frame-paced job queue. */
export interface FrameQueue {
  /** Adds a job (a job already waiting keeps its place). */
  add(job: () => boolean): void;
  /** Drops a waiting job. */
  delete(job: () => boolean): void;
}

/** A queue that runs one job per frame requested through `request`. */
export function createFrameQueue(request: FrameRequest): FrameQueue {
  const queue = new Set<() => boolean>();
  // A frame is asked for at most once at a time: a job that queues another job while it runs
  // must not ask a second one (two pumps in one frame would each run a job, and such doubling
  // compounds: a Training view opened mid-run drew four or five charts per frame, 100+ ms).
  let asked = false;
  let rest = false;

  function pump(): void {
    if (rest) rest = false;
    else {
      const next = queue.values().next();
      if (!next.done) {
        queue.delete(next.value);
        rest = next.value();
      }
    }
    asked = queue.size > 0 || rest;
    if (asked) request(pump);
  }

  return {
    add(job) {
      queue.add(job);
      if (asked) return;
      asked = true;
      request(pump);
    },
    delete(job) {
      queue.delete(job);
    },
  };
}
