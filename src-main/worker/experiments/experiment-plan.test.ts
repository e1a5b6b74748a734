import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { trainConfigFor } from '../../engine/train/config';
import { availableModelKinds } from '../../engine/model/registry';
import { experimentId, planJobs, variants } from './experiment-plan';
import type { PlanBase } from './experiment-plan';
import { useTempDir } from '../../../testing/temp-dir';

const root = useTempDir('dar-plan-');
const base = (over: Partial<PlanBase> = {}): PlanBase => ({
  kind: 'ablations',
  dataset: '/data/mosi.pkl',
  datasetName: 'mosi.pkl',
  preset: 'mosi',
  model: { d: 64 },
  train: trainConfigFor('mosi', { ablations: ['no_recon'] }),
  seeds: [1111],
  evalSeeds: [1111],
  split: 'test',
  runsRoot: root,
  ...over,
});
const DATE = new Date(2024, 5, 7, 14, 3, 9);

describe('planJobs', () => {
  it('queues Table 2: full DAR and each ablation, replacing the base ablations', () => {
    const jobs = planJobs(base(), DATE);
    expect(jobs.map((j) => j.variant)).toEqual(['full', 'no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot']);
    expect(jobs.map((j) => j.train.ablations)).toEqual([[], ['no_sim'], ['no_diff'], ['no_sim_diff'], ['no_recon'], ['no_boot']]);
    expect(jobs.every((j) => j.train.k.l === 0.3 && j.state === 'pending' && j.report === null)).toBe(true);
    expect(jobs[0].checkpoint).toBe(join(root, 'mosi.pkl', '2024-06-07T14-03-09-ablations', 'full-s1111.safetensors'));
    expect(jobs[0].id).toBe('2024-06-07T14-03-09-ablations:full-s1111');
  });

  it('queues Table 3: k from 0 (no missing-data training) to 0.5 for every modality, one job per seed', () => {
    const jobs = planJobs(base({ kind: 'k-sweep', seeds: [1111, 1112] }), DATE);
    expect(jobs).toHaveLength(12);
    expect(jobs.filter((j) => j.train.seed === 1111).map((j) => j.train.k)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5].map((k) => ({ l: k, a: k, v: k })));
    expect(jobs[0].label).toBe('k = 0 (no missing-data training) (seed 1111)');
    expect(jobs[1].train.seed).toBe(1112);
    expect(jobs.every((j) => j.train.ablations.length === 1)).toBe(true);
    expect(new Set(jobs.map((j) => j.checkpoint)).size).toBe(12);
  });

  it("queues Table 1: every model the engine trains, DAR first, full (no ablation), at the base mode, one job per seed", () => {
    const jobs = planJobs(base({ kind: 'models', seeds: [1111, 1112, 1113] }), DATE);
    const kinds = availableModelKinds();
    expect(kinds[0]).toBe('dar');
    expect(jobs).toHaveLength(kinds.length * 3);
    expect(jobs.map((j) => j.modelKind)).toEqual(kinds.flatMap((k) => [k, k, k]));
    expect(jobs.map((j) => j.variant)).toEqual(kinds.flatMap((k) => [k, k, k]));
    expect(jobs[0].label).toBe('DAR (seed 1111)');
    expect(jobs.every((j) => j.train.ablations.length === 0 && j.train.mode === 'fixed' && j.train.k.l === 0.3)).toBe(true);
    expect(jobs[0].model).toEqual({ d: 64 });
    expect(jobs[0].checkpoint).toBe(join(root, 'mosi.pkl', '2024-06-07T14-03-09-models', 'dar-s1111.safetensors'));
  });

  it('gives Table 1 one variant per model and training mode when several modes are asked', () => {
    const jobs = planJobs(base({ kind: 'models', modes: ['fixed', 'lnln'] }), DATE);
    expect(jobs.slice(0, 2).map((j) => [j.variant, j.label, j.train.mode])).toEqual([
      ['dar-fixed', 'DAR (fixed)', 'fixed'],
      ['dar-lnln', 'DAR (lnln)', 'lnln'],
    ]);
    expect(variants('models', ['uniform']).every((v) => v.mode === 'uniform' && v.modelKind)).toBe(true);
  });

  it('never reuses an experiment folder', () => {
    mkdirSync(join(root, 'mosi.pkl', '2024-06-07T14-03-09-k-sweep'), { recursive: true });
    expect(experimentId(base({ kind: 'k-sweep' }), DATE)).toBe('2024-06-07T14-03-09-k-sweep-2');
  });
});
