/**
 * The paper's robustness protocol (spec "Missing data" / "Training protocol" → Report): every
 * model is scored on the same corrupted copies of a split, at rates 0.0..0.9 for all modalities
 * at once (nested masks from the evaluation seed) and with each modality removed entirely.
 * Scores are averaged over models (e.g. three training seeds) and evaluation seeds.
 */
import type { Modality, PerModality, SplitData, SplitName } from '../../contract/dataset';
import type { Metrics, RobustnessReport } from '../../contract/eval';
import { DarError } from '../errors';
import { EVAL_CONDITIONS, EVAL_SEED, MODALITIES, conditionRates, drawEvalUniforms, evalMasks } from '../data/corruption';
import type { EvalCondition, SplitMasks } from '../data/corruption';
import { METRIC_KEYS, computeMetrics } from './metrics';

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

/** Scores every model under every condition and seed, then averages into one report. */
export async function evaluateRobustness(split: SplitData, predictors: readonly Predictor[], options: RobustnessOptions): Promise<RobustnessReport> {
  if (predictors.length === 0) throw new DarError('ARG_INVALID', 'robustness sweep needs at least one model');
  const seeds = options.seeds?.length ? options.seeds : [EVAL_SEED];
  const runs = new Map<EvalCondition, Metrics[]>(EVAL_CONDITIONS.map((c) => [c, []]));
  const total = predictors.length * seeds.length * EVAL_CONDITIONS.length;
  let done = 0;
  for (const seed of seeds) {
    const uniforms = drawEvalUniforms(split, options.splitName, seed);
    for (const condition of EVAL_CONDITIONS) {
      const masks = evalMasks(split, uniforms, conditionRates(condition));
      for (const predict of predictors) {
        if (options.cancelled?.()) throw new DarError('ARG_INVALID', 'robustness sweep cancelled');
        runs.get(condition)!.push(computeMetrics(await predict(split, masks), split.labels));
        options.onProgress?.(++done, total);
      }
    }
  }
  return assembleReport(runs, { n: split.n, split: options.splitName, models: predictors.length, seeds: [...seeds] });
}

function assembleReport(runs: Map<EvalCondition, Metrics[]>, meta: RobustnessReport['meta']): RobustnessReport {
  const rates: Record<string, Metrics> = {};
  const removed = {} as PerModality<Metrics>;
  for (const [condition, list] of runs) {
    const avg = averageMetrics(list);
    if (condition.kind === 'rate') rates[rateKey(condition.rate)] = avg;
    else removed[condition.modality] = avg;
  }
  return { rates, mean: averageMetrics(Object.values(rates)), removed, meta };
}

const PERCENT_KEYS = new Set(['Has0_acc_2', 'Has0_F1_score', 'Non0_acc_2', 'Non0_F1_score', 'Mult_acc_5', 'Mult_acc_7']);

function cell(key: string, v: number | null): string {
  if (v === null) return 'n/a';
  return PERCENT_KEYS.has(key) ? (100 * v).toFixed(2) : v.toFixed(4);
}

const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };

/** The report as a Markdown table for people: accuracies and F1 in percent, MAE and Corr raw. */
export function reportToMarkdown(report: RobustnessReport): string {
  const header = `| condition | ${METRIC_KEYS.join(' | ')} |`;
  const rule = `|---|${METRIC_KEYS.map(() => '---:').join('|')}|`;
  const row = (name: string, m: Metrics): string => `| ${name} | ${METRIC_KEYS.map((k) => cell(k, m[k])).join(' | ')} |`;
  const lines = [header, rule];
  for (const [key, m] of Object.entries(report.rates)) lines.push(row(`missing ${key}`, m));
  lines.push(row('**mean 0.0–0.9**', report.mean));
  for (const m of MODALITIES) lines.push(row(`no ${MODALITY_NAMES[m]}`, report.removed[m]));
  const { n, split, models, seeds } = report.meta;
  lines.push('', `${split} split, n = ${n}; averaged over ${models} model(s) and evaluation seed(s) ${seeds.join(', ')}.`);
  return lines.join('\n');
}
