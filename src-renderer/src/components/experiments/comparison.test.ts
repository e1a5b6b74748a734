import { describe, expect, it } from 'vitest';
import { fakeJob, fakeReport } from '../../../../testing/renderer/fake-training';
import { comparisonRows, experimentsOf, upsertJob } from './comparison';

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
