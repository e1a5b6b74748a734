/**
 * The studio's look for ECharts, read from the same CSS tokens as the rest of the UI, so a chart
 * is readable in the light and the dark theme. Views build their options with these helpers.
 */
import { token } from '../../composables/useTheme';

/** Series colours, distinguishable in both themes (Okabe-Ito based). */
export const SERIES_COLOURS = ['#4e9bff', '#f4a531', '#3fb58f', '#e0588f', '#a78bfa', '#56c3d6', '#d9c23f', '#ef6f4f'];

/** Modality colours used across the studio (language, acoustic, visual). */
export const MODALITY_COLOURS = { l: '#4e9bff', a: '#3fb58f', v: '#e0588f' } as const;

/** The theme tokens a chart needs. */
export interface ChartTokens {
  text: string;
  dim: string;
  faint: string;
  border: string;
  panel: string;
  accent: string;
}

/** Reads the chart tokens of the current theme. */
export function chartTokens(): ChartTokens {
  return {
    text: token('--text') || '#e4e8ee',
    dim: token('--text-dim') || '#98a2b0',
    faint: token('--text-faint') || '#6b7584',
    border: token('--border') || '#2a313c',
    panel: token('--panel') || '#161a20',
    accent: token('--accent') || '#4e9bff',
  };
}

/** An axis in the studio's style (category or value). */
export function axis(t: ChartTokens, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    axisLine: { lineStyle: { color: t.border } },
    axisTick: { lineStyle: { color: t.border } },
    axisLabel: { color: t.dim, fontSize: 11 },
    splitLine: { lineStyle: { color: t.border, opacity: 0.6 } },
    nameTextStyle: { color: t.dim, fontSize: 11 },
    ...extra,
  };
}

/** The options every chart shares: palette, text, tooltip and legend styling. */
export function baseOption(t: ChartTokens): Record<string, unknown> {
  return {
    color: SERIES_COLOURS,
    backgroundColor: 'transparent',
    textStyle: { color: t.text, fontFamily: 'Inter, Segoe UI, system-ui, sans-serif' },
    animation: false,
    tooltip: {
      trigger: 'axis',
      backgroundColor: t.panel,
      borderColor: t.border,
      textStyle: { color: t.text, fontSize: 12 },
    },
    legend: { textStyle: { color: t.dim, fontSize: 11 }, inactiveColor: t.faint, top: 0, type: 'scroll' },
    grid: { left: 48, right: 16, top: 32, bottom: 32, containLabel: false },
  };
}
