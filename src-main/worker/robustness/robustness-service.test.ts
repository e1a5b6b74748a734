import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Metrics, RobustnessReport } from '#contract/eval';
import { robustnessScore } from '../../engine/eval/robustness-score';
import type * as AtomicWrite from '../../engine/checkpoint/atomic-write';
import type { EngineService } from '../engine-service';
import { RobustnessService } from './robustness-service';
import type { TrainingService } from '../training/training-service';
import { besideCheckpoint, homeRobustnessFile } from '../studio-home';
import { readRobustnessRecord } from '../training/checkpoint-sidecars';

/** Writes under `readOnly.dir` fail with `readOnly.code`, as in a read-only install (root ignores chmod, so tests cannot use it). */
const readOnly = vi.hoisted(() => ({ dir: '', code: '' }));
vi.mock('../../engine/checkpoint/atomic-write', async (importOriginal) => {
  const real = await importOriginal<typeof AtomicWrite>();
  return {
    ...real,
    atomicWrite: async (file: string, ...rest: unknown[]) => {
      if (readOnly.dir && file.startsWith(readOnly.dir)) throw Object.assign(new Error(`${readOnly.code}: ${file}`), { code: readOnly.code });
      return (real.atomicWrite as (f: string, ...r: unknown[]) => Promise<void>)(file, ...rest);
    },
  };
});

const metrics = (acc: number): Metrics => ({ Has0_acc_2: acc, Has0_F1_score: acc, Non0_acc_2: acc, Non0_F1_score: acc, Mult_acc_5: acc / 2, Mult_acc_7: acc / 3, MAE: 1 - acc, Corr: acc });
const rates = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [(i / 10).toFixed(1), metrics(0.8 - i * 0.03)]));
const report: RobustnessReport = {
  rates,
  score: robustnessScore(rates),
  mean: metrics(0.65),
  removed: { l: metrics(0.5), a: metrics(0.7), v: metrics(0.72) },
  meta: { n: 4, split: 'test', models: 1, seeds: [1111] },
};
const engine = { evaluate: async () => report } as unknown as EngineService;
let root: string;
let home: string;
let models: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'dar-robustness-'));
  home = join(root, 'home');
  models = join(root, 'app', 'resources', 'demo');
  readOnly.dir = models;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const sweepOf = (checkpoint: string) => ({ checkpoints: [checkpoint], dataset: models, split: 'test' as const });

describe('a sweep whose checkpoint sits in a read-only folder', () => {
  it('is kept in the studio home and found again there (the demo model of an installed app)', async () => {
    const robustness = new RobustnessService(engine, { home } as TrainingService);
    const ckpt = join(models, 'model.safetensors');
    for (const code of ['EROFS', 'EACCES', 'EPERM']) {
      readOnly.code = code;
      const record = await robustness.sweep(sweepOf(ckpt));
      expect(record).toMatchObject({ checkpoints: [ckpt], report });
      expect(existsSync(besideCheckpoint(ckpt, 'robustness'))).toBe(false);
      expect(existsSync(homeRobustnessFile(home, ckpt))).toBe(true);
      expect(await readRobustnessRecord(ckpt, home)).toEqual(record);
    }
    // the export finds it too
    await expect(robustness.exportRobustness({ checkpoint: ckpt, format: 'md' })).resolves.toMatchObject({ fileName: 'model.robustness.md' });
  });

  it('is saved beside a checkpoint whose folder can be written, and the newer of two copies wins', async () => {
    readOnly.dir = '';
    const robustness = new RobustnessService(engine, { home } as TrainingService);
    const ckpt = join(root, 'runs', 'mine.safetensors');
    const first = await robustness.sweep(sweepOf(ckpt));
    expect(existsSync(besideCheckpoint(ckpt, 'robustness'))).toBe(true);
    expect(existsSync(homeRobustnessFile(home, ckpt))).toBe(false);
    expect((await readRobustnessRecord(ckpt, home))?.createdAt).toBe(first.createdAt);
    // later the folder turned read-only: the new sweep goes home and is the one read back
    await new Promise((r) => setTimeout(r, 5));
    readOnly.dir = join(root, 'runs');
    readOnly.code = 'EACCES';
    const second = await robustness.sweep(sweepOf(ckpt));
    expect(second.createdAt > first.createdAt).toBe(true);
    expect((await readRobustnessRecord(ckpt, home))?.createdAt).toBe(second.createdAt);
  });

  it('fails on any other write error (a full disk is not a read-only install)', async () => {
    readOnly.code = 'ENOSPC';
    await expect(new RobustnessService(engine, { home } as TrainingService).sweep(sweepOf(join(models, 'model.safetensors')))).rejects.toThrow(/ENOSPC/);
  });
});
