/**
 * A DAR model on disk (spec "Checkpoints"): every trainable variable under its dotted name as
 * float32, and in `__metadata__` the model config, the training config, the feature normaliser,
 * the dataset fingerprint and the training history.
 */
import type { Dataset, DatasetFormat, Modality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { DarConfig, TrainConfig } from '#contract/model';
import type { EpochRecord } from '#contract/train';
import type { Normaliser } from '../data/normaliser';
import type { ExtractorStamps } from '#contract/extract';
import { checkExtractors } from '../extract/provenance';
import { parseNormaliser } from '../data/normaliser';
import { DarError } from '../errors';
import { DarModel } from '../model/dar-model';
import { validateModelConfig } from '../train/config';
import { readCheckpoint, writeCheckpoint } from './safetensors';

/** Format tag written into every checkpoint. */
export const CHECKPOINT_FORMAT = 'dar-studio-checkpoint/1';

/** What a checkpoint says about itself. */
export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  config: DarConfig;
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
export async function saveModel(path: string, model: DarModel, meta: CheckpointMeta): Promise<void> {
  await writeCheckpoint(path, { weights: await model.params.exportWeights(), metadata: meta });
}

function parseMeta(raw: Record<string, unknown>, path: string): CheckpointMeta {
  if (raw.format !== CHECKPOINT_FORMAT) {
    throw new DarError('CHECKPOINT_MALFORMED', `${path}: not a DAR Studio checkpoint (format ${JSON.stringify(raw.format)}, expected ${CHECKPOINT_FORMAT})`);
  }
  const config = raw.config as DarConfig;
  try {
    validateModelConfig(config);
  } catch (err) {
    throw new DarError('CHECKPOINT_MALFORMED', `${path}: bad model config: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { ...(raw as unknown as CheckpointMeta), normaliser: parseNormaliser(raw.normaliser) };
}

/** Reads a checkpoint and rebuilds its model with bit-identical weights. */
export async function loadModel(path: string): Promise<{ model: DarModel; meta: CheckpointMeta }> {
  const { weights, metadata } = await readCheckpoint(path);
  const meta = parseMeta(metadata, path);
  const model = new DarModel(meta.config, 0);
  try {
    model.params.importWeights(weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return { model, meta };
}

const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };

/** Refuses a dataset from other extractors (EXTRACTOR_MISMATCH) or whose feature dims or padded lengths differ from the checkpoint's. */
export function checkDatasetMatches(meta: CheckpointMeta, ds: Dataset): void {
  checkExtractors(meta.extractors, ds.info.extractors);
  const problems: string[] = [];
  for (const m of MODALITIES) {
    const want = meta.config.inputDims[m];
    const got = ds.info.dims[m];
    if (want !== got) problems.push(`${MODALITY_NAMES[m]} feature dim: checkpoint ${want}, dataset ${got}`);
    const wantT = meta.config.seqLen[m];
    const gotT = ds.info.seqLen[m];
    if (wantT !== gotT) problems.push(`${MODALITY_NAMES[m]} length: checkpoint ${wantT}, dataset ${gotT}`);
  }
  if (problems.length) {
    throw new DarError('CHECKPOINT_MISMATCH', `dataset ${ds.info.name} does not match the checkpoint (trained on ${meta.dataset.name}): ${problems.join('; ')}`);
  }
}
