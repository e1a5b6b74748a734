/**
 * Guards for the training, robustness, experiment and feature-space methods' parameters: they
 * come from a page, so every field is type-checked here and answered with ARG_INVALID naming it
 * (e.g. "model.d"); the values themselves are then checked by engine/train/config.ts.
 */
import type { SplitName } from '#contract/dataset';
import type { PresetName } from '#contract/worker-protocol';
import type { ExportRobustnessParams, FeatureProjectionParams, QueueExperimentsParams, RobustnessParams, StartTrainingParams, TrainingOverrides } from '#contract/training-methods';
import type { ModelHyper } from '#contract/training-methods';
import type { ModelKind, TrainConfig } from '#contract/model';
import { MODEL_KINDS } from '#contract/model';
import { DarError } from '../../engine/errors';
import { parseRobustnessReport } from '../../engine/eval/report-export';
import { object } from '../params';

type Obj = Record<string, unknown>;

const PRESETS: readonly PresetName[] = ['mosi', 'mosei', 'demo'];
const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const MODEL_KEYS: readonly (keyof ModelHyper)[] = ['d', 't', 'heads', 'dropout', 'lambda', 'alpha', 'beta', 'tau'];
const TRAIN_NUMBERS: readonly (keyof TrainConfig)[] = ['epochs', 'lr', 'batchSize', 'weightDecay', 'clipNorm', 'clubLr', 'seed', 'patience', 'validRate'];
const TRAIN_KEYS = [...TRAIN_NUMBERS, 'k', 'mode', 'ablations'];
const MAX_PATH = 4096;
/** Most checkpoints one sweep averages, and most seeds. */
const MAX_LIST = 16;
/** Most clips a projection may ask for. */
export const MAX_PROJECTION_CLIPS = 2000;

function bad(field: string, expected: string, got: unknown): never {
  const shown = JSON.stringify(got) ?? String(got);
  throw new DarError('ARG_INVALID', `${field}: expected ${expected}, got ${shown.slice(0, 120)}`);
}

function onlyKeys(o: Obj, field: string, known: readonly string[]): void {
  for (const key of Object.keys(o)) if (!known.includes(key)) bad(`${field ? `${field}.` : ''}${key}`, `one of the known fields (${known.join(', ')})`, 'an unknown field');
}

function str(o: Obj, key: string, field = key): string | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.length === 0 || v.length > MAX_PATH) bad(field, `a non-empty string of at most ${MAX_PATH} characters`, v);
  return v;
}

function requiredStr(o: Obj, key: string): string {
  const v = str(o, key);
  if (v === undefined) bad(key, 'a string', v);
  return v;
}

function finite(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(field, 'a finite number', v);
  return v;
}

function oneOf<T extends string>(v: unknown, field: string, values: readonly T[]): T {
  if (!values.includes(v as T)) bad(field, values.join(' | '), v);
  return v as T;
}

function preset(o: Obj): PresetName | undefined {
  return o.preset === undefined ? undefined : oneOf(o.preset, 'preset', PRESETS);
}

function split(o: Obj): SplitName | undefined {
  return o.split === undefined ? undefined : oneOf(o.split, 'split', SPLITS);
}

function integers(o: Obj, key: string): number[] | undefined {
  const v = o[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0 || v.length > MAX_LIST || !v.every((x) => Number.isSafeInteger(x))) bad(key, `1..${MAX_LIST} integers`, v);
  return [...(v as number[])];
}

/**
 * DAR's hyperparameters by name; another model's are numbers or switches whose names its
 * registry entry checks when the run is resolved.
 */
function modelOverrides(value: unknown, kind: ModelKind): Partial<ModelHyper> | Record<string, number | boolean> | undefined {
  if (value === undefined) return undefined;
  const o = object(value, 'model');
  if (kind === 'dar') onlyKeys(o, 'model', MODEL_KEYS);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'boolean' && kind !== 'dar' ? v : finite(v, `model.${k}`)]));
}

function modelKind(o: Obj): ModelKind | undefined {
  return o.modelKind === undefined ? undefined : oneOf(o.modelKind, 'modelKind', MODEL_KINDS);
}

function trainOverrides(value: unknown): TrainingOverrides['train'] {
  if (value === undefined) return undefined;
  const o = object(value, 'train');
  onlyKeys(o, 'train', TRAIN_KEYS);
  const out: NonNullable<TrainingOverrides['train']> = {};
  for (const key of TRAIN_NUMBERS) if (o[key] !== undefined) (out as Record<string, number>)[key] = finite(o[key], `train.${key}`);
  if (o.mode !== undefined) out.mode = oneOf(o.mode, 'train.mode', ['fixed', 'uniform', 'lnln'] as const);
  if (o.ablations !== undefined) {
    if (!Array.isArray(o.ablations)) bad('train.ablations', 'an array of ablation names', o.ablations);
    out.ablations = o.ablations.map((a, i) => oneOf(a, `train.ablations[${i}]`, ['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'] as const));
  }
  if (o.k !== undefined) {
    const k = object(o.k, 'train.k');
    onlyKeys(k, 'train.k', ['l', 'a', 'v']);
    out.k = Object.fromEntries(Object.entries(k).map(([m, v]) => [m, finite(v, `train.k.${m}`)]));
  }
  return out;
}

