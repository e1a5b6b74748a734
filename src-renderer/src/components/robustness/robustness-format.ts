/**
 * What the robustness view shows of a report, as pure data: the metrics and how they are
 * written (the precision of `dar eval`'s table: accuracies and F1 in percent with 2 decimals,
 * MAE and Corr with 4), the paper-style table rows, and the merge of per-model exports.
 */
import type { CheckpointEntry } from '#contract/training-methods';
import type { Metrics, RobustnessReport } from '#contract/eval';
import type { ModelKind } from '#contract/model';
import { MODALITIES } from '#contract/dataset';
import { kindLabel } from '../models/model-kind';

/** A metric key of MMSA's eight. */
export type MetricKey = keyof Metrics;

/** One metric as the view draws it. */
export interface MetricDef {
  key: MetricKey;
  title: string;
  /** Shown in percent (accuracies, F1). */
  percent: boolean;
  /** Lower is better (MAE). */
  lowerBetter: boolean;
}

const def = (key: MetricKey, title: string, percent = true, lowerBetter = false): MetricDef => ({ key, title, percent, lowerBetter });

/** The paper's Figure 4 small multiples, one chart each, in reading order. */
export const FIGURE_METRICS: readonly MetricDef[] = [
  def('Non0_acc_2', 'Acc-2 (Non0)'),
  def('Has0_acc_2', 'Acc-2 (Has0)'),
  def('Non0_F1_score', 'F1 (Non0)'),
  def('Has0_F1_score', 'F1 (Has0)'),
  def('Mult_acc_5', 'Acc-5'),
  def('Mult_acc_7', 'Acc-7'),
  def('MAE', 'MAE', false, true),
  def('Corr', 'Corr', false),
];

/** A metric's definition by key. */
export function metricDef(key: MetricKey): MetricDef {
  return FIGURE_METRICS.find((m) => m.key === key)!;
}

/** A metric value at the precision `dar eval` prints ('n/a' when undefined). */
export function formatMetric(key: MetricKey, value: number | null): string {
  if (value === null) return 'n/a';
  return metricDef(key).percent ? (100 * value).toFixed(2) : value.toFixed(4);
}

/** The value a chart plots: percent for accuracies and F1, raw otherwise. */
export function plotValue(key: MetricKey, value: number | null): number | null {
  if (value === null) return null;
  return metricDef(key).percent ? 100 * value : value;
}

/** A column of the paper-style table; two keys = "Has0 / Non0" in one cell, as the paper writes them. */
export interface TableColumn {
  title: string;
  keys: readonly MetricKey[];
  lowerBetter: boolean;
}

/** Table 1's columns. */
export const TABLE_COLUMNS: readonly TableColumn[] = [
  { title: 'Acc-2', keys: ['Has0_acc_2', 'Non0_acc_2'], lowerBetter: false },
  { title: 'F1', keys: ['Has0_F1_score', 'Non0_F1_score'], lowerBetter: false },
  { title: 'Acc-5', keys: ['Mult_acc_5'], lowerBetter: false },
  { title: 'Acc-7', keys: ['Mult_acc_7'], lowerBetter: false },
  { title: 'MAE', keys: ['MAE'], lowerBetter: true },
  { title: 'Corr', keys: ['Corr'], lowerBetter: false },
];

/** The text of one table cell. */
export function cellText(column: TableColumn, m: Metrics): string {
  return column.keys.map((k) => formatMetric(k, m[k])).join(' / ');
}

/** One row of the table: a condition of one model's report. */
export interface TableRow {
  /** 'mean', a rate key such as '0.3', or 'no-l' / 'no-a' / 'no-v'. */
  condition: string;
  label: string;
  metrics: Metrics;
}

const REMOVED = { l: 'no language', a: 'no acoustic', v: 'no visual' } as const;

/**
 * A report's rows: the mean over rates, then (on demand) the robustness score of every metric
 * (the normalised area under its curve), each rate and each modality removed.
 */
