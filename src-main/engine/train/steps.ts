/**
 * One training batch (spec "Losses", last bullets): first one CLUB step on the corrupted
 * branch's features (CLUB's own Gaussian NLL, only the CLUB networks move), then one main step
 * on L_total with the CLUB networks frozen, AdamW and global-norm clipping.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Ablation, DarConfig, DarLossTerms } from '#contract/model';
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
 * returns L_club as a kept scalar the caller reads and disposes (a read here would have to be
 * sync, which breaks on WebGPU). Called from inside the main forward pass (see trainStep), so
 * the encoders run once per batch while the spec's order holds: CLUB step first, then L_diff
 * with the new CLUB.
 */
function clubUpdate(ctx: StepContext, features: PerModality<{ Hcom_t: tf.Tensor3D; Hspec_t: tf.Tensor3D }>, lr: number): tf.Scalar {
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
  tf.dispose(Object.values(grads));
  // Kept: the enclosing main gradient pass would otherwise dispose it before it is read.
  return tf.keep(value);
}

/** What one training batch reports. */
export interface StepResult {
  terms: DarLossTerms;
  /** Global gradient norm of the main parameters before clipping. */
  gradNorm: number;
  /** True when the gradient was not finite and the update was skipped. */
  skipped: boolean;
}

/**
 * One training batch: the CLUB step (when L_diff is used) then the main step on L_total with the
 * CLUB networks frozen, AdamW after global-norm clipping.
 */
export async function trainStep(ctx: StepContext, inputs: ModelInputs, labels: tf.Tensor1D, seed: number, lr: number, clubLr: number): Promise<StepResult> {
  const vars = ctx.model.params.group('main');
  let termVec: tf.Tensor1D | undefined;
  let club: tf.Scalar | undefined;
  const onEncoded = ctx.useClub ? (f: PerModality<{ Hcom_t: tf.Tensor3D; Hspec_t: tf.Tensor3D }>) => void (club = outsideTape(() => clubUpdate(ctx, f, clubLr))) : undefined;
  const owned: tf.Tensor[] = [];
  try {
    const { value, grads } = tf.variableGrads(() => {
      const out = ctx.model.forward(inputs, { training: true, seed, club: ctx.useClub, onEncoded });
      const { terms } = computeLosses(out, labels, ctx.config, ctx.ablations);
      termVec = tf.keep(tf.stack(MAIN_TERMS.map((k) => terms[k])) as tf.Tensor1D);
      return terms.total;
    }, [...vars.values()]);
    const raw = dotted(grads, tfNameIndex(vars));
    owned.push(value, ...raw.values());
    const { grads: clipped, norm } = await clipByGlobalNorm(raw, ctx.clipNorm);
    owned.push(...clipped.values());
    // A non-finite gradient would poison every weight: skip the update, report the step.
    const skipped = !Number.isFinite(norm);
    if (!skipped) ctx.main.step(clipped, lr);
    // One awaited read per step for the terms (and L_club): sync reads break on WebGPU.
    const [values, clubValue] = await Promise.all([termVec!.data(), club ? club.data() : Promise.resolve([0])]);
    const terms = { ...Object.fromEntries(MAIN_TERMS.map((k, i) => [k, values[i]])), club: clubValue[0] } as unknown as DarLossTerms;
    return { terms, gradNorm: norm, skipped };
  } finally {
    tf.dispose([...owned, ...(termVec ? [termVec] : []), ...(club ? [club] : [])]);
  }
}
