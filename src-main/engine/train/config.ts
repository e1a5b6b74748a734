/**
 * Defaults, presets and validation of the model and training configuration (spec
 * "Architecture" and "Training protocol"). Everything a user can edit goes through here.
 */
import type { Dataset } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Ablation, DarConfig, TrainConfig, TrainMode } from '#contract/model';
import { DarError } from '../errors';
import type { DatasetShape } from '../model/sentiment-model';

/** Named starting points: the paper's k for MOSI and MOSEI, and a quick demo run. */
export type PresetName = 'mosi' | 'mosei' | 'demo';

const ABLATIONS: readonly Ablation[] = ['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'];
const MODES: readonly TrainMode[] = ['fixed', 'uniform', 'lnln'];

/** The spec's training defaults (MOSI's k = 0.3). */
export const DEFAULT_TRAIN: TrainConfig = {
  k: { l: 0.3, a: 0.3, v: 0.3 },
  mode: 'fixed',
  epochs: 100,
  lr: 1e-4,
  batchSize: 64,
  weightDecay: 1e-4,
  clipNorm: 2,
  clubLr: 1e-4,
  seed: 1111,
  patience: 20,
  validRate: 0.5,
  ablations: [],
};

/** Overrides each preset applies on top of DEFAULT_TRAIN. */
export const PRESETS: Record<PresetName, Partial<TrainConfig>> = {
  mosi: { k: { l: 0.3, a: 0.3, v: 0.3 } },
  mosei: { k: { l: 0.4, a: 0.4, v: 0.4 } },
  demo: { k: { l: 0.3, a: 0.3, v: 0.3 }, epochs: 30, batchSize: 32, lr: 1e-3, patience: 10 },
};

/** DAR's hyperparameters at the spec's defaults (everything but the dataset's dims and lengths). */
export const DAR_DEFAULTS: Readonly<Omit<DarConfig, 'inputDims' | 'seqLen'>> = { d: 128, t: 16, heads: 4, dropout: 0.1, lambda: 0.7, alpha: 0.1, beta: 0.1, tau: 0.1 };

/** The DAR config for a dataset's dims and lengths: the spec's defaults, overrides on top, validated. */
export function darConfigFor(shape: DatasetShape, overrides: Partial<DarConfig> = {}): DarConfig {
  const config: DarConfig = { ...DAR_DEFAULTS, ...overrides, inputDims: { ...shape.inputDims }, seqLen: { ...shape.seqLen } };
  validateModelConfig(config);
  return config;
}

/** The model config for a dataset: the spec's defaults with its dims and lengths. */
export function modelConfigFor(ds: Dataset, overrides: Partial<DarConfig> = {}): DarConfig {
  return darConfigFor({ inputDims: ds.info.dims, seqLen: ds.info.seqLen }, overrides);
}

function check(ok: boolean, message: string): void {
  if (!ok) throw new DarError('ARG_INVALID', message);
}

const isPosInt = (x: number): boolean => Number.isInteger(x) && x > 0;

/** Throws ARG_INVALID naming the first bad field. */
export function validateModelConfig(c: DarConfig): void {
  check(isPosInt(c.d) && c.d % 2 === 0, `d must be a positive even integer, got ${c.d}`);
  check(isPosInt(c.heads) && c.d % c.heads === 0, `heads must divide d (${c.d}), got ${c.heads}`);
  check(isPosInt(c.t), `t must be a positive integer, got ${c.t}`);
  check(c.dropout >= 0 && c.dropout < 1, `dropout must be in [0, 1), got ${c.dropout}`);
  for (const key of ['lambda', 'alpha', 'beta'] as const) check(c[key] >= 0 && Number.isFinite(c[key]), `${key} must be >= 0, got ${c[key]}`);
  check(c.tau > 0 && Number.isFinite(c.tau), `tau must be > 0, got ${c.tau}`);
  for (const m of MODALITIES) {
    check(isPosInt(c.inputDims[m]), `input dim ${m} must be a positive integer, got ${c.inputDims[m]}`);
    check(isPosInt(c.seqLen[m]), `sequence length ${m} must be a positive integer, got ${c.seqLen[m]}`);
  }
}

/** The training config from a preset and overrides, validated. */
export function trainConfigFor(preset: PresetName | undefined, overrides: Partial<TrainConfig> = {}): TrainConfig {
  const config: TrainConfig = { ...DEFAULT_TRAIN, ...(preset ? PRESETS[preset] : {}), ...overrides };
  validateTrainConfig(config);
  return config;
}

/** Throws ARG_INVALID naming the first bad field. */
export function validateTrainConfig(c: TrainConfig): void {
  for (const m of MODALITIES) check(c.k[m] >= 0 && c.k[m] <= 1, `k_${m} must be in [0, 1], got ${c.k[m]}`);
  check(MODES.includes(c.mode), `mode must be one of ${MODES.join(', ')}, got "${c.mode}"`);
  check(isPosInt(c.epochs), `epochs must be a positive integer, got ${c.epochs}`);
  check(isPosInt(c.batchSize) && c.batchSize >= 2, `batch size must be an integer >= 2 (contrastive losses need negatives), got ${c.batchSize}`);
  for (const key of ['lr', 'clubLr'] as const) check(c[key] > 0 && Number.isFinite(c[key]), `${key} must be > 0, got ${c[key]}`);
  check(c.weightDecay >= 0, `weight decay must be >= 0, got ${c.weightDecay}`);
  check(c.clipNorm > 0, `clip norm must be > 0, got ${c.clipNorm}`);
  check(Number.isSafeInteger(c.seed), `seed must be an integer, got ${c.seed}`);
  check(Number.isInteger(c.patience) && c.patience >= 1, `patience must be an integer >= 1, got ${c.patience}`);
  check(c.validRate >= 0 && c.validRate < 1, `validation rate must be in [0, 1), got ${c.validRate}`);
  for (const a of c.ablations) check(ABLATIONS.includes(a), `unknown ablation "${a}" (known: ${ABLATIONS.join(', ')})`);
}

/** True when the CLUB estimator is used at all (L_diff not ablated). */
export function usesClub(ablations: readonly Ablation[]): boolean {
  return !ablations.includes('no_diff') && !ablations.includes('no_sim_diff');
}
