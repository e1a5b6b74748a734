/**
 * One training batch (spec "Losses", last bullets): first one CLUB step on the corrupted
 * branch's features (CLUB's own Gaussian NLL, only the CLUB networks move), then one main step
 * on L_total with the CLUB networks frozen, AdamW and global-norm clipping.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Ablation, DarConfig, LossTerms } from '#contract/model';
import { clubLoss, computeLosses } from '../losses';
import { stopGradient } from '../model/ops/ops';
import type { MainLossName } from '../losses';
import type { DarModel } from '../model/dar-model';
import type { ModelInputs } from '../model/inputs/inputs';
import type { Adam } from './optimizer';
import { clipByGlobalNorm } from './optimizer';

/** Order in which main loss terms are read back from the device (one transfer per step). */
export const MAIN_TERMS: readonly MainLossName[] = ['task', 'sim', 'diff', 're', 'recon', 'total', 'sel'];

/** What the steps need besides the batch. */
export interface StepContext {
  model: DarModel;
  config: DarConfig;
  ablations: readonly Ablation[];
  useClub: boolean;
  main: Adam;
  club: Adam;
  clipNorm: number;
}

/** Maps tfjs' variable names back to the dotted names the optimizers use. */
function dotted(grads: tf.NamedTensorMap, byTfName: Map<string, string>): Map<string, tf.Tensor> {
  const out = new Map<string, tf.Tensor>();
  for (const [tfName, g] of Object.entries(grads)) out.set(byTfName.get(tfName) ?? tfName, g);
  return out;
}

/** tf name -> dotted name for a group of variables. */
export function tfNameIndex(vars: Map<string, tf.Variable>): Map<string, string> {
  return new Map([...vars].map(([name, v]) => [v.name, name]));
}

type EngineState = { gradientDepth: number; activeTape: unknown };

/**
 * Runs f as if no gradient tape were recording. tfjs records a nested tf.variableGrads (and any
 * op run meanwhile) onto the enclosing tape and keeps every tensor it saved until the enclosing
 * backward pass ends; the CLUB update inside the main forward pass needs none of that (its
 * inputs are detached, its results are variables), and it would cost hundreds of MB.
 */
function outsideTape<T>(f: () => T): T {
  const state = (tf.engine() as unknown as { state: EngineState }).state;
  const { gradientDepth, activeTape } = state;
  if (typeof gradientDepth !== 'number' || gradientDepth === 0) return f();
  state.gradientDepth = 0;
  try {
    return f();
  } finally {
    state.gradientDepth = gradientDepth;
    state.activeTape = activeTape;
  }
}

/**
 * One CLUB update on the corrupted branch's features (detached: only the CLUB networks move);
 * returns L_club. Called from inside the main forward pass (see trainStep), so the encoders run
 * once per batch while the spec's order holds: CLUB step first, then L_diff with the new CLUB.
 */
function clubUpdate(ctx: StepContext, features: PerModality<{ Hcom_t: tf.Tensor3D; Hspec_t: tf.Tensor3D }>, lr: number): number {
  const vars = ctx.model.params.group('club');
  const { value, grads } = tf.variableGrads(() => {
    const yCom = {} as PerModality<tf.Tensor3D>;
    const x = {} as PerModality<tf.Tensor3D>;
    for (const m of MODALITIES) {
      yCom[m] = stopGradient(features[m].Hcom_t);
      x[m] = stopGradient(features[m].Hspec_t);
    }
    return clubLoss(yCom, ctx.model.clubAll(x, 'weights'));
  }, [...vars.values()]);
  ctx.club.step(dotted(grads, tfNameIndex(vars)), lr);
  const loss = value.dataSync()[0];
  tf.dispose([value, ...Object.values(grads)]);
  return loss;
}

/** What one training batch reports. */
export interface StepResult {
  terms: LossTerms;
  /** Global gradient norm of the main parameters before clipping. */
  gradNorm: number;
  /** True when the gradient was not finite and the update was skipped. */
  skipped: boolean;
}

/**
 * One training batch: the CLUB step (when L_diff is used) then the main step on L_total with the
 * CLUB networks frozen, AdamW after global-norm clipping.
 */
export function trainStep(ctx: StepContext, inputs: ModelInputs, labels: tf.Tensor1D, seed: number, lr: number, clubLr: number): StepResult {
  const vars = ctx.model.params.group('main');
  let termVec: tf.Tensor1D | undefined;
  let club = 0;
  const onEncoded = ctx.useClub ? (f: PerModality<{ Hcom_t: tf.Tensor3D; Hspec_t: tf.Tensor3D }>) => void (club = outsideTape(() => clubUpdate(ctx, f, clubLr))) : undefined;
  const { value, grads } = tf.variableGrads(() => {
    const out = ctx.model.forward(inputs, { training: true, seed, club: ctx.useClub, onEncoded });
    const { terms } = computeLosses(out, labels, ctx.config, ctx.ablations);
    termVec = tf.keep(tf.stack(MAIN_TERMS.map((k) => terms[k])) as tf.Tensor1D);
    return terms.total;
  }, [...vars.values()]);
  const raw = dotted(grads, tfNameIndex(vars));
  const { grads: clipped, norm } = clipByGlobalNorm(raw, ctx.clipNorm);
  // A non-finite gradient would poison every weight: skip the update, report the step.
  const skipped = !Number.isFinite(norm);
  if (!skipped) ctx.main.step(clipped, lr);
  const values = termVec!.dataSync();
  tf.dispose([value, termVec!, ...raw.values(), ...clipped.values()]);
  const terms = { ...Object.fromEntries(MAIN_TERMS.map((k, i) => [k, values[i]])), club } as LossTerms;
  return { terms, gradNorm: norm, skipped };
}
