/**
 * The paper's robustness protocol (spec "Missing data" / "Training protocol" → Report): every
 * model is scored on the same corrupted copies of a split, at rates 0.0..0.9 for all modalities
 * at once (nested masks from the evaluation seed) and with each modality removed entirely.
 * Scores are averaged over models (e.g. three training seeds) and evaluation seeds.
 */
import type { Modality, PerModality, SplitData, SplitName } from '#contract/dataset';
import type { Metrics, PredictionDrift, PredictionStats, RobustnessReport } from '#contract/eval';
import { DarError } from '../errors';
import { EVAL_CONDITIONS, EVAL_SEED, conditionRates, drawEvalUniforms, evalMasks } from '../data/corruption';
import { MODALITIES } from '#contract/dataset';
import type { EvalCondition, SplitMasks } from '../data/corruption';
import { METRIC_KEYS, computeMetrics } from './metrics';
import { robustnessScore } from './robustness-score';

/** Predicts every clip of a split under the given masks; one call per model and condition. */
export type Predictor = (split: SplitData, masks: SplitMasks) => Promise<Float32Array>;

/** Progress of a sweep: conditions done out of the total (models × seeds × conditions). */
export type SweepProgress = (done: number, total: number) => void;

/** Options of {@link evaluateRobustness}. */
export interface RobustnessOptions {
  splitName: SplitName;
  /** Evaluation mask seeds [EVAL_SEED]; more than one averages over mask draws. */
  seeds?: readonly number[];
  onProgress?: SweepProgress;
  /** Checked between conditions; when it returns true the sweep stops with ARG_INVALID "cancelled". */
  cancelled?: () => boolean;
}

/** The key of a rate in a report, e.g. 0 → "0.0", 0.3 → "0.3". */
export function rateKey(rate: number): string {
  return rate.toFixed(1);
}

/** Mean of each metric over several runs; a metric that is null in every run stays null. */
export function averageMetrics(runs: readonly Metrics[]): Metrics {
  const out = {} as Metrics;
  for (const key of METRIC_KEYS) {
    const values = runs.map((r) => r[key]).filter((v): v is number => v !== null);
    out[key] = values.length ? values.reduce((s, v) => s + v, 0) / values.length : null;
  }
  return out;
}

/** Mean, population standard deviation and share >= 0 of some values (predictions or labels). */
export function predictionStats(values: ArrayLike<number>): PredictionStats {
  const n = values.length;
  let sum = 0;
  let positive = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i];
    if (values[i] >= 0) positive++;
  }
  const mean = n ? sum / n : NaN;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, sd: n ? Math.sqrt(ss / n) : NaN, positive: n ? positive / n : NaN };
}

function averageStats(runs: readonly PredictionStats[]): PredictionStats {
  const avg = (k: keyof PredictionStats): number => runs.reduce((s, r) => s + r[k], 0) / runs.length;
  return { mean: avg('mean'), sd: avg('sd'), positive: avg('positive') };
}

/** Every modality masked: the model sees nothing but the clip's lengths (and text [CLS]/[SEP]). */
const ALL_MASKED: PerModality<number> = { l: 1, a: 1, v: 1 };

/** Scores every model under every condition and seed, then averages into one report. */
export async function evaluateRobustness(split: SplitData, predictors: readonly Predictor[], options: RobustnessOptions): Promise<RobustnessReport> {
  if (predictors.length === 0) throw new DarError('ARG_INVALID', 'robustness sweep needs at least one model');
  const seeds = options.seeds?.length ? options.seeds : [EVAL_SEED];
  const runs = new Map<EvalCondition, Run[]>(EVAL_CONDITIONS.map((c) => [c, []]));
  const allMasked: PredictionStats[] = [];
  const total = predictors.length * seeds.length * (EVAL_CONDITIONS.length + 1);
  let done = 0;
  const score = async (masks: SplitMasks, into: (predictions: Float32Array) => void): Promise<void> => {
    for (const predict of predictors) {
      if (options.cancelled?.()) throw new DarError('ARG_INVALID', 'robustness sweep cancelled');
      into(await predict(split, masks));
      options.onProgress?.(++done, total);
    }
  };
  for (const seed of seeds) {
    const uniforms = drawEvalUniforms(split, options.splitName, seed);
    for (const condition of EVAL_CONDITIONS) {
      await score(evalMasks(split, uniforms, conditionRates(condition)), (p) => runs.get(condition)!.push({ metrics: computeMetrics(p, split.labels), stats: predictionStats(p) }));
    }
    await score(evalMasks(split, uniforms, ALL_MASKED), (p) => allMasked.push(predictionStats(p)));
  }
  return assembleReport(runs, averageStats(allMasked), predictionStats(split.labels), { n: split.n, split: options.splitName, models: predictors.length, seeds: [...seeds] });
}

