/** Self-MM's losses: MMSA's weighted L1 per task against the label memory, and the eval L1. */
import * as tf from '@tensorflow/tfjs-core';
import type { SelfMmOutputs, SelfMmTask } from './self-mm-forward';
import { SELF_MM_TASKS } from './self-mm-forward';

/** Loss terms: 'task' is the fusion head's, then one per unimodal head. */
export const SELF_MM_TERMS = ['task', 'text', 'audio', 'vision', 'total', 'sel'] as const;

/** Per task, the targets and per-clip weights of one batch ([B] each). */
export type TaskTargets = Record<SelfMmTask, { labels: tf.Tensor1D; weights: tf.Tensor1D | null }>;

/** mean(w * |pred - y|) (MMSA's weighted_loss; w = 1 when null). */
export function weightedL1(pred: tf.Tensor1D, y: tf.Tensor1D, w: tf.Tensor1D | null): tf.Scalar {
  const err = tf.abs(tf.sub(pred, y));
  return tf.mean(w ? tf.mul(w, err) : err);
}

/** Every term; the total is the plain sum over the four tasks as in MMSA's training loop. */
export function selfMmLosses(out: SelfMmOutputs, targets: TaskTargets): Record<(typeof SELF_MM_TERMS)[number], tf.Scalar> {
  const per = SELF_MM_TASKS.map((t) => weightedL1(out[t].pred, targets[t].labels, targets[t].weights));
  const [task, text, audio, vision] = per;
  return { task, text, audio, vision, total: tf.addN(per) as tf.Scalar, sel: task };
}

/**
 * Eval terms (no label memory outside training): MMSA's validation loss, the fusion head's L1
 * against the human labels, selects; each unimodal head's plain L1 against them is reported.
 */
export function selfMmEvalLosses(out: SelfMmOutputs, labels: tf.Tensor1D): Record<(typeof SELF_MM_TERMS)[number], tf.Scalar> {
  const [task, text, audio, vision] = SELF_MM_TASKS.map((t) => weightedL1(out[t].pred, labels, null));
  return { task, text, audio, vision, total: task, sel: task };
}
