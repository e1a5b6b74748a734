/**
 * The training and experiment methods for unit tests of the training and experiments stores:
 * fakeStudio() with scripted answers for trainingDefaults, start/stop/resume, trainingStatus,
 * listCheckpoints, openCheckpoint and the job queue, every call recorded.
 */
import type { StudioApi } from '#contract/api';
import type { ErrorInfo, Result } from '#contract/errors';
import type { Metrics } from '#contract/eval';
import type { CheckpointEntry, ExperimentJob, JobList, TrainingDefaults, TrainingRun, TrainingStatus } from '#contract/training-methods';
import type { LossTerms } from '#contract/model';
import type { EpochRecord } from '#contract/train';
import { fakeStudio, type FakeStudio } from './fake-studio';

const ok = <T>(value: T): Promise<Result<T>> => Promise.resolve({ ok: true, value });
const fail = (error: ErrorInfo): Promise<Result<never>> => Promise.resolve({ ok: false, error });

/** Loss terms with every value `v`. */
export function terms(v: number): LossTerms {
  return { task: v, sim: v, diff: v, re: v, recon: v, total: v, sel: v, club: v };
}

/** Metrics with every value `v`. */
export function metrics(v: number): Metrics {
  return { Has0_acc_2: v, Has0_F1_score: v, Non0_acc_2: v, Non0_F1_score: v, Mult_acc_5: v, Mult_acc_7: v, MAE: v, Corr: v };
}

/** An epoch record whose terms and metrics are all `v`. */
export function epochRecord(epoch: number, v: number, best = true): EpochRecord {
  return { epoch, lr: 1e-3, train: terms(v), valid: terms(v), validMetrics: metrics(v), seconds: 1, best };
}

/** The worker's defaults for a preset. */
export function defaultsFor(preset: TrainingDefaults['preset']): TrainingDefaults {
  return {
    preset,
    model: { d: 128, t: 16, heads: 4, dropout: 0.1, lambda: 0.7, alpha: 0.1, beta: 0.1, tau: 0.1 },
    train: { k: { l: 0.3, a: 0.3, v: 0.3 }, mode: 'fixed', epochs: preset === 'demo' ? 30 : 100, lr: preset === 'demo' ? 1e-3 : 1e-4, batchSize: preset === 'demo' ? 32 : 64, weightDecay: 1e-4, clipNorm: 2, clubLr: 1e-4, seed: 1111, patience: 20, validRate: 0.5, ablations: [] },
    presets: ['mosi', 'mosei', 'demo'],
    modes: ['fixed', 'uniform', 'lnln'],
    ablations: ['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'],
    models: [{ kind: 'dar', label: 'DAR', defaults: { d: 128, t: 16, heads: 4, dropout: 0.1, lambda: 0.7, alpha: 0.1, beta: 0.1, tau: 0.1 } }],
    runsRoot: '/home/runs',
  };
}

/** A run in `state` with `epochs` finished epochs and two steps per epoch. */
export function fakeRun(state: TrainingRun['state'], epochs = 0, checkpoint = '/home/runs/demo/a.safetensors'): TrainingRun {
  const d = defaultsFor('demo');
  const n = epochs * 2;
  const x = Float32Array.from({ length: n }, (_, i) => (i + 1) / 2);
  const col = (): Float32Array => Float32Array.from({ length: n }, (_, i) => 3 - i * 0.1);
  return {
    checkpoint, dataset: { name: 'fake', path: '/fake', synthetic: true }, preset: 'demo', modelKind: 'dar',
    model: { ...d.model, inputDims: { l: 8, a: 4, v: 4 }, seqLen: { l: 10, a: 20, v: 20 } }, train: d.train, backend: 'WebAssembly (SIMD, 1 thread)',
    jobId: null, state, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: null, resumedFrom: null,
    progress: epochs ? { kind: 'epoch', epoch: epochs - 1, epochs: 30, step: 2, steps: 2, elapsedMs: 1000, etaMs: 5000 } : null,
    history: Array.from({ length: epochs }, (_, i) => epochRecord(i, 2 - i * 0.1)),
    selectedEpoch: epochs - 1,
    steps: { x, terms: { task: col(), sim: col(), diff: col(), re: col(), recon: col(), total: col(), sel: col(), club: col() } },
    summary: null, error: null,
  };
}