/** One model's scores under one condition and seed. */
interface Run {
  metrics: Metrics;
  stats: PredictionStats;
}

function assembleReport(runs: Map<EvalCondition, Run[]>, all: PredictionStats, label: PredictionStats, meta: RobustnessReport['meta']): RobustnessReport {
  const rates: Record<string, Metrics> = {};
  const removed = {} as PerModality<Metrics>;
  const drift: PredictionDrift = { label, rates: {}, removed: {} as PerModality<PredictionStats>, all };
  for (const [condition, list] of runs) {
    const avg = averageMetrics(list.map((r) => r.metrics));
    const stats = averageStats(list.map((r) => r.stats));
    if (condition.kind === 'rate') {
      rates[rateKey(condition.rate)] = avg;
      drift.rates[rateKey(condition.rate)] = stats;
    } else {
      removed[condition.modality] = avg;
      drift.removed[condition.modality] = stats;
    }
  }
  return { rates, mean: averageMetrics(Object.values(rates)), removed, predictions: drift, score: robustnessScore(rates), meta };
}

const PERCENT_KEYS = new Set(['Has0_acc_2', 'Has0_F1_score', 'Non0_acc_2', 'Non0_F1_score', 'Mult_acc_5', 'Mult_acc_7']);

function cell(key: string, v: number | null): string {
  if (v === null) return 'n/a';
  return PERCENT_KEYS.has(key) ? (100 * v).toFixed(2) : v.toFixed(4);
}

const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };

const signed = (v: number): string => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
const pct = (v: number): string => `${Math.round(100 * v)} %`;

/** The report as a Markdown table for people: accuracies and F1 in percent, MAE and Corr raw. */
export function reportToMarkdown(report: RobustnessReport): string {
  const header = `| condition | ${METRIC_KEYS.join(' | ')} |`;
  const rule = `|---|${METRIC_KEYS.map(() => '---:').join('|')}|`;
  const row = (name: string, m: Metrics): string => `| ${name} | ${METRIC_KEYS.map((k) => cell(k, m[k])).join(' | ')} |`;
  const lines = [header, rule];
  for (const [key, m] of Object.entries(report.rates)) lines.push(row(`missing ${key}`, m));
  lines.push(row('**mean 0.0–0.9**', report.mean));
  if (report.score) {
    const score = report.score;
    lines.push(`| robustness (area, normalised) | ${METRIC_KEYS.map((k) => cell(k, score[k].area)).join(' | ')} |`);
  }
  for (const m of MODALITIES) lines.push(row(`no ${MODALITY_NAMES[m]}`, report.removed[m]));
  const { n, split, models, seeds } = report.meta;
  lines.push('', `${split} split, n = ${n}; averaged over ${models} model(s) and evaluation seed(s) ${seeds.join(', ')}.`);
  const drift = report.predictions;
  if (drift) {
    const at = (key: string): string => (drift.rates[key] ? `${signed(drift.rates[key].mean)} at ${key}` : '');
    const points = ['0.0', '0.5', '0.9'].map(at).filter(Boolean).join(', ');
    lines.push(
      `Mean prediction (labels: ${signed(drift.label.mean)}, ${pct(drift.label.positive)} >= 0): ${points}; every modality masked ${signed(drift.all.mean)} (${pct(drift.all.positive)} >= 0).`,
    );
  }
  return lines.join('\n');
}
