import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '#contract/worker-protocol';
import type { ExperimentJob } from '#contract/training-methods';
import { toErrorInfo } from '../../engine/errors';
import { saveJobs } from './experiment-store';
import { besideCheckpoint, jobsFile } from '../studio-home';
import { TINY_MODEL, TINY_TRAIN, makeWorld, tinyCorpus, waitForEvent } from '../../../testing/worker/training-world';
import type { World } from '../../../testing/worker/training-world';
import { useTempDir } from '../../../testing/temp-dir';

type JobEvent = Extract<EngineEvent, { type: 'job-progress' }>;
const jobEvent = (variant: string, state: string) => (e: EngineEvent): e is JobEvent => e.type === 'job-progress' && e.job.variant === variant && e.job.state === state;
/** A job's end, whatever it is (so a wrong ending fails at once with its error instead of timing out). */
const jobEnd = (variant: string) => (e: EngineEvent): e is JobEvent => e.type === 'job-progress' && e.job.variant === variant && ['done', 'failed', 'cancelled'].includes(e.job.state);

describe('the experiment queue', () => {
  let corpus = '';
  const home = useTempDir('dar-studio-jobs-');
  const data = useTempDir('dar-train-corpus-');
  let w: World;
  let experiment = '';

  beforeAll(async () => {
    corpus = await tinyCorpus(data);
    w = makeWorld(corpus, home);
    if (process.env.DBG) w.listeners.add((e) => void (e.type === 'job-progress' ? process.stderr.write(`job ${e.job.variant} ${e.job.state}\n`) : e.type === 'train-state' ? process.stderr.write(`train ${e.state} ${e.jobId}\n`) : 0));
  }, 60_000);

  it('queues the k sweep, waits for a run started by hand, trains and evaluates one job at a time, and cancels', async () => {
    const manual = await w.services.training.startTraining({ model: TINY_MODEL, train: { ...TINY_TRAIN, epochs: 1 } });
    const list = await w.services.jobs.queueExperiments({ kind: 'k-sweep', epochs: 1, model: TINY_MODEL, train: TINY_TRAIN });
    expect(list.jobs.map((j) => j.variant)).toEqual(['k0', 'k0.1', 'k0.2', 'k0.3', 'k0.4', 'k0.5']);
    expect(list.jobs.map((j) => j.train.k.a)).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5]);
    expect(list.jobs[0].label).toBe('k = 0 (no missing-data training)');
    experiment = list.jobs[0].experiment;
    for (const job of list.jobs.slice(2)) await w.services.jobs.cancelJob({ id: job.id });
    // The second job is cancelled while it trains.
    w.listeners.add((e) => {
      if (e.type === 'job-progress' && e.job.variant === 'k0.1' && e.job.state === 'training') void w.services.jobs.cancelJob({ id: e.job.id });
    });
    const done = await waitForEvent(w.events, jobEnd('k0'));
    expect([done.job.state, done.job.error]).toEqual(['done', null]);
    expect((await waitForEvent(w.events, jobEnd('k0.1'))).job.state).toBe('cancelled');
    await w.services.jobs.idle();

    const manualEnd = w.events.findIndex((e) => e.type === 'train-state' && e.checkpoint === manual.run!.checkpoint && e.state === 'finished');
    const firstJobTrains = w.events.findIndex(jobEvent('k0', 'training'));
    expect(manualEnd).toBeGreaterThanOrEqual(0);
    expect(firstJobTrains).toBeGreaterThan(manualEnd);
    // One job at a time: a job is active from its first 'training' to its end, and never two at once.
    const active = new Set<string>();
    for (const e of w.events.filter((x): x is JobEvent => x.type === 'job-progress')) {
      if (e.job.state === 'training' || e.job.state === 'evaluating') active.add(e.job.id);
      else active.delete(e.job.id);
      expect(active.size).toBeLessThanOrEqual(1);
    }
    expect(w.events.findIndex(jobEvent('k0.1', 'training'))).toBeGreaterThan(w.events.indexOf(done));

    expect(done.job.report?.meta).toMatchObject({ split: 'test', models: 1, seeds: [1111] });
    expect(done.job.training).toMatchObject({ epochsRun: 1, cancelled: false });
    expect(existsSync(done.job.checkpoint) && existsSync(besideCheckpoint(done.job.checkpoint, 'robustness'))).toBe(true);
    const states = (await w.services.jobs.listJobs({})).jobs.map((j) => j.state);
    expect(states).toEqual(['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    const entry = (await w.services.catalog.listCheckpoints({})).checkpoints.find((c) => c.path === done.job.checkpoint);
    expect(entry).toMatchObject({ jobId: done.job.id, robustness: { report: done.job.report } });
  }, 40_000);

  it('shows what finished after a restart, and refuses an unknown job id', async () => {
    const again = makeWorld(corpus, home);
    const list = await again.services.jobs.listJobs({});
    expect(list).toMatchObject({ paused: false, running: null, file: jobsFile(home) });
    expect(list.jobs.map((j) => j.state)).toEqual(['done', 'cancelled', 'cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(list.jobs[0].report).not.toBeNull();
    const err = await again.services.jobs.cancelJob({ id: 'nope' }).catch((e: unknown) => toErrorInfo(e));
    expect(err).toMatchObject({ code: 'ARG_INVALID' });
  });

  it('comes back paused with interrupted jobs pending, and cancels a whole experiment', async () => {
    const home2 = mkdtempSync(join(data, 'home2-'));
    const saved = (await makeWorld(corpus, home).services.jobs.listJobs({})).jobs;
    const interrupted: ExperimentJob[] = saved.slice(0, 3).map((j, i) => ({ ...j, state: i === 0 ? 'training' : i === 1 ? 'evaluating' : 'pending', report: null, training: null }));
    await saveJobs(jobsFile(home2), interrupted);
    const w2 = makeWorld(corpus, home2);
    const list = await w2.services.jobs.listJobs({});
    expect(list.paused).toBe(true);
    expect(list.jobs.map((j) => j.state)).toEqual(['pending', 'pending', 'pending']);
    const after = await w2.services.jobs.cancelJob({ id: experiment });
    expect(after.jobs.map((j) => j.state)).toEqual(['cancelled', 'cancelled', 'cancelled']);
  });
});
