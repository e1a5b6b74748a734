/**
 * The training form's values, checks and request. The checks mirror engine/train/config.ts so a
 * bad value is flagged as it is typed; the worker checks again and its coded error is shown too.
 */
import type { PresetName } from '#contract/worker-protocol';
import type { ModelHyper, StartTrainingParams, TrainingDefaults } from '#contract/training-methods';
import type { Ablation, ModelKind, TrainConfig } from '#contract/model';
import { MODALITIES } from '#contract/dataset';
import { baselineErrors, baselineFieldOfMessage } from './baseline-fields';

/** A baseline's kind (every model but DAR). */
export type BaselineKind = Exclude<ModelKind, 'dar'>;

/** Everything the form edits: a preset's values, each one editable. */
export interface TrainingFormValues {
  preset: PresetName | null;
  /** The model to train [dar]. */
  modelKind: ModelKind;
  /** DAR's hyperparameters. */
  model: ModelHyper;
  /** Each baseline's own hyperparameters (the worker's defaults for it), kept while another is chosen. */
  baselines: Partial<Record<BaselineKind, Record<string, number>>>;
  train: TrainConfig;
}

/** Field path ("model.d", "train.k.l") -> what is wrong with it. */
export type FormErrors = Record<string, string>;

/** The form's starting values from the worker's defaults (deep copies, safe to edit). */
export function formFromDefaults(d: TrainingDefaults, modelKind: ModelKind = 'dar'): TrainingFormValues {
  const baselines: TrainingFormValues['baselines'] = {};
  for (const m of d.models ?? []) {
    if (m.kind === 'dar') continue;
    baselines[m.kind] = Object.fromEntries(Object.entries(m.defaults).filter((e): e is [string, number] => typeof e[1] === 'number'));
  }
  const kind = modelKind === 'dar' || baselines[modelKind] ? modelKind : 'dar';
  return { preset: d.preset, modelKind: kind, model: { ...d.model }, baselines, train: { ...d.train, k: { ...d.train.k }, ablations: [...d.train.ablations] } };
}

const isNum = (x: number): boolean => typeof x === 'number' && Number.isFinite(x);
const isPosInt = (x: number): boolean => Number.isInteger(x) && x > 0;

function modelErrors(m: ModelHyper, out: FormErrors): void {
  if (!isPosInt(m.d) || m.d % 2 !== 0) out['model.d'] = 'a positive even integer';
  if (!isPosInt(m.heads)) out['model.heads'] = 'a positive integer';
  else if (isPosInt(m.d) && m.d % m.heads !== 0) out['model.heads'] = `must divide d (${m.d})`;
  if (!isPosInt(m.t)) out['model.t'] = 'a positive integer';
  if (!isNum(m.dropout) || m.dropout < 0 || m.dropout >= 1) out['model.dropout'] = 'in [0, 1)';
  for (const key of ['lambda', 'alpha', 'beta'] as const) if (!isNum(m[key]) || m[key] < 0) out[`model.${key}`] = '>= 0';
  if (!isNum(m.tau) || m.tau <= 0) out['model.tau'] = '> 0';
}

function trainErrors(t: TrainConfig, out: FormErrors): void {
  for (const m of MODALITIES) if (!isNum(t.k[m]) || t.k[m] < 0 || t.k[m] > 1) out[`train.k.${m}`] = 'in [0, 1]';
  if (!isPosInt(t.epochs)) out['train.epochs'] = 'a positive integer';
  if (!Number.isInteger(t.batchSize) || t.batchSize < 2) out['train.batchSize'] = 'an integer >= 2 (contrastive losses need negatives)';
  for (const key of ['lr', 'clubLr', 'clipNorm'] as const) if (!isNum(t[key]) || t[key] <= 0) out[`train.${key}`] = '> 0';
  if (!isNum(t.weightDecay) || t.weightDecay < 0) out['train.weightDecay'] = '>= 0';
  if (!Number.isSafeInteger(t.seed)) out['train.seed'] = 'an integer';
  if (!Number.isInteger(t.patience) || t.patience < 1) out['train.patience'] = 'an integer >= 1';
  if (!isNum(t.validRate) || t.validRate < 0 || t.validRate >= 1) out['train.validRate'] = 'in [0, 1)';
}

/** Every field that would be refused, with the rule it breaks (empty = the form may start). */
export function validateForm(v: TrainingFormValues): FormErrors {
  const out: FormErrors = {};
  if (v.modelKind === 'dar') modelErrors(v.model, out);
  else Object.assign(out, baselineErrors(v.modelKind, v.baselines[v.modelKind] ?? {}));
  trainErrors(v.train, out);
  return out;
}

/** The field a worker's ARG_INVALID message names ("model.d: ..." or "d must be ..."), if any. */
export function fieldOfMessage(message: string): string | null {
  const baseline = baselineFieldOfMessage(message);
  if (baseline) return baseline;
  const path = /^((?:model|train)\.[A-Za-z.]+)(?:\[\d+\])?:/.exec(message);
  if (path) return path[1];
  const rule = /^(d|t|heads|dropout|lambda|alpha|beta|tau|k_([lav])|epochs|batch size|lr|clubLr|weight decay|clip norm|seed|patience|validation rate) /.exec(message);
  if (!rule) return null;
  const names: Record<string, string> = {
    'batch size': 'train.batchSize', 'weight decay': 'train.weightDecay', 'clip norm': 'train.clipNorm', 'validation rate': 'train.validRate',
    epochs: 'train.epochs', lr: 'train.lr', clubLr: 'train.clubLr', seed: 'train.seed', patience: 'train.patience',
  };
  if (rule[2]) return `train.k.${rule[2]}`;
  return names[rule[1]] ?? `model.${rule[1]}`;
}

/** Toggles one ablation switch (kept in the spec's order). */
export function toggleAblation(list: readonly Ablation[], a: Ablation, order: readonly Ablation[]): Ablation[] {
  const on = new Set(list);
  if (on.has(a)) on.delete(a);
  else on.add(a);
  return order.filter((x) => on.has(x));
}

/** startTraining's params: the preset it came from and every value as an override. */
export function startParams(v: TrainingFormValues): StartTrainingParams {
  const train = { ...v.train, k: { ...v.train.k }, ablations: [...v.train.ablations] };
  if (v.modelKind === 'dar') return { ...(v.preset ? { preset: v.preset } : {}), model: { ...v.model }, train };
  // Ablations switch DAR's loss terms off; another model has none to switch.
  return { ...(v.preset ? { preset: v.preset } : {}), modelKind: v.modelKind, model: { ...v.baselines[v.modelKind] }, train: { ...train, ablations: [] } };
}
