/**
 * The small files the studio keeps beside checkpoints, and a header-only look into checkpoints
 * and resume sidecars (listing a runs folder must not read megabytes of weights per file).
 * Everything is written atomically and validated on the way back in.
 */
import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PresetName } from '#contract/worker-protocol';
import type { ErrorInfo } from '#contract/errors';
import type { RobustnessRecord, TrainingRunState } from '#contract/training-methods';
import type { ModelConfig, ModelKind, TrainConfig } from '#contract/model';
import type { EpochRecord, TrainSummary } from '#contract/train';
import { atomicWrite } from '../../engine/checkpoint/atomic-write';
import { CHECKPOINT_FORMAT } from '../../engine/checkpoint/model-checkpoint';
import { resumePath } from '../../engine/checkpoint/resume';
import { decodeMetadata } from '../../engine/checkpoint/safetensors';
import { DarError } from '../../engine/errors';
import { parseRobustnessReport } from '../../engine/eval/report-export';
import { modelDefinition, validateModel } from '../../engine/model/registry';
import { validateTrainConfig } from '../../engine/train/config';
import { besideCheckpoint, homeRobustnessFile } from '../studio-home';

const MAX_HEADER = 100_000_000;
/** Write errors that mean a folder is read-only (the demo model inside an installed app). */
const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

/** Writes JSON atomically, creating the folder. */
export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await atomicWrite(file, [new TextEncoder().encode(`${JSON.stringify(value, null, 1)}\n`)]);
}

