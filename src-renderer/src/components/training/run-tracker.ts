/**
 * Follows the live run from `train-progress` events without making Vue track every step: steps
 * and epoch records go into plain buffers, and the view sees a fresh snapshot at most every
 * `intervalMs` (4 Hz by default), so the curves cost the same however fast the engine steps.
 */
import type { TrainingRun } from '#contract/training-methods';
import type { EpochRecord, TrainProgress } from '#contract/train';
import { StepBuffer } from './curve-data';
import type { CurveInput } from './curve-options';

/** What the view draws, as of the last flush. */
export interface LiveSnapshot {
  curves: CurveInput;
  progress: TrainProgress | null;
}

/** The slowest refresh the curves get while a run streams (ms): 4 Hz. */
export const CURVE_REFRESH_MS = 250;

/** Buffers one run's progress and hands out throttled snapshots. */
export class RunTracker {
  private readonly steps = new StepBuffer();
  private history: EpochRecord[] = [];
  private selectedEpoch = -1;
  private epochs = 1;
  private progress: TrainProgress | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private lastFlush = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly onFlush: (snapshot: LiveSnapshot) => void,
    private readonly intervalMs = CURVE_REFRESH_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Starts over from the worker's view of a run (its whole history and step curves), shown at once. */
  reset(run: TrainingRun | null): void {
    this.steps.reset(run?.steps ?? null);
    this.history = [...(run?.history ?? [])];
    this.selectedEpoch = run?.selectedEpoch ?? -1;
    this.epochs = run?.train.epochs ?? 1;
    this.progress = run?.progress ?? null;
    this.flushNow();
  }

  /** Takes one progress event; repeats (already in the snapshot) are ignored. */
  push(p: TrainProgress): void {
    this.progress = p;
    this.epochs = p.epochs;
    if (p.kind === 'step' && p.terms) {
      const x = p.epoch + p.step / Math.max(p.steps, 1);
      const view = this.steps.view();
      if (view.x.length === 0 || x > view.x[view.x.length - 1]) this.steps.push(x, p.terms);
    }
    if (p.kind === 'epoch' && p.record && p.record.epoch > (this.history.at(-1)?.epoch ?? -1)) {
      this.history.push(p.record);
      if (p.record.best) this.selectedEpoch = p.record.epoch;
    }
    this.schedule();
  }

  /** Drops a pending refresh (the store goes away, or a new run replaces this one). */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastFlush + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushNow();
    }, wait);
  }

  private flushNow(): void {
    this.dispose();
    this.lastFlush = this.now();
    // A view, not a copy: the chart reads it once per flush, and the next push only appends.
    const curves: CurveInput = { steps: this.steps.view(), history: [...this.history], selectedEpoch: this.selectedEpoch, epochs: this.epochs };
    this.onFlush({ curves, progress: this.progress });
  }
}
