/**
 * The resume sidecar `<ckpt>.resume.safetensors`: what a crashed or stopped training run needs to
 * continue exactly where it was. The checkpoint holds the best epoch's weights; the sidecar holds
 * the latest weights, the optimizer moments and the loop's counters. Written atomically like the
 * checkpoint, after it, so a crash between the two leaves an older but consistent sidecar.
 */
import { rm } from 'node:fs/promises';
import { DarError } from '../errors';
import type { OptimizerState } from '../train/optimizer';
import { decodeMetadata, encodeMetadata, readSafetensors, writeSafetensors } from './safetensors';
import type { TensorMap } from './safetensors';
import { isRecord } from '../guards';

/** The training loop's state at an epoch boundary. */
export interface ResumeState {
  /** Epochs completed, i.e. the next epoch to run. */
  epoch: number;
  /** Main optimizer steps taken so far. */
  step: number;
  /** Best validation L_sel so far; null before the first (or for a non-finite) value. */
  bestSel: number | null;
  /** Epochs since L_sel last improved (early stopping). */
  badEpochs: number;
  /** RNG positions (seeds, stream ids, counters or xoshiro states): any JSON the trainer needs. */
  rng: Record<string, unknown>;
  /** The latest weights by dotted name (main and CLUB). */
  weights: TensorMap;
  /** Optimizer states by a short prefix, e.g. { adam: main AdamW, club: CLUB Adam }. */
  optimizers: Record<string, OptimizerState>;
  /** Other tensors the model's trainer keeps (e.g. a label memory), by name. */
  state?: TensorMap;
  /** Anything else to get back (history so far, ...). */
  extra: Record<string, unknown>;
}

const FORMAT = 'dar-resume/1';
const WEIGHTS = 'weights';
const STATE = 'state';
const PREFIX = /^[a-z_][a-z0-9_]*$/;

/** The sidecar of a checkpoint: `model.safetensors` -> `model.resume.safetensors`. */
export function resumePath(checkpointPath: string): string {
  return `${checkpointPath.replace(/\.safetensors$/, '')}.resume.safetensors`;
}

function checkPrefix(prefix: string): void {
  if (!PREFIX.test(prefix) || prefix === WEIGHTS || prefix === STATE) {
    throw new DarError('ARG_INVALID', `resume: optimizer prefix "${prefix}" must match ${PREFIX} and be neither "${WEIGHTS}" nor "${STATE}"`);
  }
}

/** Tensors named `weights.<dotted>`, `state.<name>`, `<prefix>.m.<dotted>`, `<prefix>.v.<dotted>`. */
function toTensors(state: ResumeState): TensorMap {
  const out: TensorMap = new Map();
  for (const [name, t] of state.weights) out.set(`${WEIGHTS}.${name}`, t);
  for (const [name, t] of state.state ?? []) out.set(`${STATE}.${name}`, t);
  for (const [prefix, opt] of Object.entries(state.optimizers)) {
    checkPrefix(prefix);
    for (const [name, t] of opt.m) out.set(`${prefix}.m.${name}`, t);
    for (const [name, t] of opt.v) out.set(`${prefix}.v.${name}`, t);
  }
  return out;
}

/** Writes the sidecar of `checkpointPath` atomically. */
export async function writeResume(checkpointPath: string, state: ResumeState): Promise<void> {
  const steps = Object.fromEntries(Object.entries(state.optimizers).map(([p, o]) => [p, o.step]));
  const metadata = encodeMetadata({
    format: FORMAT,
    epoch: state.epoch,
    step: state.step,
    bestSel: state.bestSel !== null && Number.isFinite(state.bestSel) ? state.bestSel : null,
    badEpochs: state.badEpochs,
    rng: state.rng,
    optimizers: steps,
    extra: state.extra,
  });
  await writeSafetensors(resumePath(checkpointPath), { tensors: toTensors(state), metadata });
}


function count(meta: Record<string, unknown>, key: string, file: string): number {
  const v = meta[key];
  if (!(Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw new DarError('CHECKPOINT_MALFORMED', `${file}: metadata ${key} must be a non-negative integer, got ${JSON.stringify(v)}`);
  }
  return v as number;
}

function record(meta: Record<string, unknown>, key: string, file: string): Record<string, unknown> {
  const v = meta[key];
  if (!isRecord(v)) throw new DarError('CHECKPOINT_MALFORMED', `${file}: metadata ${key} must be an object`);
  return v;
}

function splitTensors(tensors: TensorMap, steps: Record<string, unknown>, file: string): Pick<ResumeState, 'weights' | 'optimizers' | 'state'> {
  const weights: TensorMap = new Map();
  const state: TensorMap = new Map();
  const optimizers: Record<string, OptimizerState> = {};
  for (const prefix of Object.keys(steps)) {
    optimizers[prefix] = { step: count(steps, prefix, `${file}: optimizers`), m: new Map(), v: new Map() };
  }
  for (const [full, t] of tensors) {
    const [head, kind] = full.split('.', 2);
    if (head === WEIGHTS) weights.set(full.slice(WEIGHTS.length + 1), t);
    else if (head === STATE) state.set(full.slice(STATE.length + 1), t);
    else if (optimizers[head] && (kind === 'm' || kind === 'v')) optimizers[head][kind].set(full.slice(head.length + 3), t);
    else throw new DarError('CHECKPOINT_MALFORMED', `${file}: tensor ${full} is neither weights.*, state.* nor <optimizer>.m/v.*`);
  }
  // Only a trainer that keeps tensors of its own has a state part (DAR's has none).
  return state.size ? { weights, optimizers, state } : { weights, optimizers };
}

/** Reads the sidecar of `checkpointPath`; null when there is none (nothing to resume). */
export async function readResume(checkpointPath: string): Promise<ResumeState | null> {
  const file = resumePath(checkpointPath);
  let content;
  try {
    content = await readSafetensors(file);
  } catch (err) {
    if (err instanceof DarError && err.code === 'FILE_NOT_FOUND') return null;
    throw err;
  }
  const meta = decodeMetadata(content.metadata);
  if (meta.format !== FORMAT) {
    throw new DarError('CHECKPOINT_MALFORMED', `${file}: metadata format: expected "${FORMAT}", got ${JSON.stringify(meta.format)}`);
  }
  const bestSel = meta.bestSel;
  if (bestSel !== null && typeof bestSel !== 'number') {
    throw new DarError('CHECKPOINT_MALFORMED', `${file}: metadata bestSel must be a number or null`);
  }
  return {
    epoch: count(meta, 'epoch', file),
    step: count(meta, 'step', file),
    bestSel,
    badEpochs: count(meta, 'badEpochs', file),
    rng: record(meta, 'rng', file),
    extra: record(meta, 'extra', file),
    ...splitTensors(content.tensors, record(meta, 'optimizers', file), file),
  };
}

/** Deletes the sidecar (a finished run has nothing to resume); no error if it is absent. */
export async function removeResume(checkpointPath: string): Promise<void> {
  await rm(resumePath(checkpointPath), { force: true });
}
