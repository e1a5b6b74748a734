import { describe, expect, it } from 'vitest';
import type { ChartTokens } from '../charts/chart-theme';
import { SERIES_COLOURS } from '../charts/chart-theme';
import { metricCurveOption, removalBarsOption, type PlottedModel } from './figure-options';
import { fixtureReport } from '../../../../testing/renderer/fixture-report';
import { metricDef } from './robustness-format';

const T: ChartTokens = { text: '#fff', dim: '#aaa', faint: '#777', border: '#333', panel: '#111', accent: '#4e9bff' };
const models: PlottedModel[] = [
  { name: 'full', tag: 'DAR', colour: 0, report: fixtureReport(0.9) },
  { name: 'base', tag: 'k = 0', colour: 1, report: fixtureReport(0.7) },
];

interface Series {
  name: string;
  data: (number | null)[];
  lineStyle?: { color: string };
  itemStyle: { color: string };
}

describe('the robustness charts', () => {
  it('draws one line per model over the ten missing rates, accuracies in percent', () => {
    const o = metricCurveOption(metricDef('Non0_acc_2'), models, T);
    const series = o.series as Series[];
    expect((o.xAxis as { data: string[] }).data).toEqual(['0.0', '0.1', '0.2', '0.3', '0.4', '0.5', '0.6', '0.7', '0.8', '0.9']);
    expect(series.map((s) => s.name)).toEqual(['full (DAR)', 'base (k = 0)']);
    expect(series[0].data[3]).toBeCloseTo(100 * (0.9 - 0.09 + 0.02));
    expect(series[1].lineStyle?.color).toBe(SERIES_COLOURS[1]);
  });

  it('keeps MAE raw and leaves an undefined Corr as a gap', () => {
    expect((metricCurveOption(metricDef('MAE'), models, T).series as Series[])[0].data[0]).toBeCloseTo(0.7);
    expect((metricCurveOption(metricDef('Corr'), models, T).series as Series[])[0].data[9]).toBeNull();
  });

  it('puts the complete input beside each removed modality, one bar per model', () => {
    const o = removalBarsOption(metricDef('Has0_acc_2'), models, T);
    const series = o.series as Series[];
    expect((o.xAxis as { data: string[] }).data).toEqual(['complete', 'no language', 'no acoustic', 'no visual']);
    const r = models[1].report;
    expect(series[1].data).toEqual([r.rates['0.0'], r.removed.l, r.removed.a, r.removed.v].map((m) => 100 * m.Has0_acc_2!));
  });
});
