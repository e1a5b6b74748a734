import { describe, expect, it } from 'vitest';
import { fakeJob, fakeReport } from '../../../../testing/renderer/fake-training';
import { fixtureScore } from '../../../../testing/renderer/fixture-report';
import { comparisonRows, experimentsOf, sampleSd, upsertJob } from './comparison';

describe('the experiments comparison', () => {
  it('makes one row per variant, averaging the finished seeds', () => {
    const jobs = [
      fakeJob('e1', 'full', { id: 'a', label: 'full DAR (seed 1111)', state: 'done', report: fakeReport(0.6) }),
      fakeJob('e1', 'full', { id: 'b', label: 'full DAR (seed 1112)', state: 'done', report: fakeReport(0.8) }),
      fakeJob('e1', 'no_sim', { id: 'c', state: 'evaluating' }),
      fakeJob('e0', 'full', { id: 'd', state: 'done', report: fakeReport(0.1) }),
    ];
    const rows = comparisonRows(jobs, 'e1');
    expect(rows.map((r) => [r.variant, r.label, r.state, r.done])).toEqual([
      ['full', 'full DAR', 'done', 2],
      ['no_sim', 'w/o no_sim', 'evaluating', 0],
    ]);
    expect(rows[0].metrics?.Corr).toBeCloseTo(0.7);
    expect(rows[0].checkpoint).not.toBeNull();
    expect(rows[1].metrics).toBeNull();
  });

  it("gives each model's mean ± sample sd over seeds and its robustness score (Table 1)", () => {
    const scored = (v: number, q: number) => ({ ...fakeReport(v), score: fixtureScore(q) });
    const jobs = [
      fakeJob('t1', 'dar', { id: 'a', modelKind: 'dar', state: 'done', report: scored(0.6, 0.8) }),
      fakeJob('t1', 'dar', { id: 'b', modelKind: 'dar', state: 'done', report: scored(0.8, 0.7) }),
      fakeJob('t1', 'dar', { id: 'c', modelKind: 'dar', state: 'done', report: scored(1.0, 0.9) }),
      fakeJob('t1', 'misa', { id: 'd', modelKind: 'misa', state: 'done', report: scored(0.5, 0.5) }),
    ];
    const [dar, misa] = comparisonRows(jobs, 't1');
    expect(dar.metrics?.Corr).toBeCloseTo(0.8, 12);
    expect(dar.sd?.Corr).toBeCloseTo(0.2, 12);
    const areas = [0.8, 0.7, 0.9].map((q) => fixtureScore(q).Non0_acc_2.area!);
    expect(dar.score?.mean).toBeCloseTo(areas.reduce((a, b) => a + b) / 3, 12);
    expect(dar.score?.sd).toBeCloseTo(sampleSd(areas)!, 12);
    expect(misa.sd).toBeNull();
    expect(misa.score).toEqual({ mean: fixtureScore(0.5).Non0_acc_2.area, sd: null });
    expect(sampleSd([1, 2, 3, 4])).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });

  it('shows a row as running while any of its seeds runs', () => {
    const jobs = [fakeJob('e1', 'k0', { id: 'a', state: 'done', report: fakeReport(0.5) }), fakeJob('e1', 'k0', { id: 'b', state: 'training' })];
    expect(comparisonRows(jobs, 'e1')[0].state).toBe('training');
  });

  it('groups experiments newest first and counts what is left', () => {
    const jobs = [
      fakeJob('old', 'full', { createdAt: '2026-01-01T00:00:00Z', state: 'done' }),
      fakeJob('new', 'full', { createdAt: '2026-02-01T00:00:00Z', state: 'cancelled' }),
      fakeJob('new', 'no_sim', { createdAt: '2026-02-01T00:00:00Z', state: 'pending' }),
    ];
    expect(experimentsOf(jobs).map((e) => [e.id, e.total, e.done, e.unfinished])).toEqual([
      ['new', 2, 0, 1],
      ['old', 1, 1, 0],
    ]);
  });

  it('replaces a job by id in place, or appends a new one', () => {
    const a = fakeJob('e', 'full');
    const b = fakeJob('e', 'no_sim');
    expect(upsertJob([a, b], { ...a, state: 'done' }).map((j) => j.state)).toEqual(['done', 'pending']);
    expect(upsertJob([a], b)).toHaveLength(2);
  });
});
