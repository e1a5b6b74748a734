/**
 * The per-epoch learning-rate schedule (spec "Training protocol"): W warm-up epochs rising
 * linearly to the peak, then a half cosine from the peak toward 0 over the remaining epochs.
 */
import { DarError } from '../errors';

/** Round half to even, as numpy and Python's round() do (the spec's `round`, cf. the metrics). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** W = max(1, round(0.1 * epochs)), with round half to even (epochs 25 -> 2, 35 -> 4). */
export function warmupEpochs(epochs: number): number {
  return Math.max(1, roundHalfEven(0.1 * epochs));
}

/**
 * Learning rate of epoch e (0-based) out of `epochs`, peak `lr`:
 *   e <  W: lr * (e + 1) / W                            (e = W - 1 reaches the peak)
 *   e >= W: lr * (1 + cos(pi * (e - W) / (epochs - W))) / 2
 * so the first cosine epoch is still at the peak and the last one is just above 0 (an epoch at
 * exactly lr 0 would be wasted). The value is constant within an epoch.
 */
export function epochLr(lr: number, epoch: number, epochs: number): number {
  if (!(Number.isInteger(epochs) && epochs >= 1)) throw new DarError('ARG_INVALID', `schedule: epochs must be an integer >= 1, got ${epochs}`);
  if (!(Number.isInteger(epoch) && epoch >= 0 && epoch < epochs)) {
    throw new DarError('ARG_INVALID', `schedule: epoch must be an integer in 0..${epochs - 1}, got ${epoch}`);
  }
  const w = warmupEpochs(epochs);
  if (epoch < w) return (lr * (epoch + 1)) / w;
  return (lr * (1 + Math.cos((Math.PI * (epoch - w)) / (epochs - w)))) / 2;
}
