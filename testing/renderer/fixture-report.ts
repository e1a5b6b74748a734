/**
 * Synthetic robustness reports and checkpoint entries for the robustness view's unit tests:
 * metrics fall linearly with the missing rate, so every value is known.
 */
import type { Metrics, RobustnessReport } from '#contract/eval';
import type { CheckpointEntry, RobustnessRecord } from '#contract/training-methods';

/** Metrics at missing rate `r` for a model of quality `q` (0..1). */
export function fixtureMetrics(q: number, r: number): Metrics {
  const acc = q - 0.3 * r;
  return {
    Has0_acc_2: acc, Has0_F1_score: acc - 0.01, Non0_acc_2: acc + 0.02, Non0_F1_score: acc + 0.01,
    Mult_acc_5: acc / 2, Mult_acc_7: acc / 2.5, MAE: 0.7 + r, Corr: r === 0.9 ? null : q - r / 2,
  };
}

/** A report of ten rates 0.0..0.9, their mean and the three removals. */
export function fixtureReport(q: number): RobustnessReport {
  const rates: Record<string, Metrics> = {};
  for (let i = 0; i < 10; i++) rates[(i / 10).toFixed(1)] = fixtureMetrics(q, i / 10);
  return {
    rates,
    mean: fixtureMetrics(q, 0.45),
    removed: { l: fixtureMetrics(q, 0.8), a: fixtureMetrics(q, 0.2), v: fixtureMetrics(q, 0.1) },
    meta: { n: 40, split: 'test', models: 1, seeds: [1111] },
  };
}

/** A saved sweep of one checkpoint. */
export function fixtureRecord(path: string, q: number, createdAt = '2026-01-01T00:00:00.000Z'): RobustnessRecord {
  return { format: 'dar-robustness/1', checkpoints: [path], dataset: '/demo', split: 'test', seeds: [1111], createdAt, report: fixtureReport(q) };
}

/** A checkpoint entry as listCheckpoints gives it. */
export function fixtureEntry(path: string, options: Partial<CheckpointEntry> = {}): CheckpointEntry {
  return {
    path, name: path.split('/').pop()!, source: 'run', dataset: { name: 'demo', synthetic: true, path: '/demo' }, preset: 'demo',
    modelKind: 'dar',
    model: {} as CheckpointEntry['model'],
    train: { k: { l: 0.3, a: 0.3, v: 0.3 }, ablations: [] } as unknown as CheckpointEntry['train'],
    selectedEpoch: 3, selected: null, history: [], backend: 'wasm', createdAt: '2026-01-01T00:00:00.000Z', bytes: 1, open: false,
    fitsOpenDataset: true, running: false, resumable: null, jobId: null, robustness: null, ...options,
  };
}
