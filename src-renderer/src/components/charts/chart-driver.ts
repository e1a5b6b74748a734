/**
 * The life of one chart, apart from Vue and the DOM: it is created, drawn in full (on mount and
 * on a theme or builder change), resized and patched with new data, each step at once or, for a
 * view with many charts, in the chart's turn of the shared frame queue (frame-queue.ts).
 */
import type { FrameQueue } from './frame-queue';

/** A full or partial ECharts option. */
export type ChartOption = Record<string, unknown>;

/** What the driver uses of an ECharts instance. */
export interface ChartSurface {
  setOption(option: ChartOption, opts: { notMerge?: boolean; lazyUpdate?: boolean; silent?: boolean }): void;
  resize(): void;
  dispose(): void;
}

/** A partial option, or a function that reads it when the patch is applied. */
export type PatchInput = ChartOption | (() => ChartOption);

/** Options of {@link createChartDriver}. */
export interface ChartDriverOptions<C extends ChartSurface> {
  /** Creates the chart (ECharts on its element). */
  create: () => C;
  /** The full option, read from the newest data and theme at each full draw. */
  option: () => ChartOption;
  /** The queue of staggered steps. */
  queue: FrameQueue;
  /** One step per frame through `queue` [false: every step at once]. */
  staggered?: boolean;
}

/** One chart's steps. */
export interface ChartDriver<C extends ChartSurface> {
  /** The chart once created. */
  readonly chart: C | null;
  /** Creates the chart, then draws it in full. */
  mount(): void;
  /** Draws the full option again (its inputs or the theme changed); a patch still waiting is dropped. */
  redraw(): void;
  /** Draws the full option now, whatever waits. */
  drawNow(): void;
  /** Lays the chart out again in its box. */
  resize(): void;
  /**
   * Merges a partial option (e.g. new series data) into the drawn chart: far cheaper than a
   * full draw for live updates. Staggered, only the newest patch waiting is applied (a function
   * is called then, so the data is read once, when it is drawn).
   */
  patch(partial: PatchInput): void;
  /** Drops every waiting step and disposes of the chart. */
  dispose(): void;
}

/** A driver for one chart. */
export function createChartDriver<C extends ChartSurface>(o: ChartDriverOptions<C>): ChartDriver<C> {
  let chart: C | null = null;
  let drawn = false;
  let pendingPatch: PatchInput | null = null;

  /** A step now, or in this chart's turn when staggered. */
  function schedule(job: () => boolean): void {
    if (o.staggered) o.queue.add(job);
    else job();
  }

  function create(): boolean {
    if (chart) return false;
    chart = o.create();
    // Staggered, the first draw takes a turn of its own: creating the canvas is a step already.
    schedule(draw);
    return false;
  }

  function draw(): boolean {
    if (!chart) return false;
    // A staggered redraw (theme) renders in its own turn; the cold first one leaves its render to the next frame.
    const lazy = !o.staggered || !drawn;
    chart.setOption(o.option(), { notMerge: true, lazyUpdate: lazy });
    drawn = true;
    return lazy;
  }

  function resize(): boolean {
    chart?.resize();
    return false;
  }

  function applyPatch(): boolean {
    const p = pendingPatch;
    pendingPatch = null;
    if (!chart || !p) return false;
    chart.setOption(typeof p === 'function' ? p() : p, { lazyUpdate: true, silent: true });
    return true;
  }

  return {
    get chart() {
      return chart;
    },
    mount: () => schedule(create),
    redraw() {
      o.queue.delete(applyPatch);
      pendingPatch = null;
      schedule(draw);
    },
    drawNow: () => void draw(),
    resize: () => schedule(resize),
    patch(partial) {
      // Before the first full draw there is nothing to merge into: a patch alone would leave
      // ECharts an x axis without its y axis (whose render throws "reading 'axisBuilder'") and
      // series without a type. That draw, still waiting, reads the newest data itself.
      if (!drawn) return;
      pendingPatch = partial;
      schedule(applyPatch);
    },
    dispose() {
      for (const job of [create, draw, resize, applyPatch]) o.queue.delete(job);
      chart?.dispose();
      chart = null;
    },
  };
}
