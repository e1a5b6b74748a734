/**
 * Self-MM's unimodal label generation module (ULGM) as MMSA's trains/multiTask/SELF_MM.py runs
 * it, in plain typed arrays on the host: per training clip a label per task (fusion = the human
 * label, never changed; text, audio, vision start there and move), the last feature of each
 * task, and per task the centres of the positive and negative clips' features (by that task's
 * own current labels). After each batch: new labels from the distances to the centres (from
 * MMSA's second epoch on), then the batch's features, then all centres again.
 */
import type { SelfMmTask } from './self-mm-forward';
import { SELF_MM_TASKS } from './self-mm-forward';

const MIN = 1e-8;
const UNIMODAL = ['text', 'audio', 'vision'] as const;

/** Per task, B rows of `dims[task]` features (row-major). */
export type TaskFeatures = Record<SelfMmTask, Float32Array>;

/** The label memory of one training run. */
export class LabelMemory {
  readonly labels = {} as Record<SelfMmTask, Float32Array>;
  readonly features = {} as Record<SelfMmTask, Float32Array>;
  readonly centres = {} as Record<SelfMmTask, { pos: Float64Array; neg: Float64Array }>;
  /** 1 once a clip's human label is in memory (MMSA fills all up front; we as clips arrive). */
  readonly seen: Uint8Array;

  constructor(
    readonly size: number,
    readonly dims: Record<SelfMmTask, number>,
    readonly bound: number,
    readonly excludeZero: boolean,
  ) {
    this.seen = new Uint8Array(size);
    for (const t of SELF_MM_TASKS) {
      this.labels[t] = new Float32Array(size);
      this.features[t] = new Float32Array(size * dims[t]);
      this.centres[t] = { pos: new Float64Array(dims[t]), neg: new Float64Array(dims[t]) };
    }
  }

  /** Puts the human labels of clips not yet seen into every task's memory. */
  admit(indices: Int32Array, labels: Float32Array): void {
    indices.forEach((clip, b) => {
      if (this.seen[clip]) return;
      this.seen[clip] = 1;
      for (const t of SELF_MM_TASKS) this.labels[t][clip] = labels[b];
    });
  }

  /** The current labels of a task for the batch's clips. */
  batchLabels(task: SelfMmTask, indices: Int32Array): Float32Array {
    return Float32Array.from(indices, (clip) => this.labels[task][clip]);
  }

  /** MMSA's per-clip loss weights: 1 for fusion, tanh(|y_task - y_fusion|) for a modality. */
  lossWeights(task: SelfMmTask, indices: Int32Array): Float32Array {
    if (task === 'fusion') return new Float32Array(indices.length).fill(1);
    return Float32Array.from(indices, (clip) => Math.tanh(Math.abs(this.labels[task][clip] - this.labels.fusion[clip])));
  }

  /** One batch's bookkeeping after its backward pass; `epoch` counts from 1 as MMSA's does. */
  afterBatch(features: TaskFeatures, indices: Int32Array, epoch: number): void {
    if (epoch > 1) this.updateLabels(features, indices, epoch);
    for (const t of SELF_MM_TASKS) {
      const d = this.dims[t];
      indices.forEach((clip, b) => this.features[t].set(features[t].subarray(b * d, (b + 1) * d), clip * d));
    }
    this.recomputeCentres();
  }

  /** Every task's centres from the whole memory (also after a resume). */
  recomputeCentres(): void {
    for (const t of SELF_MM_TASKS) this.updateCentre(t);
  }

  /** Distance of row b of `f` to a centre. */
  private distance(f: Float32Array, b: number, centre: Float64Array): number {
    const d = centre.length;
    let s = 0;
    for (let k = 0; k < d; k++) s += (f[b * d + k] - centre[k]) ** 2;
    return Math.sqrt(s);
  }

  /** (d_neg - d_pos) / d_pos of each batch row for a task. */
  private relativeGap(task: SelfMmTask, f: Float32Array, b: number): number {
    const { pos, neg } = this.centres[task];
    const dp = this.distance(f, b, pos);
    return (this.distance(f, b, neg) - dp) / (dp + MIN);
  }

  private updateLabels(features: TaskFeatures, indices: Int32Array, n: number): void {
    indices.forEach((clip, b) => {
      const deltaF = this.relativeGap('fusion', features.fusion, b);
      const yF = this.labels.fusion[clip];
      for (const t of UNIMODAL) {
        const deltaS = this.relativeGap(t, features[t], b);
        const alpha = deltaS / (deltaF + MIN);
        const fresh = Math.min(Math.max(0.5 * alpha * yF + 0.5 * (yF + deltaS - deltaF), -this.bound), this.bound);
        this.labels[t][clip] = ((n - 1) / (n + 1)) * this.labels[t][clip] + (2 / (n + 1)) * fresh;
      }
    });
  }

  /**
   * Means of the features of clips labelled > 0 (>= 0 without excludeZero) and < 0 for a task.
   * Deviation: an empty side keeps its previous centre where torch's mean of nothing is NaN.
   */
  private updateCentre(task: SelfMmTask): void {
    const d = this.dims[task];
    const sums = { pos: new Float64Array(d), neg: new Float64Array(d) };
    const counts = { pos: 0, neg: 0 };
    const y = this.labels[task];
    const f = this.features[task];
    for (let i = 0; i < this.size; i++) {
      const side = y[i] < 0 ? 'neg' : y[i] > 0 || (!this.excludeZero && y[i] === 0) ? 'pos' : null;
      if (!side) continue;
      counts[side]++;
      for (let k = 0; k < d; k++) sums[side][k] += f[i * d + k];
    }
    for (const side of ['pos', 'neg'] as const) {
      if (counts[side] === 0) continue;
      this.centres[task][side] = sums[side].map((s) => s / counts[side]);
    }
  }
}