/** A checkpoint entry of the list. */
export function fakeEntry(path: string, patch: Partial<CheckpointEntry> = {}): CheckpointEntry {
  const run = fakeRun('finished', 2, path);
  return {
    path, name: path.split('/').pop()!, source: 'run', dataset: { name: 'fake', synthetic: true, path: '/fake' }, preset: 'demo', modelKind: 'dar', model: run.model, train: run.train,
    selectedEpoch: 1, selected: { valid: terms(1), metrics: metrics(0.8) }, history: run.history, backend: run.backend, createdAt: '2026-01-01T00:00:00.000Z', bytes: 2048,
    open: false, fitsOpenDataset: true, running: false, resumable: null, jobId: null, robustness: null, ...patch,
  };
}

/** A job of experiment `experiment`. */
export function fakeJob(experiment: string, variant: string, patch: Partial<ExperimentJob> = {}): ExperimentJob {
  const d = defaultsFor('demo');
  return {
    id: `${experiment}:${variant}-s1111`, experiment, kind: 'ablations', variant, label: variant === 'full' ? 'full DAR' : `w/o ${variant}`, dataset: '/fake', datasetName: 'fake',
    preset: 'demo', model: {}, train: d.train, split: 'test', evalSeeds: [1111], checkpoint: `/home/runs/fake/${experiment}/${variant}-s1111.safetensors`,
    state: 'pending', createdAt: '2026-01-01T00:00:00.000Z', startedAt: null, finishedAt: null, training: null, report: null, error: null, ...patch,
  };
}

/** A report whose mean metrics are all `v`. */
export function fakeReport(v: number): NonNullable<ExperimentJob['report']> {
  return { rates: { '0.0': metrics(v) }, mean: metrics(v), removed: { l: metrics(v), a: metrics(v), v: metrics(v) }, meta: { n: 8, split: 'test', models: 1, seeds: [1111] } };
}

/** What the fake answers; tests change it between calls. */
export interface TrainingScript {
  status: TrainingStatus;
  checkpoints: CheckpointEntry[];
  jobs: JobList;
  /** When set, startTraining fails with it. */
  startError?: ErrorInfo;
}

/** fakeStudio() plus the training methods, answering from `script`. */
export function fakeTrainingStudio(): FakeStudio & { script: TrainingScript } {
  const base = fakeStudio();
  const script: TrainingScript = { status: { active: false, run: null }, checkpoints: [], jobs: { jobs: [], running: null, paused: false, file: '/home/runs/jobs.json' } };
  const log = (method: string, params: unknown): void => void base.calls.push({ method, params });
  const api: StudioApi = {
    ...base.api,
    trainingDefaults: (p) => (log('trainingDefaults', p), ok(defaultsFor(p.preset ?? null))),
    startTraining: (p) => {
      log('startTraining', p);
      if (script.startError) return fail(script.startError);
      script.status = { active: true, run: fakeRun('running') };
      return ok(script.status);
    },
    resumeTraining: (p) => {
      log('resumeTraining', p);
      script.status = { active: true, run: { ...fakeRun('running', 2, p.checkpoint), resumedFrom: 2 } };
      return ok(script.status);
    },
    stopTraining: (p) => (log('stopTraining', p), ok({ stopping: true })),
    trainingStatus: (p) => (log('trainingStatus', p), ok(script.status)),
    listCheckpoints: (p) => (log('listCheckpoints', p), ok({ runsRoot: '/home/runs', checkpoints: script.checkpoints, unreadable: [] })),
    openCheckpoint: (p) => {
      log('openCheckpoint', p);
      return base.api.getOverview({}).then((r) => (r.ok ? { ok: true as const, value: { ...r.value, checkpoint: { path: p.path, name: 'x', trainedOn: 'fake', synthetic: true, model: 'dar' as const, d: 16, t: 8, selectedEpoch: 1 } } } : r));
    },
    queueExperiments: (p) => {
      log('queueExperiments', p);
      script.jobs = { ...script.jobs, jobs: [...script.jobs.jobs, fakeJob('e2', 'full'), fakeJob('e2', 'no_sim')] };
      return ok(script.jobs);
    },
    listJobs: (p) => (log('listJobs', p), ok(script.jobs)),
    cancelJob: (p) => {
      log('cancelJob', p);
      script.jobs = { ...script.jobs, jobs: script.jobs.jobs.map((j) => (j.id === p.id || j.experiment === p.id) && j.state !== 'done' ? { ...j, state: 'cancelled' } : j) };
      return ok(script.jobs);
    },
    resumeJobs: (p) => (log('resumeJobs', p), ok((script.jobs = { ...script.jobs, paused: false }))),
  };
  return { ...base, api, script };
}
