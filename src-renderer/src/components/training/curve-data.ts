/**
 * The training curves as chart points: step-level loss terms capped to a fixed number of points
 * (bucket means, so a long run costs the chart the same as a short one) and per-epoch records
 * placed at the end of their epoch on a 1-based epoch axis (step x = epoch + step / steps).
 * Each model reports its own loss terms (always task, sel and total): the curves draw whichever
 * terms a run reports.
 */
import type { StepTrace } from '#contract/training-methods';
import type { LossTerms } from '#contract/model';
import type { EpochRecord } from '#contract/train';

/** A chart point [x, y]. */
export type Point = [number, number];

/** A loss term as drawn: its key in LossTerms and its name on the chart. */
export interface TermSpec {
  key: string;
  label: string;
}

/** DAR's loss terms, in the order of the spec, with their names in the paper. */
export const LOSS_TERMS: readonly TermSpec[] = [
  { key: 'task', label: 'L_task' },
  { key: 'sim', label: 'L_sim' },
  { key: 'diff', label: 'L_diff' },
  { key: 're', label: 'L_re' },
  { key: 'recon', label: 'L_recon' },
  { key: 'club', label: 'CLUB NLL' },
  { key: 'sel', label: 'L_sel' },
  { key: 'total', label: 'L_total' },
];

const LABELS = new Map(LOSS_TERMS.map((t) => [t.key, t.label]));

/** The chart name of a term: the paper's for DAR's, `L_<key>` for another model's. */
export function termLabel(key: string): string {
  return LABELS.get(key) ?? `L_${key}`;
}

/**
 * The terms a run reports (its steps, else its epoch records), in drawing order: task first,
 * the model's own terms as reported, sel and total last (DAR's come out in LOSS_TERMS order).
 */
export function reportedTerms(steps: StepTrace, history: readonly EpochRecord[]): TermSpec[] {
  const keys = Object.keys(steps.terms).length ? Object.keys(steps.terms) : Object.keys(history[0]?.valid ?? {});
  const own = keys.filter((k) => !['task', 'sel', 'total'].includes(k));
  const dar = LOSS_TERMS.map((t) => t.key);
  // DAR's own terms keep the spec's order (its steps report club last); others keep theirs.
  own.sort((a, b) => (dar.includes(a) && dar.includes(b) ? dar.indexOf(a) - dar.indexOf(b) : 0));
  const order = keys.length ? ['task', ...own, 'sel', 'total'] : LOSS_TERMS.map((t) => t.key);
  return order.map((key) => ({ key, label: termLabel(key) }));
}

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
export function stepCurve(steps: StepTrace, key: string, max = MAX_STEP_POINTS): Point[] {
  const ys = steps.terms[key];
  return ys ? downsample(steps.x, ys, max) : [];
}

/** One validation loss term per epoch, at the epoch's end. */
export function validCurve(history: readonly EpochRecord[], key: string): Point[] {
  return history.filter((r) => Number.isFinite(r.valid[key])).map((r) => [r.epoch + 1, r.valid[key]]);
}

/** One validation metric per epoch (an undefined metric leaves a gap). */
export function metricCurve(history: readonly EpochRecord[], key: (typeof VALID_METRICS)[number]['key']): Point[] {
  return history.flatMap((r): Point[] => {
    const v = r.validMetrics[key];
    return v === null ? [] : [[r.epoch + 1, v]];
  });
}

/**
 * The step curves as the renderer grows them from events (doubling typed arrays, no per-step
 * copies), one column per term the run reports (a term missing from a step is NaN there).
 */
export class StepBuffer {
  private n = 0;
  private xs: Float32Array = new Float32Array(256);
  private cols = new Map<string, Float32Array>();

  /** Replaces the content with a snapshot from the worker. */
  reset(trace: StepTrace | null): void {
    const n = trace?.x.length ?? 0;
    this.cols.clear();
    while (this.xs.length < n) this.grow();
    if (trace) {
      this.xs.set(trace.x);
      for (const [k, col] of Object.entries(trace.terms)) this.column(k).set(col.subarray(0, n));
    }
    this.n = n;
  }

  /** Records one step at fractional epoch x. */
  push(x: number, terms: LossTerms): void {
    if (this.n === this.xs.length) this.grow();
    this.xs[this.n] = x;
    for (const k of Object.keys(terms)) this.column(k);
    for (const [k, col] of this.cols) col[this.n] = terms[k] ?? NaN;
    this.n++;
  }

  /** The column of term k, created NaN-filled (steps before it reported nothing for it). */
  private column(k: string): Float32Array {
    let col = this.cols.get(k);
    if (!col) this.cols.set(k, (col = new Float32Array(this.xs.length).fill(NaN)));
    return col;
  }

  /** Steps held. */
  get length(): number {
    return this.n;
  }

  /** A view of the filled part (no copy; valid until the next push). */
  view(): StepTrace {
    const terms = Object.fromEntries([...this.cols].map(([k, col]) => [k, col.subarray(0, this.n)])) as Record<string, Float32Array>;
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
