/**
 * The experiment queue: jobs (train one variant, then run the robustness sweep on it) run one
 * at a time in the worker, in queue order, and every state change is saved (experiment-store.ts) and
 * announced as a `job-progress` event so the comparison fills in as jobs finish. After a
 * restart the queue starts paused: the user sees what finished and what is pending, and
 * resumeJobs (or queueing more) lets it continue.
 */
import type { EngineEvent } from '#contract/worker-protocol';
import type { ExperimentJob, JobList, JobState } from '#contract/training-methods';
import { EVAL_SEED } from '../../engine/data/corruption';
import { DarError, toErrorInfo } from '../../engine/errors';
import { modelConfigFor } from '../../engine/train/config';
import { planJobs } from './experiment-plan';
import { loadJobs, saveJobs } from './experiment-store';
import type { RobustnessService } from '../robustness/robustness-service';
import { resolveTrain } from '../training/training-service';
import type { TrainingService } from '../training/training-service';
import { jobIdParams, noParams, queueParams } from '../training/training-params';
import { jobsFile } from '../studio-home';
import { readSidecarHeader } from '../training/checkpoint-sidecars';

const UNFINISHED: readonly JobState[] = ['pending', 'training', 'evaluating'];

/** The queue, one per worker. */
export class ExperimentQueue {
  private jobs: ExperimentJob[] = [];
  private loaded: Promise<void> | null = null;
  private paused = false;
  private running: string | null = null;
  private pumping = false;
  private readonly cancelling = new Set<string>();
  private saving: Promise<void> = Promise.resolve();
  readonly file: string;

  constructor(
    private readonly training: TrainingService,
    private readonly robustness: RobustnessService,
    private readonly emit: (event: EngineEvent) => void,
  ) {
    this.file = jobsFile(training.home);
  }

  /** Queues the paper's ablation set or k sweep on the open (or a named) dataset. */
  async queueExperiments(params: unknown): Promise<JobList> {
    const p = queueParams(params);
    await this.ready();
    const { dataset, path } = await this.training.dataset(p.dataset);
    modelConfigFor(dataset, p.model); // refuses bad model overrides now, not job by job later
    const train = resolveTrain(p.preset, { ...p.train, ...(p.epochs !== undefined ? { epochs: p.epochs } : {}) });
    const jobs = planJobs({
      kind: p.kind,
      dataset: path,
      datasetName: dataset.info.name,
      preset: p.preset ?? null,
      model: p.model ?? {},
      train,
      seeds: p.seeds ?? [train.seed],
      evalSeeds: p.evalSeeds ?? [EVAL_SEED],
      split: p.split ?? 'test',
      runsRoot: this.training.runsRoot,
    });
    this.jobs.push(...jobs);
    await this.save();
    for (const job of jobs) this.announce(job);
    this.paused = false;
    void this.pump();
    return this.list();
  }

  /** The queue. */
  async listJobs(params: unknown): Promise<JobList> {
    noParams(params);
    await this.ready();
    return this.list();
  }

  /** Cancels one job, or every unfinished job of an experiment. */
  async cancelJob(params: unknown): Promise<JobList> {
    const { id } = jobIdParams(params);
    await this.ready();
    const matching = this.jobs.filter((j) => j.id === id || j.experiment === id);
    if (!matching.length) throw new DarError('ARG_INVALID', `id: no job or experiment "${id}"`);
    for (const job of matching.filter((j) => UNFINISHED.includes(j.state))) {
      if (job.id === this.running) {
        this.cancelling.add(job.id);
        this.training.stopJobRun(job.id);
      } else await this.update(job, { state: 'cancelled', finishedAt: new Date().toISOString() });
    }
    return this.list();
  }

  /** Lets pending jobs run (after a restart the queue waits for this). */
  async resumeJobs(params: unknown): Promise<JobList> {
    noParams(params);
    await this.ready();
    this.paused = false;
    void this.pump();
    return this.list();
  }