/** Reads JSON; null when the file does not exist. */
export async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new DarError('FILE_UNREADABLE', `${file}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new DarError('FILE_UNREADABLE', `${file}: not JSON (${(err as Error).message})`);
  }
}

/** The `__metadata__` of a safetensors file, JSON-decoded, reading only its header. */
export async function readHeaderMetadata(file: string): Promise<Record<string, unknown>> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DarError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `${file}: ${(err as Error).message}`);
  }
  try {
    const head = Buffer.alloc(8);
    const { bytesRead } = await handle.read(head, 0, 8, 0);
    const len = bytesRead === 8 ? head.readBigUInt64LE(0) : -1n;
    if (len < 2n || len > BigInt(MAX_HEADER)) throw new DarError('CHECKPOINT_MALFORMED', `${file}: not a safetensors file (header length ${len})`);
    const text = Buffer.alloc(Number(len));
    await handle.read(text, 0, text.length, 8);
    let header: unknown;
    try {
      header = JSON.parse(text.toString('utf8'));
    } catch {
      throw new DarError('CHECKPOINT_MALFORMED', `${file}: bad safetensors header JSON`);
    }
    const meta = (header as Record<string, unknown> | null)?.__metadata__;
    if (typeof meta !== 'object' || meta === null) return {};
    return decodeMetadata(meta as Record<string, string>);
  } finally {
    await handle.close();
  }
}

/** What a checkpoint's header says, checked enough to list and compare it. */
export interface CheckpointHeader {
  /** Which model ('dar' when an older checkpoint names none). */
  modelKind: ModelKind;
  config: ModelConfig;
  train: TrainConfig;
  dataset: { name: string; synthetic: boolean };
  history: EpochRecord[];
  selectedEpoch: number;
  backend: string;
  createdAt: string;
}

function malformed(file: string, what: string, err: unknown): DarError {
  return new DarError('CHECKPOINT_MALFORMED', `${file}: bad ${what}: ${err instanceof Error ? err.message : String(err)}`);
}

/** A checkpoint's configuration, dataset, history and selected epoch, from its header alone. */
export async function readCheckpointHeader(file: string): Promise<CheckpointHeader> {
  const meta = await readHeaderMetadata(file);
  if (meta.format !== CHECKPOINT_FORMAT) throw new DarError('CHECKPOINT_MALFORMED', `${file}: not a DAR Studio checkpoint (format ${JSON.stringify(meta.format)})`);
  const modelKind = modelDefinition(meta.model ?? 'dar').kind;
  const config = meta.config as ModelConfig;
  const train = meta.train as TrainConfig;
  try {
    validateModel(modelKind, config);
  } catch (err) {
    throw malformed(file, 'model config', err);
  }
  try {
    validateTrainConfig(train);
  } catch (err) {
    throw malformed(file, 'training config', err);
  }
  const ds = (meta.dataset ?? {}) as { name?: unknown; synthetic?: unknown };
  return {
    modelKind,
    config,
    train,
    dataset: { name: String(ds.name ?? '?'), synthetic: ds.synthetic === true },
    history: Array.isArray(meta.history) ? (meta.history as EpochRecord[]) : [],
    selectedEpoch: Number.isInteger(meta.selectedEpoch) ? (meta.selectedEpoch as number) : -1,
    backend: String(meta.backend ?? ''),
    createdAt: String(meta.createdAt ?? ''),
  };
}

/** What a resume sidecar's header says (null when there is no sidecar). */
export interface SidecarHeader {
  epoch: number;
  modelKind: ModelKind;
  config: ModelConfig;
  train: TrainConfig;
  fingerprint: string;
  history: EpochRecord[];
  selectedEpoch: number;
}

/** The resume sidecar of a checkpoint, header only; null when absent. */
export async function readSidecarHeader(checkpoint: string): Promise<SidecarHeader | null> {
  const file = resumePath(checkpoint);
  let meta: Record<string, unknown>;
  try {
    meta = await readHeaderMetadata(file);
  } catch (err) {
    if (err instanceof DarError && err.code === 'FILE_NOT_FOUND') return null;
    throw err;
  }
  const extra = (meta.extra ?? {}) as Record<string, unknown>;
  // A sidecar from before the baselines names no model: it is DAR's.
  const modelKind = modelDefinition(extra.model ?? 'dar').kind;
  const config = extra.config as ModelConfig;
  const train = extra.train as TrainConfig;
  try {
    validateModel(modelKind, config);
    validateTrainConfig(train);
  } catch (err) {
    throw malformed(file, 'configuration', err);
  }
  if (!Number.isSafeInteger(meta.epoch) || typeof extra.fingerprint !== 'string') throw new DarError('CHECKPOINT_MALFORMED', `${file}: metadata epoch or fingerprint missing`);
  return {
    epoch: meta.epoch as number,
    modelKind,
    config,
    train,
    fingerprint: extra.fingerprint,
    history: Array.isArray(extra.history) ? (extra.history as EpochRecord[]) : [],
    selectedEpoch: Number.isInteger(extra.selectedEpoch) ? (extra.selectedEpoch as number) : -1,
  };
}

/** `<name>.run.json`: what the studio knows about the run that writes a checkpoint. */
export interface RunRecord {
  format: 'dar-run/1';
  /** The dataset it trains on (resume and "open in the workbench" go back to it). */
  data: string;
  datasetName: string;
  preset: PresetName | null;
  jobId: string | null;
  state: TrainingRunState;
  startedAt: string;
  finishedAt: string | null;
  summary: Omit<TrainSummary, 'history'> | null;
  /** Every epoch run so far (the checkpoint's own history stops at its selected epoch). */
  history: EpochRecord[];
  error: ErrorInfo | null;
}

/** Writes a checkpoint's run record. */
export async function writeRunRecord(checkpoint: string, record: RunRecord): Promise<void> {
  await writeJson(besideCheckpoint(checkpoint, 'run'), record);
}

/** A checkpoint's run record; null when absent or not one of ours. */
export async function readRunRecord(checkpoint: string): Promise<RunRecord | null> {
  const value = (await readJson(besideCheckpoint(checkpoint, 'run')).catch(() => null)) as Partial<RunRecord> | null;
  if (!value || value.format !== 'dar-run/1' || typeof value.data !== 'string') return null;
  return value as RunRecord;
}

/**
 * Saves a sweep beside its first checkpoint, or in the studio home when that folder is read-only
 * (a sweep of the installed demo model is kept too); returns the file written.
 */
export async function writeRobustnessRecord(record: RobustnessRecord, home: string): Promise<string> {
  const beside = besideCheckpoint(record.checkpoints[0], 'robustness');
  try {
    await writeJson(beside, record);
    return beside;
  } catch (err) {
    if (!READ_ONLY.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
  }
  const file = homeRobustnessFile(home, record.checkpoints[0]);
  await writeJson(file, record);
  return file;
}

/** The record in `file`; null when there is none. */
async function robustnessRecordAt(file: string): Promise<RobustnessRecord | null> {
  const value = (await readJson(file)) as Partial<RobustnessRecord> | null;
  if (value === null) return null;
  if (value.format !== 'dar-robustness/1' || !Array.isArray(value.checkpoints) || typeof value.dataset !== 'string') {
    throw new DarError('FILE_UNREADABLE', `${file}: not a DAR Studio robustness record`);
  }
  return { ...(value as RobustnessRecord), report: parseRobustnessReport(value.report) };
}

/** A checkpoint's sweep, beside it or in the studio home (the newer when both exist); null when there is none. */
export async function readRobustnessRecord(checkpoint: string, home: string): Promise<RobustnessRecord | null> {
  const [beside, kept] = await Promise.all([robustnessRecordAt(besideCheckpoint(checkpoint, 'robustness')), robustnessRecordAt(homeRobustnessFile(home, checkpoint))]);
  if (!beside || !kept) return beside ?? kept;
  return kept.createdAt > beside.createdAt ? kept : beside;
}
