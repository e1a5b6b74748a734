import { describe, expect, it } from 'vitest';
import { epochRecord, fakeRun } from '../../../../testing/renderer/fake-training';
import type { ChartTokens } from '../charts/chart-theme';
import { MAX_STEP_POINTS } from './curve-data';
import { epochExtent, metricData, metricOption, termData, termOption } from './curve-options';

const T: ChartTokens = { text: '#fff', dim: '#aaa', faint: '#777', border: '#333', panel: '#111', accent: '#4e9bff' };
type Series = { data: [number, number][]; markLine?: { data: { xAxis: number }[] } };
const series = (o: Record<string, unknown>): Series[] => o.series as Series[];

describe('the training charts', () => {
  it('draws a loss term as training steps and validation per epoch at the epoch ends', () => {
    const run = fakeRun('running', 3);
    const o = termOption(T, { steps: run.steps, history: run.history, selectedEpoch: 2, epochs: 30 }, 'sel');
    const [steps, valid] = series(o);
    expect(steps.data).toHaveLength(6);
    expect(valid.data).toEqual(run.history.map((r) => [r.epoch + 1, expect.closeTo(r.valid.sel, 5)]));
    // The axis fits the run so far (3 epochs), not the 30 planned.
    expect((o.xAxis as { max: number }).max).toBe(3);
  });

  it('marks the selected epoch, and nothing before the first epoch ends', () => {
    const run = fakeRun('running', 3);
    const c = { steps: run.steps, history: run.history, selectedEpoch: 1, epochs: 30 };
    expect(series(termOption(T, c, 'task'))[0].markLine?.data).toEqual([{ xAxis: 2 }]);
    expect(series(metricOption(T, c, 'MAE'))[0].markLine?.data).toEqual([{ xAxis: 2 }]);
    const none = termOption(T, { ...c, history: [], selectedEpoch: -1 }, 'task');
    expect(series(none)[0].markLine?.data).toEqual([]);
  });

  it('updates live with data only, matching what a full build draws', () => {
    const run = fakeRun('running', 2);
    const c = { steps: run.steps, history: run.history, selectedEpoch: 1, epochs: 30 };
    const patch = termData(c, 'club');
    expect(Object.keys(patch).sort()).toEqual(['series', 'xAxis']);
    series(patch).forEach((s, i) => expect(s.data).toEqual(series(termOption(T, c, 'club'))[i].data));
    expect(series(metricData(c, 'Corr'))[0].data).toEqual(series(metricOption(T, c, 'Corr'))[0].data);
  });

  it('leaves the selected-epoch line out of a live update that does not move it', () => {
    const run = fakeRun('running', 2);
    const c = { steps: run.steps, history: run.history, selectedEpoch: 1, epochs: 30 };
    expect(series(termData(c, 'task', false))[0].markLine).toBeUndefined();
    expect(series(metricData(c, 'MAE', false))[0].markLine).toBeUndefined();
    expect(series(termData(c, 'task'))[0].markLine?.data).toEqual([{ xAxis: 2 }]);
  });

  it('keeps a long run to the point budget per curve', () => {
    const n = 50_000;
    const col = (): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const steps = { x: Float32Array.from({ length: n }, (_, i) => i / 500), terms: { task: col(), sim: col(), diff: col(), re: col(), recon: col(), total: col(), sel: col(), club: col() } };
    const c = { steps, history: [epochRecord(0, 1)], selectedEpoch: 0, epochs: 100 };
    expect(series(termData(c, 'recon'))[0].data.length).toBeLessThanOrEqual(MAX_STEP_POINTS);
    expect(epochExtent(c)).toBe(100);
  });
});
