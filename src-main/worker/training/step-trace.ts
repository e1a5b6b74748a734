/**
 * Every training step's loss terms as growing Float32Array curves, so a window that opens in
 * the middle of a run (or reopens) gets the step-level curves back, not just the epochs.
 */
import type { StepTrace } from '#contract/training-methods';
import type { LossTerms } from '#contract/model';

const KEYS: readonly (keyof LossTerms)[] = ['task', 'sim', 'diff', 're', 'recon', 'total', 'sel', 'club'];

/** Appends steps; snapshot() copies the filled part. */
export class StepTraceBuilder {
  private length = 0;
  private x: Float32Array = new Float32Array(256);
  private terms = Object.fromEntries(KEYS.map((k) => [k, new Float32Array(256)])) as Record<keyof LossTerms, Float32Array>;

  /** Records one step at fractional epoch x. */
  push(x: number, terms: LossTerms): void {
    if (this.length === this.x.length) this.grow();
    this.x[this.length] = x;
    for (const k of KEYS) this.terms[k][this.length] = terms[k];
    this.length++;
  }

  /** The steps so far, as fresh arrays (safe to send across the thread boundary). */
  snapshot(): StepTrace {
    const n = this.length;
    return { x: this.x.slice(0, n), terms: Object.fromEntries(KEYS.map((k) => [k, this.terms[k].slice(0, n)])) as Record<keyof LossTerms, Float32Array> };
  }

  private grow(): void {
    const bigger = (a: Float32Array): Float32Array => {
      const out = new Float32Array(a.length * 2);
      out.set(a);
      return out;
    };
    this.x = bigger(this.x);
    for (const k of KEYS) this.terms[k] = bigger(this.terms[k]);
  }
}
