/**
 * ECharts options of the training view: one small chart per loss term (training steps and the
 * validation value per epoch) and per validation metric, each marking the selected epoch (the
 * one whose weights the checkpoint holds). The full option is built once (and on a theme
 * change); live updates merge only the data (`*Data`), one chart per frame, so no redraw ever
 * holds the renderer for long.
 */
import type { StepTrace } from '#contract/training-methods';
import type { EpochRecord } from '#contract/train';
import { SERIES_COLOURS, axis, type ChartTokens } from '../charts/chart-theme';
import { metricCurve, stepCurve, validCurve, type VALID_METRICS } from './curve-data';

/** What the curves are drawn from. */
export interface CurveInput {
  steps: StepTrace;
  history: readonly EpochRecord[];
  /** 0-based; -1 before the first epoch ends. */
  selectedEpoch: number;
  /** Planned epochs (what the progress bar measures against). */
  epochs: number;
}

/** A validation metric key drawn per epoch. */
export type MetricKey = (typeof VALID_METRICS)[number]['key'];

/** Series colours: training steps, validation per epoch. */
export const CURVE_COLOURS = { steps: SERIES_COLOURS[0], valid: SERIES_COLOURS[1] } as const;

/** The x axis runs to the whole epoch past the data (not the planned epochs: early stopping may end far sooner). */
export function epochExtent(c: CurveInput): number {
  const lastStep = c.steps.x.length ? c.steps.x[c.steps.x.length - 1] : 0;
  const lastEpoch = c.history.length ? c.history[c.history.length - 1].epoch + 1 : 0;
  return Math.max(1, Math.ceil(Math.max(lastStep, lastEpoch) - 1e-6));
}

/** The selected epoch's line (no line before the first epoch ends). */
function selectedMark(c: CurveInput): Record<string, unknown> {
  return { data: c.selectedEpoch >= 0 ? [{ xAxis: c.selectedEpoch + 1 }] : [] };
}

function frame(t: ChartTokens, series: Record<string, unknown>[]): Record<string, unknown> {
  const mark = { silent: true, symbol: 'none', animation: false, label: { show: false }, lineStyle: { color: t.text, opacity: 0.55, type: 'dashed', width: 1.2 } };
  return {
    legend: { show: false },
    grid: { left: 44, right: 10, top: 8, bottom: 22 },
    xAxis: axis(t, { type: 'value', min: 0, max: 1, minInterval: 1, splitLine: { show: false } }),
    yAxis: axis(t, { type: 'value', scale: true, splitNumber: 3 }),
    series: series.map((s, i) => (i === 0 ? { ...s, markLine: mark } : s)),
  };
}

function line(name: string, colour: string, valid: boolean): Record<string, unknown> {
  // Unclipped, so the newest epoch's dot on the axis end is drawn whole.
  const style = valid ? { showSymbol: true, symbolSize: 5, clip: false, lineStyle: { width: 1.5, color: colour } } : { showSymbol: false, lineStyle: { width: 1.2, color: colour } };
  return { type: 'line', name, data: [], itemStyle: { color: colour }, ...style };
}

/** The selected-epoch line only when `mark` (re-merging an unchanged marker costs every live update). */
function markPart(c: CurveInput, mark: boolean): Record<string, unknown> {
  return mark ? { markLine: selectedMark(c) } : {};
}

/** What changes as a run goes for one loss term: its data, the x extent and (with `mark`) the selected epoch. */
export function termData(c: CurveInput, key: string, mark = true): Record<string, unknown> {
  return { xAxis: { max: epochExtent(c) }, series: [{ data: stepCurve(c.steps, key), ...markPart(c, mark) }, { data: validCurve(c.history, key) }] };
}

/** One loss term: training steps (capped) and validation per epoch, the selected epoch marked. */
export function termOption(t: ChartTokens, c: CurveInput, key: string): Record<string, unknown> {
  return withData(frame(t, [line('train (per step)', CURVE_COLOURS.steps, false), line('validation (per epoch)', CURVE_COLOURS.valid, true)]), termData(c, key));
}

/** What changes as a run goes for one validation metric. */
export function metricData(c: CurveInput, key: MetricKey, mark = true): Record<string, unknown> {
  return { xAxis: { max: epochExtent(c) }, series: [{ data: metricCurve(c.history, key), ...markPart(c, mark) }] };
}

/** One validation metric per epoch, the selected epoch marked. */
export function metricOption(t: ChartTokens, c: CurveInput, key: MetricKey): Record<string, unknown> {
  return withData(frame(t, [line('validation', CURVE_COLOURS.valid, true)]), metricData(c, key));
}

type Opt = Record<string, unknown>;

/** The full option with a data patch applied (what ECharts' merge makes of them). */
function withData(full: Opt, data: Opt): Opt {
  const series = (full.series as Opt[]).map((s, i) => {
    const p = (data.series as Opt[])[i] ?? {};
    return { ...s, ...p, ...(p.markLine ? { markLine: { ...(s.markLine as Opt), ...(p.markLine as Opt) } } : {}) };
  });
  return { ...full, xAxis: { ...(full.xAxis as Opt), ...(data.xAxis as Opt) }, series };
}
