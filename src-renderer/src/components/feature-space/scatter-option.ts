/**
 * The feature-space scatter as an ECharts option (pure, so it is tested without a browser):
 * one series per feature kind and modality when coloured by modality, one per kind with a
 * diverging label scale when coloured by label. Common points are circles, specific triangles.
 * Each datum is [x, y, point index, label], so a click finds its point and thus its clip.
 */
import type { Modality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { FeatureProjection } from '#contract/training-methods';
import type { ColourBy } from '../../stores/feature-space';
import { axis, MODALITY_COLOURS, type ChartTokens } from '../charts/chart-theme';

/** Modality names for legends and tooltips. */
export const MODALITY_NAMES: Record<Modality, string> = { l: 'language', a: 'acoustic', v: 'visual' };
const KIND_NAMES = ['common', 'specific'] as const;
const KIND_SYMBOLS = ['circle', 'triangle'] as const;
/** Negative to positive sentiment, readable on both themes. */
export const LABEL_COLOURS = ['#e0588f', '#b9a3b4', '#4e9bff'];

/** One datum: x, y, the point's index in the projection, its clip's label. */
export type ScatterDatum = [number, number, number, number];

/** The point indices of each (kind, modality) group, in the projection's order. */
export function groupPoints(p: Pick<FeatureProjection, 'kind' | 'modality'>, byModality: boolean): { kind: 0 | 1; modality: Modality | null; points: number[] }[] {
  const groups = new Map<string, { kind: 0 | 1; modality: Modality | null; points: number[] }>();
  for (let i = 0; i < p.kind.length; i++) {
    const kind = p.kind[i] as 0 | 1;
    const modality = byModality ? MODALITIES[p.modality[i]] : null;
    const key = `${kind}${modality ?? ''}`;
    if (!groups.has(key)) groups.set(key, { kind, modality, points: [] });
    groups.get(key)!.points.push(i);
  }
  return [...groups.values()];
}

/** A point's tooltip: clip id, modality, feature kind and label. */
export function pointText(p: FeatureProjection, clipIds: ReadonlyMap<number, string>, i: number): string {
  const id = clipIds.get(p.clip[i]) ?? String(p.clip[i]);
  return `${id} · ${MODALITY_NAMES[MODALITIES[p.modality[i]]]} ${KIND_NAMES[p.kind[i]]} · label ${p.label[i].toFixed(2)}`;
}

function axisName(p: FeatureProjection, i: 0 | 1): string {
  const base = p.method === 'pca' ? `PC${i + 1}` : `UMAP ${i + 1}`;
  return p.explained ? `${base} (${(100 * p.explained[i]).toFixed(1)} % of variance)` : base;
}

/** The scatter option for a projection, coloured by modality or by label. */
export function scatterOption(p: FeatureProjection, colourBy: ColourBy, t: ChartTokens): Record<string, unknown> {
  const clipIds = new Map(Array.from(p.clips, (c, i) => [c, p.clipIds[i]] as const));
  const byModality = colourBy === 'modality';
  const series = groupPoints(p, byModality).map((g) => ({
    type: 'scatter',
    name: g.modality ? `${MODALITY_NAMES[g.modality]} · ${KIND_NAMES[g.kind]}` : KIND_NAMES[g.kind],
    symbol: KIND_SYMBOLS[g.kind],
    symbolSize: g.kind === 0 ? 7 : 8,
    itemStyle: { color: g.modality ? MODALITY_COLOURS[g.modality] : t.dim, opacity: 0.8, borderColor: t.panel, borderWidth: 0.5 },
    emphasis: { scale: 1.8, itemStyle: { opacity: 1, borderColor: t.text, borderWidth: 1 } },
    data: g.points.map((i): ScatterDatum => [p.x[i], p.y[i], i, p.label[i]]),
    large: g.points.length > 4000,
  }));
  const option: Record<string, unknown> = {
    grid: { left: 56, right: byModality ? 24 : 96, top: 40, bottom: 48 },
    legend: { top: 4, left: 8, textStyle: { color: t.dim, fontSize: 11 }, inactiveColor: t.faint },
    tooltip: {
      trigger: 'item',
      className: 'scatter-tooltip',
      formatter: (e: { value: ScatterDatum }) => pointText(p, clipIds, e.value[2]),
    },
    xAxis: axis(t, { type: 'value', scale: true, name: axisName(p, 0), nameLocation: 'middle', nameGap: 28 }),
    yAxis: axis(t, { type: 'value', scale: true, name: axisName(p, 1), nameLocation: 'middle', nameGap: 40 }),
    series,
  };
  if (!byModality) {
    option.visualMap = {
      type: 'continuous', dimension: 3, min: -3, max: 3, calculable: false, orient: 'vertical', right: 8, top: 'middle',
      itemHeight: 140, text: ['+3 positive', '−3 negative'], textStyle: { color: t.dim, fontSize: 11 },
      inRange: { color: LABEL_COLOURS },
    };
  }
  return option;
}
