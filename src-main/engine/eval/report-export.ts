/**
 * Robustness reports as files people keep: CSV for spreadsheets and plots (full precision, one
 * row per condition) and Markdown (exactly `dar eval`'s table), plus the guard for a report
 * that comes back from a page or a saved file.
 */
import { robustnessScore } from './robustness-score';
import type { Modality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { Metrics, PredictionDrift, PredictionStats, RobustnessReport } from '#contract/eval';
import { DarError } from '../errors';
import { METRIC_KEYS } from './metrics';
import { reportToMarkdown } from './robustness';
import { isRecord } from '../guards';

const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };

/** The CSV's header: condition, rate, removed modality, then the eight metrics in MMSA's order. */
export const CSV_COLUMNS = ['condition', 'rate', 'removed', ...METRIC_KEYS] as const;

// String(x) is the shortest text that parses back to the same double: full precision, no noise.
const num = (v: number | null): string => (v === null ? '' : String(v));

/**
 * The report as CSV: a row per missing rate ("missing 0.0", rate 0.0), the mean over rates
 * ("mean 0.0-0.9"), then each modality removed ("no language", removed l). Metrics are
 * fractions at full precision; an undefined metric is an empty cell.
 */
export function robustnessCsv(report: RobustnessReport): string {
  const row = (condition: string, rate: string, removed: string, m: Metrics): string => [condition, rate, removed, ...METRIC_KEYS.map((k) => num(m[k]))].join(',');
  const lines = [CSV_COLUMNS.join(',')];
  for (const [key, m] of Object.entries(report.rates)) lines.push(row(`missing ${key}`, key, '', m));
  lines.push(row('mean 0.0-0.9', '', '', report.mean));
  for (const mod of MODALITIES) lines.push(row(`no ${MODALITY_NAMES[mod]}`, '', mod, report.removed[mod]));
  return `${lines.join('\n')}\n`;
}

/** The report as the Markdown table `dar eval` prints (percent for accuracies and F1). */
export function robustnessMarkdown(report: RobustnessReport): string {
  return `${reportToMarkdown(report)}\n`;
}

function bad(field: string, expected: string): never {
  throw new DarError('ARG_INVALID', `report.${field}: expected ${expected}`);
}


function metrics(value: unknown, field: string): Metrics {
  if (!isRecord(value)) bad(field, 'an object of the eight metrics');
  const out = {} as Metrics;
  for (const k of METRIC_KEYS) {
    const v = value[k];
    if (v !== null && (typeof v !== 'number' || !Number.isFinite(v))) bad(`${field}.${k}`, 'a finite number or null');
    out[k] = v;
  }
  return out;
}

function stats(value: unknown, field: string): PredictionStats {
  if (!isRecord(value)) bad(field, '{ mean, sd, positive }');
  for (const k of ['mean', 'sd', 'positive']) if (typeof value[k] !== 'number' || !Number.isFinite(value[k])) bad(`${field}.${k}`, 'a finite number');
  return { mean: value.mean as number, sd: value.sd as number, positive: value.positive as number };
}

function drift(value: unknown): PredictionDrift {
  if (!isRecord(value) || !isRecord(value.rates) || !isRecord(value.removed)) bad('predictions', '{ label, rates, removed, all }');
  const rates: Record<string, PredictionStats> = {};
  for (const [key, s] of Object.entries(value.rates)) rates[key] = stats(s, `predictions.rates.${key}`);
  const removed = { l: stats(value.removed.l, 'predictions.removed.l'), a: stats(value.removed.a, 'predictions.removed.a'), v: stats(value.removed.v, 'predictions.removed.v') };
  return { label: stats(value.label, 'predictions.label'), rates, removed, all: stats(value.all, 'predictions.all') };
}

/** Checks a report from outside (a page, a saved file); ARG_INVALID names the bad field. */
export function parseRobustnessReport(value: unknown): RobustnessReport {
  if (!isRecord(value)) bad('', 'an object');
  if (!isRecord(value.rates) || Object.keys(value.rates).length === 0) bad('rates', 'an object of rate -> metrics');
  const rates: Record<string, Metrics> = {};
  for (const [key, m] of Object.entries(value.rates)) {
    if (!/^(0|1)\.\d$/.test(key)) bad(`rates`, `rate keys like "0.3", got "${key.slice(0, 20)}"`);
    rates[key] = metrics(m, `rates.${key}`);
  }
  if (!isRecord(value.removed)) bad('removed', 'an object with l, a, v');
  const removed = { l: metrics(value.removed.l, 'removed.l'), a: metrics(value.removed.a, 'removed.a'), v: metrics(value.removed.v, 'removed.v') };
  const meta = value.meta;
  if (!isRecord(meta)) bad('meta', 'an object');
  if (!Number.isSafeInteger(meta.n) || !Number.isSafeInteger(meta.models)) bad('meta', '{ n, models } integers');
  if (!['train', 'valid', 'test'].includes(meta.split as string)) bad('meta.split', 'train | valid | test');
  if (!Array.isArray(meta.seeds) || !meta.seeds.every((s) => Number.isSafeInteger(s))) bad('meta.seeds', 'an array of integers');
  return {
    rates,
    mean: metrics(value.mean, 'mean'),
    removed,
    ...(value.predictions === undefined ? {} : { predictions: drift(value.predictions) }),
    // derived from the rates, so recomputed rather than trusted (and given to older reports too)
    score: robustnessScore(rates),
    meta: { n: meta.n as number, split: meta.split as RobustnessReport['meta']['split'], models: meta.models as number, seeds: [...(meta.seeds as number[])] },
  };
}
