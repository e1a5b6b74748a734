/**
 * ECharts options of the robustness view (pure): one small multiple per metric against the
 * missing rate (the paper's Figure 4), and the per-modality removal bars; one series per model,
 * coloured by the model's stable palette slot.
 */
import type { Metrics } from '#contract/eval';
import { axis, SERIES_COLOURS, type ChartTokens } from '../charts/chart-theme';
import { formatMetric, plotValue, reportRates, type MetricDef, type MetricKey } from './robustness-format';

/** What a chart needs of a shown model. */
export interface PlottedModel {
  name: string;
  tag: string;
  colour: number;
  report: { rates: Record<string, Metrics>; removed: { l: Metrics; a: Metrics; v: Metrics } };
}

/** A model's series colour. */
export function modelColour(colour: number): string {
  return SERIES_COLOURS[colour % SERIES_COLOURS.length];
}

/** A model's legend text. */
export function legendName(m: Pick<PlottedModel, 'name' | 'tag'>): string {
  return m.tag ? `${m.name} (${m.tag})` : m.name;
}

interface AxisTip {
  seriesName: string;
  marker: string;
  axisValueLabel: string;
  value: number | null;
}

function tooltip(key: MetricKey, suffix: string): Record<string, unknown> {
  return {
    trigger: 'axis',
    formatter: (items: AxisTip[]) => {
      const head = items[0] ? `${suffix}${items[0].axisValueLabel}` : '';
      const lines = items.map((i) => `${i.marker}${i.seriesName}: <b>${formatMetric(key, i.value === null ? null : plotToFraction(key, i.value))}</b>`);
      return [head, ...lines].join('<br/>');
    },
  };
}

function plotToFraction(key: MetricKey, v: number): number {
  return key === 'MAE' || key === 'Corr' ? v : v / 100;
}

/** One small multiple: a metric against the missing rate 0.0..0.9, a line per model. */
export function metricCurveOption(metric: MetricDef, models: readonly PlottedModel[], t: ChartTokens): Record<string, unknown> {
  const rates = models.length ? reportRates(models[0].report) : [];
  return {
    title: { text: metric.title, left: 'center', top: 2, textStyle: { color: t.text, fontSize: 12, fontWeight: 600 } },
    legend: { show: false },
    grid: { left: 46, right: 12, top: 30, bottom: 34 },
    tooltip: tooltip(metric.key, 'missing rate '),
    xAxis: axis(t, { type: 'category', data: rates, boundaryGap: false, name: 'missing rate', nameLocation: 'middle', nameGap: 22, splitLine: { show: false } }),
    yAxis: axis(t, { type: 'value', scale: true, name: metric.percent ? '%' : '', nameGap: 6, axisLabel: { color: t.dim, fontSize: 10 } }),
    series: models.map((m) => ({
      type: 'line',
      name: legendName(m),
      data: rates.map((r) => plotValue(metric.key, m.report.rates[r]?.[metric.key] ?? null)),
      symbol: 'circle',
      symbolSize: 5,
      lineStyle: { width: 2, color: modelColour(m.colour) },
      itemStyle: { color: modelColour(m.colour) },
    })),
  };
}

/** The conditions of the removal bars: the complete input as the reference, then each modality removed. */
export const REMOVAL_CONDITIONS = [
  { id: 'complete', title: 'complete' },
  { id: 'l', title: 'no language' },
  { id: 'a', title: 'no acoustic' },
  { id: 'v', title: 'no visual' },
] as const;

function removalValue(m: PlottedModel, id: (typeof REMOVAL_CONDITIONS)[number]['id'], key: MetricKey): number | null {
  const metrics = id === 'complete' ? m.report.rates['0.0'] : m.report.removed[id];
  return plotValue(key, metrics?.[key] ?? null);
}

/** Bars of one metric with each modality removed (and the complete input), a bar per model. */
export function removalBarsOption(metric: MetricDef, models: readonly PlottedModel[], t: ChartTokens): Record<string, unknown> {
  return {
    legend: { top: 0, textStyle: { color: t.dim, fontSize: 11 } },
    grid: { left: 44, right: 12, top: 48, bottom: 28 },
    tooltip: { ...tooltip(metric.key, ''), axisPointer: { type: 'shadow' } },
    xAxis: axis(t, { type: 'category', data: REMOVAL_CONDITIONS.map((c) => c.title), splitLine: { show: false }, axisLabel: { color: t.dim, fontSize: 11, interval: 0 } }),
    yAxis: axis(t, { type: 'value', name: metric.percent ? '%' : '', nameGap: 8 }),
    series: models.map((m) => ({
      type: 'bar',
      name: legendName(m),
      barMaxWidth: 28,
      itemStyle: { color: modelColour(m.colour), borderRadius: [3, 3, 0, 0] },
      data: REMOVAL_CONDITIONS.map((c) => removalValue(m, c.id, metric.key)),
    })),
  };
}
