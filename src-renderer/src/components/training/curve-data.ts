/**
 * The training curves as chart points: step-level loss terms capped to a fixed number of points
 * (bucket means, so a long run costs the chart the same as a short one) and per-epoch records
 * placed at the end of their epoch on a 1-based epoch axis (step x = epoch + step / steps).
 */
import type { StepTrace } from '#contract/training-methods';
import type { LossTerms } from '#contract/model';
import type { EpochRecord } from '#contract/train';

/** A chart point [x, y]. */
export type Point = [number, number];

/** The loss terms drawn, in the order of the spec, with their names in the paper. */
export const LOSS_TERMS: readonly { key: keyof LossTerms; label: string }[] = [
  { key: 'task', label: 'L_task' },
  { key: 'sim', label: 'L_sim' },
  { key: 'diff', label: 'L_diff' },
  { key: 're', label: 'L_re' },
  { key: 'recon', label: 'L_recon' },
  { key: 'club', label: 'CLUB NLL' },
  { key: 'sel', label: 'L_sel' },
  { key: 'total', label: 'L_total' },
];

/** The validation metrics drawn per epoch (Acc-2 is Non0, as the CLI prints it). */
export const VALID_METRICS = [
  { key: 'MAE', label: 'MAE' },
  { key: 'Non0_acc_2', label: 'Acc-2' },
  { key: 'Corr', label: 'Corr' },
] as const;

/** At most this many points per step curve. */
export const MAX_STEP_POINTS = 300;

/** Averages `xs`/`ys` into at most `max` buckets of consecutive points; non-finite values are skipped. */
export function downsample(xs: Float32Array, ys: Float32Array, max = MAX_STEP_POINTS): Point[] {
  const n = Math.min(xs.length, ys.length);
  const size = Math.max(1, Math.ceil(n / Math.max(1, max)));
  const out: Point[] = [];
  for (let start = 0; start < n; start += size) {
    let sx = 0;
    let sy = 0;
    let count = 0;
    for (let i = start; i < Math.min(n, start + size); i++) {
      if (!Number.isFinite(ys[i])) continue;
      sx += xs[i];
      sy += ys[i];
      count++;
    }
    if (count) out.push([sx / count, sy / count]);
  }
  return out;
}

/** One loss term over the training steps. */
export function stepCurve(steps: StepTrace, key: keyof LossTerms, max = MAX_STEP_POINTS): Point[] {
  return downsample(steps.x, steps.terms[key], max);
}

/** One validation loss term per epoch, at the epoch's end. */
export function validCurve(history: readonly EpochRecord[], key: keyof LossTerms): Point[] {
  return history.filter((r) => Number.isFinite(r.valid[key])).map((r) => [r.epoch + 1, r.valid[key]]);
}

/** One validation metric per epoch (an undefined metric leaves a gap). */
export function metricCurve(history: readonly EpochRecord[], key: (typeof VALID_METRICS)[number]['key']): Point[] {
  return history.flatMap((r): Point[] => {
    const v = r.validMetrics[key];
    return v === null ? [] : [[r.epoch + 1, v]];
  });
}

/** The step curves as the renderer grows them from events (doubling typed arrays, no per-step copies). */
export class StepBuffer {
  private n = 0;
  private xs: Float32Array = new Float32Array(256);
  private cols = new Map<keyof LossTerms, Float32Array>(LOSS_TERMS.map((t) => [t.key, new Float32Array(256)]));

  /** Replaces the content with a snapshot from the worker. */
  reset(trace: StepTrace | null): void {
    const n = trace?.x.length ?? 0;
    while (this.xs.length < n) this.grow();
    if (trace) {
      this.xs.set(trace.x);
      for (const [k, col] of this.cols) col.set(trace.terms[k].subarray(0, n));
    }
    this.n = n;
  }

  /** Records one step at fractional epoch x. */
  push(x: number, terms: LossTerms): void {
    if (this.n === this.xs.length) this.grow();
    this.xs[this.n] = x;
    for (const [k, col] of this.cols) col[this.n] = terms[k];
    this.n++;
  }

  /** Steps held. */
  get length(): number {
    return this.n;
  }

  /** A view of the filled part (no copy; valid until the next push). */
  view(): StepTrace {
    const terms = Object.fromEntries([...this.cols].map(([k, col]) => [k, col.subarray(0, this.n)])) as Record<keyof LossTerms, Float32Array>;
    return { x: this.xs.subarray(0, this.n), terms };
  }

  private grow(): void {
    const bigger = (a: Float32Array): Float32Array => {
      const b = new Float32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.xs = bigger(this.xs);
    for (const [k, col] of this.cols) this.cols.set(k, bigger(col));
  }
}
