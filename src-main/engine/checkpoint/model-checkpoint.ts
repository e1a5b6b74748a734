/**
 * A model on disk (spec "Checkpoints"): every trainable variable under its dotted name as
 * float32, and in `__metadata__` the model's kind and config, the training config, the feature
 * normaliser, the dataset fingerprint and the training history. Checkpoints written before
 * there were other models carry no kind: they are DAR.
 */
import type { Dataset, DatasetFormat, Modality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { ModelKind, TrainConfig } from '#contract/model';
import type { EpochRecord } from '#contract/train';
import type { Normaliser } from '../data/normaliser';
import type { ExtractorStamps } from '#contract/extract';
import { checkExtractors } from '../extract/provenance';
import { parseNormaliser } from '../data/normaliser';
import { DarError } from '../errors';
import { modelDefinition } from '../model/registry';
import type { DatasetShape, ModelConfigJson, ModelDefinition, SentimentModel } from '../model/sentiment-model';
import { readCheckpoint, writeCheckpoint } from './safetensors';

/** Format tag written into every checkpoint. */
export const CHECKPOINT_FORMAT = 'dar-studio-checkpoint/1';

/** What a checkpoint says about itself. */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  /** Which model these weights are ('dar' when an older checkpoint names none). */
  model: ModelKind;
  /** The model's config, as its registry entry validates it. */
  config: ModelConfigJson & DatasetShape;
  train: TrainConfig;
  normaliser: Normaliser;
  fingerprint: string;
  dataset: { name: string; format: DatasetFormat; synthetic: boolean };
  history: EpochRecord[];
  /** Epoch whose weights these are (best validation L_sel). */
  selectedEpoch: number;
  backend: string;
  createdAt: string;
  /** The extractors that made the training features (extracted clip folders only). */
  extractors?: ExtractorStamps;
}

/** Writes the model's weights and metadata atomically. */
export async function saveModel(path: string, model: SentimentModel, meta: CheckpointMeta): Promise<void> {
  if (meta.model !== model.kind) throw new DarError('INTERNAL', `saveModel: metadata names ${meta.model}, the model is ${model.kind}`);
  await writeCheckpoint(path, { weights: await model.params.exportWeights(), metadata: meta });
}

function parseMeta(raw: Record<string, unknown>, path: string): CheckpointMeta {
  if (raw.format !== CHECKPOINT_FORMAT) {
    throw new DarError('CHECKPOINT_MALFORMED', `${path}: not a DAR Studio checkpoint (format ${JSON.stringify(raw.format)}, expected ${CHECKPOINT_FORMAT})`);
  }
  const kind = raw.model ?? 'dar';
  let def: ModelDefinition;
  try {
    def = modelDefinition(kind);
  } catch (err) {
    throw new DarError('MODEL_UNKNOWN', `${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    def.validate(raw.config);
  } catch (err) {
    throw new DarError('CHECKPOINT_MALFORMED', `${path}: bad ${def.label} config: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...(raw as unknown as CheckpointMeta), model: def.kind, normaliser: parseNormaliser(raw.normaliser) };
}

/** Reads a checkpoint and rebuilds its model (the kind it names) with bit-identical weights. */
export async function loadModel(path: string): Promise<{ model: SentimentModel; meta: CheckpointMeta }> {
  const { weights, metadata } = await readCheckpoint(path);
  const meta = parseMeta(metadata, path);
  const model = modelDefinition(meta.model).create(meta.config, 0);
  try {
    model.params.importWeights(weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, meta };
}

/** loadModel, refused (and freed) when the checkpoint does not fit `dataset` (checkDatasetMatches). */
export async function loadModelFor(path: string, dataset: Dataset): Promise<{ model: SentimentModel; meta: CheckpointMeta }> {
  const loaded = await loadModel(path);
  try {
    checkDatasetMatches(loaded.meta, dataset);
  } catch (err) {
    loaded.model.dispose();
    throw err;
  }
  return loaded;
}

/** JSON with object keys sorted, so two configs compare by content, not by key order. */
function canonical(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(canonical).join(',')}]`;
  if (x !== null && typeof x === 'object') {
    const entries = Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(x);
}

/**
 * Refuses to average checkpoints that are not seeds of one model: each must name the same kind
 * and the same config as the first (CHECKPOINT_MISMATCH naming the odd one out).
 */
export function checkSameModel(metas: readonly CheckpointMeta[], paths: readonly string[]): void {
  const [first] = metas;
  metas.forEach((meta, i) => {
    if (meta.model !== first.model) {
      throw new DarError('CHECKPOINT_MISMATCH', `only seeds of one model can be averaged: ${paths[i]} is a ${meta.model} model, ${paths[0]} a ${first.model} model`);
    }
    if (canonical(meta.config) !== canonical(first.config)) {
      throw new DarError('CHECKPOINT_MISMATCH', `only seeds of one model can be averaged: ${paths[i]} has another ${meta.model} config than ${paths[0]}`);
    }
  });
}

const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };

type FlatDims = Partial<Record<'dimL' | 'dimA' | 'dimV' | 'seqL' | 'seqA' | 'seqV', number>>;

/**
 * A model config's dataset dims and padded lengths. DAR and LNLN nest them (inputDims, seqLen);
 * MISA's and Self-MM's configs keep MMSA's flat dimL..seqV, so both forms are read.
 */
export function configShape(config: object): DatasetShape {
  const c = config as Partial<DatasetShape> & FlatDims;
  if (c.inputDims && c.seqLen) return { inputDims: c.inputDims, seqLen: c.seqLen };
  const n = (v: number | undefined): number => v ?? Number.NaN;
  return { inputDims: { l: n(c.dimL), a: n(c.dimA), v: n(c.dimV) }, seqLen: { l: n(c.seqL), a: n(c.seqA), v: n(c.seqV) } };
}

/** Refuses a dataset from other extractors (EXTRACTOR_MISMATCH) or whose feature dims or padded lengths differ from the checkpoint's. */
export function checkDatasetMatches(meta: CheckpointMeta, ds: Dataset): void {
  checkExtractors(meta.extractors, ds.info.extractors);
  const problems: string[] = [];
  const shape = configShape(meta.config);
  for (const m of MODALITIES) {
    const want = shape.inputDims[m];
    const got = ds.info.dims[m];
    if (want !== got) problems.push(`${MODALITY_NAMES[m]} feature dim: checkpoint ${want}, dataset ${got}`);
    const wantT = shape.seqLen[m];
    const gotT = ds.info.seqLen[m];
    if (wantT !== gotT) problems.push(`${MODALITY_NAMES[m]} length: checkpoint ${wantT}, dataset ${gotT}`);
  }
  if (problems.length) {
    throw new DarError('CHECKPOINT_MISMATCH', `dataset ${ds.info.name} does not match the checkpoint (trained on ${meta.dataset.name}): ${problems.join('; ')}`);
  }
}