  /** Resolves when the queue has nothing left to run (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.pumping) await new Promise((r) => setTimeout(r, 50));
  }

  private ready(): Promise<void> {
    this.loaded ??= loadJobs(this.file).then((jobs) => {
      this.jobs = jobs;
      this.paused = jobs.some((j) => j.state === 'pending');
    });
    return this.loaded;
  }

  private list(): JobList {
    return { jobs: this.jobs.map((j) => ({ ...j })), running: this.running, paused: this.paused, file: this.file };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let job = this.next(); job; job = this.next()) await this.runJob(job);
    } finally {
      this.pumping = false;
    }
  }

  private next(): ExperimentJob | undefined {
    return this.paused ? undefined : this.jobs.find((j) => j.state === 'pending');
  }

  private async runJob(job: ExperimentJob): Promise<void> {
    this.running = job.id;
    const cancelled = (): boolean => this.cancelling.has(job.id);
    try {
      if (!job.training && !(await this.train(job, cancelled))) return;
      if (cancelled()) throw new DarError('ARG_INVALID', 'cancelled');
      await this.update(job, { state: 'evaluating' });
      const sweep = { checkpoints: [job.checkpoint], dataset: job.dataset, split: job.split, seeds: job.evalSeeds };
      const record = await this.robustness.sweep(sweep, { cancelled });
      await this.update(job, { state: 'done', report: record.report, finishedAt: new Date().toISOString() });
    } catch (err) {
      await this.update(job, { state: cancelled() ? 'cancelled' : 'failed', error: toErrorInfo(err), finishedAt: new Date().toISOString() });
    } finally {
      this.running = null;
      this.cancelling.delete(job.id);
    }
  }

  /** Trains a job's variant (resuming its sidecar after a crash); false when it did not finish. */
  private async train(job: ExperimentJob, cancelled: () => boolean): Promise<boolean> {
    const { dataset, path } = await this.training.dataset(job.dataset);
    const sidecar = await readSidecarHeader(job.checkpoint).catch(() => null);
    const resume = sidecar && { epoch: sidecar.epoch, history: sidecar.history, selectedEpoch: sidecar.selectedEpoch };
    const spec = { dataset, datasetPath: path, preset: job.preset, modelKind: 'dar' as const, model: modelConfigFor(dataset, job.model), train: job.train, out: job.checkpoint, jobId: job.id, resume };
    // The job shows as training once it holds the engine, not while it waits behind a run started by hand.
    const started = (): void => void this.update(job, { state: 'training', startedAt: job.startedAt ?? new Date().toISOString(), error: null });
    const run = await this.training.runToEnd(spec, cancelled, started);
    if (run.state === 'finished' && run.summary) {
      const s = run.summary;
      await this.update(job, { training: { selectedEpoch: s.selectedEpoch, epochsRun: s.epochsRun, bestSel: s.bestSel, seconds: s.seconds, cancelled: false } });
      return true;
    }
    const stopped = run.state === 'stopped' || cancelled();
    const error = run.error ?? { code: 'ARG_INVALID' as const, message: 'training was stopped' };
    await this.update(job, { state: stopped ? 'cancelled' : 'failed', error, finishedAt: new Date().toISOString() });
    return false;
  }

  private async update(job: ExperimentJob, patch: Partial<ExperimentJob>): Promise<void> {
    Object.assign(job, patch);
    await this.save();
    this.announce(job);
  }

  private announce(job: ExperimentJob): void {
    this.emit({ type: 'job-progress', job: { ...job } });
  }

  /** Saves in order; a failed write is reported, never lost silently, and never stops the queue. */
  private async save(): Promise<void> {
    const snapshot = this.jobs.map((j) => ({ ...j }));
    this.saving = this.saving.then(() =>
      saveJobs(this.file, snapshot).catch((err: unknown) => this.emit({ type: 'log', level: 'warn', message: `could not save the job queue: ${toErrorInfo(err).message}` })),
    );
    await this.saving;
  }
}
