/**
 * LNLN's configuration (Zhang et al., NeurIPS 2024; public code Haoyu-ha/LNLN, configs/train_mosi.yaml)
 * as the engine stores it in a checkpoint: sizes and loss weights. docs/baselines.md ("LNLN")
 * says which values come from the public config and which our inputs force.
 */
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../../../errors';

/** LNLN's sizes and loss weights (defaults = train_mosi.yaml, in brackets). */
export type LnlnConfig = {
  /** Input feature dimension per modality (MOSI 768/5/20). */
  inputDims: PerModality<number>;
  /** Padded input length per modality; LNLN attends over the padding too (MOSI 50/375/500). */
  seqLen: PerModality<number>;
  /** Hidden width of every transformer [128]. */
  d: number;
  /** Learned tokens each feature extractor keeps, and the length of every later sequence [8]. */
  tokenLen: number;
  /** Attention heads [8]. */
  heads: number;
  /** Width of one head in the encoder attentions (the public Transformer's default dim_head) [64]. */
  dimHead: number;
  /** Hidden width of each encoder layer's feed-forward net [128]. */
  mlpDim: number;
  /** Layers of every encoder (extractors, proxy generator, completeness check, reconstructors, language encoder, fusion) [2]. */
  depth: number;
  /** Hyper-modality learning layers; each reads one hidden state of the language encoder [3]. */
  hyperDepth: number;
  /** Hidden width of the effectiveness discriminator [64]. */
  discHidden: number;
  /** Gradient reversal factor in front of the proxy dominant feature [1]. */
  grl: number;
  /** Weight of the completeness-check loss l_cc [0.9]. */
  alpha: number;
  /** Weight of the adversarial (effectiveness) loss l_adv [0.8]. */
  beta: number;
  /** Weight of the reconstruction loss l_rec [0.1]. */
  gamma: number;
  /** Weight of the sentiment loss l_sp [1.0]. */
  sigma: number;
};

/** train_mosi.yaml's values for everything but the dataset's dims and lengths. */
export const LNLN_DEFAULTS: Omit<LnlnConfig, 'inputDims' | 'seqLen'> = {
  d: 128,
  tokenLen: 8,
  heads: 8,
  dimHead: 64,
  mlpDim: 128,
  depth: 2,
  hyperDepth: 3,
  discHidden: 64,
  grl: 1,
  alpha: 0.9,
  beta: 0.8,
  gamma: 0.1,
  sigma: 1.0,
};

const KNOWN = new Set(['inputDims', 'seqLen', ...Object.keys(LNLN_DEFAULTS)]);

function check(ok: boolean, message: string): void {
  if (!ok) throw new DarError('ARG_INVALID', `lnln config: ${message}`);
}

const isPosInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x > 0;
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function checkPerModality(c: Record<string, unknown>, key: 'inputDims' | 'seqLen'): void {
  const v = c[key] as Record<string, unknown> | undefined;
  check(typeof v === 'object' && v !== null, `${key} must be an object with l, a, v`);
  for (const m of MODALITIES) check(isPosInt(v![m]), `${key}.${m} must be a positive integer, got ${String(v![m])}`);
}

/** Throws ARG_INVALID naming the first bad field. */
export function validateLnlnConfig(config: unknown): asserts config is LnlnConfig {
  check(typeof config === 'object' && config !== null && !Array.isArray(config), 'expected an object');
  const c = config as Record<string, unknown>;
  const unknown = Object.keys(c).find((k) => !KNOWN.has(k));
  check(unknown === undefined, `unknown field "${unknown}"`);
  checkPerModality(c, 'inputDims');
  checkPerModality(c, 'seqLen');
  for (const key of ['d', 'tokenLen', 'heads', 'dimHead', 'mlpDim', 'depth', 'hyperDepth', 'discHidden'] as const) {
    check(isPosInt(c[key]), `${key} must be a positive integer, got ${String(c[key])}`);
  }
  const cfg = c as LnlnConfig;
  check(cfg.d % cfg.heads === 0, `heads must divide d (${cfg.d}), got ${cfg.heads}`);
  check(cfg.discHidden >= 1 && cfg.d >= 2, 'd must be >= 2 (the completeness head halves it)');
  // Hyper layer i reads hidden state i of the language encoder, which has depth + 1 of them.
  check(cfg.hyperDepth <= cfg.depth + 1, `hyperDepth must be <= depth + 1 (${cfg.depth + 1}), got ${cfg.hyperDepth}`);
  check(isNum(c.grl), `grl must be a finite number, got ${String(c.grl)}`);
  for (const key of ['alpha', 'beta', 'gamma', 'sigma'] as const) check(isNum(c[key]) && (c[key] as number) >= 0, `${key} must be >= 0, got ${String(c[key])}`);
}

/** The config for a dataset's dims and lengths, with overrides applied and validated. */
export function lnlnConfigFor(dims: { inputDims: PerModality<number>; seqLen: PerModality<number> }, overrides: Partial<LnlnConfig> = {}): LnlnConfig {
  const config: LnlnConfig = { ...LNLN_DEFAULTS, ...overrides, inputDims: { ...dims.inputDims }, seqLen: { ...dims.seqLen } };
  validateLnlnConfig(config);
  return config;
}
