/**
 * Defers disposing a model until the work using it has finished. Engine reads are async (sync
 * reads break on WebGPU), so an explain or a background chunk can still be running when an open
 * replaces the model; disposing it then would fail that work half-way with a tfjs error.
 */
import { DarError } from '../../engine/errors';
import type { SentimentModel } from '../../engine/model/sentiment-model';

/** Counts the users of each model and disposes a retired one when its last user is done. */
export class ModelLeases {
  private readonly users = new Map<SentimentModel, number>();
  private readonly retired = new WeakSet<SentimentModel>();

  /** Runs f with `model` kept alive; a retired model answers ARG_INVALID instead. */
  async use<T>(model: SentimentModel, f: () => Promise<T>): Promise<T> {
    if (this.retired.has(model)) throw new DarError('ARG_INVALID', 'another dataset or model was opened meanwhile; ask again');
    this.users.set(model, (this.users.get(model) ?? 0) + 1);
    try {
      return await f();
    } finally {
      const left = (this.users.get(model) ?? 1) - 1;
      if (left > 0) this.users.set(model, left);
      else {
        this.users.delete(model);
        if (this.retired.has(model)) model.dispose();
      }
    }
  }

  /** Disposes `model` now if nothing uses it, else when its last user finishes. */
  retire(model: SentimentModel): void {
    if (this.retired.has(model)) return;
    this.retired.add(model);
    if (!this.users.has(model)) model.dispose();
  }
}