export function tableRows(report: RobustnessReport, detailed: boolean): TableRow[] {
  const rows: TableRow[] = [{ condition: 'mean', label: 'mean 0.0–0.9', metrics: report.mean }];
  if (!detailed) return rows;
  const areas = scoreAreas(report);
  if (areas) rows.push({ condition: 'area', label: 'robustness (area)', metrics: areas });
  for (const [rate, m] of Object.entries(report.rates)) rows.push({ condition: rate, label: `missing ${rate}`, metrics: m });
  for (const mod of MODALITIES) rows.push({ condition: `no-${mod}`, label: REMOVED[mod], metrics: report.removed[mod] });
  return rows;
}

/** Every metric's robustness area as a Metrics record (null for a report made before scores existed). */
export function scoreAreas(report: RobustnessReport): Metrics | null {
  const s = report.score;
  if (!s) return null;
  return Object.fromEntries(FIGURE_METRICS.map((m) => [m.key, s[m.key].area])) as unknown as Metrics;
}

/** The metric the compact table's one robustness number is: Non0 Acc-2's area. */
export const SCORE_METRIC: MetricKey = 'Non0_acc_2';

/** Why the "Robust." column means what it does (its header's title). */
export const SCORE_TITLE =
  'Robustness score: the area under the Non0 Acc-2 vs missing-rate curve (0.0–0.9, trapezoids) divided by the span, ' +
  "as OpenVNA scores robustness; one number for the whole curve, in %. Higher holds up better. The detailed table gives every metric's area.";

/** A report's one robustness number (Non0 Acc-2 area, a fraction), null when the report has no score. */
export function scoreValue(report: RobustnessReport): number | null {
  return report.score?.[SCORE_METRIC].area ?? null;
}

const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;

/**
 * Where a report's predictions sit as data goes missing, in one line: the mean prediction at the
 * lowest and highest rate and with every modality masked, beside the labels' mean. Null for a
 * report made before reports carried it.
 */
export function driftText(report: RobustnessReport): string | null {
  const d = report.predictions;
  if (!d) return null;
  const rates = reportRates(d);
  if (rates.length === 0) return null;
  const [lo, hi] = [rates[0], rates[rates.length - 1]];
  return `mean prediction ${signed(d.rates[lo].mean)} at ${lo} → ${signed(d.rates[hi].mean)} at ${hi} (${Math.round(100 * d.rates[hi].positive)} % ≥ 0), ${signed(d.all.mean)} with every modality masked; labels ${signed(d.label.mean)}`;
}

/** The rates of a report, sorted (the x axis of the figure). */
export function reportRates(report: { rates: Record<string, unknown> }): string[] {
  return Object.keys(report.rates).sort((a, b) => Number(a) - Number(b));
}

/** What a checkpoint is, for legends: its model kind, then the ablation or the k = 0 baseline. */
export function modelTag(entry: Pick<CheckpointEntry, 'source' | 'train'> & { modelKind?: ModelKind }): string {
  const { k, ablations } = entry.train;
  const kind = kindLabel(entry);
  if (ablations.length) return `${kind} w/o ${ablations.map((a) => a.replace(/^no_/, '').replace('_', '+')).join(', ')}`;
  if (k.l === 0 && k.a === 0 && k.v === 0) return `${kind} k = 0`;
  return kind;
}

/** A checkpoint's short name for legends and rows (the demo model says so). */
export function modelName(entry: Pick<CheckpointEntry, 'source' | 'name'>): string {
  return entry.source === 'demo' ? 'demo model' : entry.name.replace(/\.safetensors$/, '');
}

/** A CSV field, quoted when it must be. */
function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One model's export text and its name. */
export interface NamedExport {
  model: string;
  text: string;
}

/** Several models' CSV exports as one CSV with a leading `model` column (the header once). */
export function mergeCsv(parts: readonly NamedExport[]): string {
  const lines: string[] = [];
  parts.forEach((p, i) => {
    const [header, ...rows] = p.text.split('\n').filter((l) => l.length > 0);
    if (i === 0) lines.push(`model,${header}`);
    for (const r of rows) lines.push(`${csvField(p.model)},${r}`);
  });
  return `${lines.join('\n')}\n`;
}

/** Several models' Markdown exports, one titled section each. */
export function mergeMarkdown(parts: readonly NamedExport[]): string {
  return parts.map((p) => `## ${p.model}\n\n${p.text.trimEnd()}\n`).join('\n');
}
