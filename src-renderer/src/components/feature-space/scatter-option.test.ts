import { describe, expect, it } from 'vitest';
import type { ChartTokens } from '../charts/chart-theme';
import { MODALITY_COLOURS } from '../charts/chart-theme';
import { fixtureProjection } from '../../../../testing/renderer/fixture-projection';
import { pointText, scatterOption, type ScatterDatum } from './scatter-option';

const T: ChartTokens = { text: '#fff', dim: '#aaa', faint: '#777', border: '#333', panel: '#111', accent: '#4e9bff' };

interface Series {
  name: string;
  symbol: string;
  itemStyle: { color: string };
  data: ScatterDatum[];
}

describe('the feature-space scatter', () => {
  it('coloured by modality: a series per kind and modality, every point once, pointing back at its index', () => {
    const p = fixtureProjection(5);
    const series = scatterOption(p, 'modality', T).series as Series[];
    expect(series.map((s) => s.name)).toEqual([
      'language · common', 'acoustic · common', 'visual · common', 'language · specific', 'acoustic · specific', 'visual · specific',
    ]);
    expect(series[1].itemStyle.color).toBe(MODALITY_COLOURS.a);
    expect(series[3].symbol).toBe('triangle');
    const all = series.flatMap((s) => s.data);
    expect(all).toHaveLength(p.x.length);
    for (const [x, y, i, label] of all) expect([x, y, label]).toEqual([p.x[i], p.y[i], p.label[i]]);
  });

  it('coloured by label: one series per kind and a -3..3 scale on the label', () => {
    const o = scatterOption(fixtureProjection(5), 'label', T);
    expect((o.series as Series[]).map((s) => s.name)).toEqual(['common', 'specific']);
    expect(o.visualMap).toMatchObject({ dimension: 3, min: -3, max: 3 });
    expect(scatterOption(fixtureProjection(5), 'modality', T).visualMap).toBeUndefined();
  });

  it('names a point by its clip id, modality and kind, and the PCA axes by their variance', () => {
    const p = fixtureProjection(5);
    const ids = new Map(Array.from(p.clips, (c, i) => [c, p.clipIds[i]] as const));
    expect(pointText(p, ids, 5 * 4 + 2)).toBe('clip-12 · acoustic specific · label 1.00');
    expect((scatterOption(p, 'modality', T).xAxis as { name: string }).name).toBe('PC1 (40.0 % of variance)');
  });
});