/** trainingDefaults's params. */
export function defaultsParams(value: unknown): { preset?: PresetName } {
  const o = object(value ?? {});
  onlyKeys(o, '', ['preset']);
  return { preset: preset(o) };
}

/** startTraining's params. */
export function startParams(value: unknown): StartTrainingParams {
  const o = object(value ?? {});
  onlyKeys(o, '', ['dataset', 'preset', 'out', 'modelKind', 'model', 'train']);
  const out = str(o, 'out');
  if (out !== undefined && !out.endsWith('.safetensors')) bad('out', 'a path ending in .safetensors', out);
  const kind = modelKind(o);
  return { dataset: str(o, 'dataset'), preset: preset(o), out, modelKind: kind, model: modelOverrides(o.model, kind ?? 'dar'), train: trainOverrides(o.train) };
}

/** resumeTraining's and openCheckpoint's params (`key` = checkpoint or path). */
export function checkpointParams<K extends 'checkpoint' | 'path'>(value: unknown, key: K): Record<K, string> & { dataset?: string } {
  const o = object(value);
  onlyKeys(o, '', [key, 'dataset']);
  return { [key]: requiredStr(o, key), dataset: str(o, 'dataset') } as Record<K, string> & { dataset?: string };
}

/** runRobustness's params. */
export function robustnessParams(value: unknown): RobustnessParams {
  const o = object(value);
  onlyKeys(o, '', ['checkpoints', 'dataset', 'split', 'seeds']);
  const list = o.checkpoints;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_LIST) bad('checkpoints', `1..${MAX_LIST} checkpoint paths`, list);
  const checkpoints = list.map((c, i) => str({ c }, 'c', `checkpoints[${i}]`)!);
  return { checkpoints, dataset: str(o, 'dataset'), split: split(o), seeds: integers(o, 'seeds') };
}

/** exportRobustness's params. */
export function exportParams(value: unknown): ExportRobustnessParams {
  const o = object(value);
  onlyKeys(o, '', ['report', 'checkpoint', 'format']);
  const format = oneOf(o.format, 'format', ['csv', 'md'] as const);
  const checkpoint = str(o, 'checkpoint');
  if ((o.report === undefined) === (checkpoint === undefined)) bad('report', 'exactly one of report or checkpoint', Object.keys(o));
  return { format, checkpoint, report: o.report === undefined ? undefined : parseRobustnessReport(o.report) };
}

/** queueExperiments's params. */
export function queueParams(value: unknown): QueueExperimentsParams {
  const o = object(value);
  onlyKeys(o, '', ['kind', 'dataset', 'preset', 'epochs', 'seeds', 'evalSeeds', 'split', 'model', 'train']);
  const epochs = o.epochs === undefined ? undefined : finite(o.epochs, 'epochs');
  return {
    kind: oneOf(o.kind, 'kind', ['ablations', 'k-sweep'] as const),
    dataset: str(o, 'dataset'),
    preset: preset(o),
    epochs,
    seeds: integers(o, 'seeds'),
    evalSeeds: integers(o, 'evalSeeds'),
    split: split(o),
    model: modelOverrides(o.model, 'dar') as Partial<ModelHyper> | undefined,
    train: trainOverrides(o.train),
  };
}

/** featureProjection's params. */
export function projectionParams(value: unknown): FeatureProjectionParams {
  const o = object(value);
  onlyKeys(o, '', ['checkpoint', 'split', 'maxClips', 'method', 'features']);
  const maxClips = o.maxClips ?? 300;
  if (!Number.isInteger(maxClips) || (maxClips as number) < 1 || (maxClips as number) > MAX_PROJECTION_CLIPS) bad('maxClips', `an integer in 1..${MAX_PROJECTION_CLIPS}`, maxClips);
  return {
    checkpoint: str(o, 'checkpoint'),
    split: oneOf(o.split, 'split', SPLITS),
    maxClips: maxClips as number,
    method: oneOf(o.method, 'method', ['pca', 'umap'] as const),
    features: oneOf(o.features, 'features', ['common', 'specific', 'both'] as const),
  };
}

/** cancelJob's params. */
export function jobIdParams(value: unknown): { id: string } {
  const o = object(value);
  onlyKeys(o, '', ['id']);
  return { id: requiredStr(o, 'id') };
}

/** An empty params object (methods without parameters still refuse stray fields quietly: none checked). */
export function noParams(value: unknown): Record<string, never> {
  object(value ?? {});
  return {};
}
