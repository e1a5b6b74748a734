/**
 * Every training step's loss terms as growing Float32Array curves, so a window that opens in
 * the middle of a run (or reopens) gets the step-level curves back, not just the epochs. One
 * curve per term the run's model reports (a term missing from a step is NaN there).
 */
import type { StepTrace } from '#contract/training-methods';
import type { LossTerms } from '#contract/model';

/** Appends steps; snapshot() copies the filled part. */
export class StepTraceBuilder {
  private length = 0;
  private x: Float32Array = new Float32Array(256);
  private terms = new Map<string, Float32Array>();

  /** Records one step at fractional epoch x. */
  push(x: number, terms: LossTerms): void {
    if (this.length === this.x.length) this.grow();
    this.x[this.length] = x;
    for (const k of Object.keys(terms)) if (!this.terms.has(k)) this.terms.set(k, new Float32Array(this.x.length).fill(NaN));
    for (const [k, col] of this.terms) col[this.length] = terms[k] ?? NaN;
    this.length++;
  }

  /** The steps so far, as fresh arrays (safe to send across the thread boundary). */
  snapshot(): StepTrace {
    const n = this.length;
    return { x: this.x.slice(0, n), terms: Object.fromEntries([...this.terms].map(([k, col]) => [k, col.slice(0, n)])) };
  }

  private grow(): void {
    const bigger = (a: Float32Array): Float32Array => {
      const out = new Float32Array(a.length * 2);
      out.set(a);
      return out;
    };
    this.x = bigger(this.x);
    for (const [k, col] of this.terms) this.terms.set(k, bigger(col));
  }
}
