/**
 * Training from the studio: the worker owns the run (closing a window never stops it), keeps
 * its whole history for a reopened window, writes a run record beside the checkpoint and
 * resumes stopped or crashed runs from their sidecars. One run at a time, shared with the
 * engine's own `train` and the experiment queue through the engine's training slot.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Dataset } from '#contract/dataset';
import type { EngineEvent, EngineWorkerData, PresetName } from '#contract/worker-protocol';
import type { ModelHyper, StartTrainingParams, TrainingDefaults, TrainingRun, TrainingStatus } from '#contract/training-methods';
import type { ModelConfig, ModelKind, TrainConfig } from '#contract/model';
import type { TrainProgress } from '#contract/train';
import { DarError, toErrorInfo } from '../../engine/errors';
import { availableModelKinds, modelDefinition, validateModel } from '../../engine/model/registry';
import { PRESETS, modelConfigFor, trainConfigFor, validateTrainConfig } from '../../engine/train/config';
import { datasetFingerprint } from '../../engine/train/fingerprint';
import { trainModel } from '../../engine/train/trainer';
import type { EngineService, TrainingSlot } from '../engine-service';
import type { WorkbenchView } from '../workbench/workbench-state';
import { checkpointParams, defaultsParams, noParams, startParams } from './training-params';
import { newRunPath, runsRoot, studioHome } from '../studio-home';
import { readRunRecord, readSidecarHeader, writeRunRecord } from './checkpoint-sidecars';
import type { RunRecord } from './checkpoint-sidecars';
import { StepTraceBuilder } from './step-trace';

/** What the training service needs from the worker around it. */
export interface TrainingDeps {
  engine: EngineService;
  /** The open dataset, for methods that name none. */
  workbench: WorkbenchView;
  emit(event: EngineEvent): void;
  shell: EngineWorkerData;
  /** Environment for DAR_STUDIO_HOME [process.env]. */
  env?: NodeJS.ProcessEnv;
}

/** One run to launch, fully resolved. */
export interface RunSpec {
  dataset: Dataset;
  datasetPath: string;
  preset: PresetName | null;
  modelKind: ModelKind;
  model: ModelConfig;
  train: TrainConfig;
  out: string;
  jobId: string | null;
  /** Continue from the sidecar (its history so far, when resuming). */
  resume: { epoch: number; history: TrainingRun['history']; selectedEpoch: number } | null;
}

interface LiveRun {
  run: TrainingRun;
  slot: TrainingSlot;
  trace: StepTraceBuilder;
  /** Settles with the run in its final state (never rejects). */
  done: Promise<TrainingRun>;
}

/** How often a queued job looks whether the training slot is free. */
const SLOT_POLL_MS = 250;
const ALL_ABLATIONS = ['no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot'] as const;

/** The model hyperparameters of a preset or the spec (the dataset supplies dims and lengths). */
export function defaultModel(overrides: Partial<ModelHyper> = {}): ModelHyper {
  // config.ts keeps the spec's defaults inside modelConfigFor, which only reads dims and lengths.
  const probe = { info: { dims: { l: 1, a: 1, v: 1 }, seqLen: { l: 1, a: 1, v: 1 } } } as Dataset;
  const { inputDims: _d, seqLen: _s, ...hyper } = modelConfigFor(probe, overrides);
  return hyper;
}

/** The hyperparameters of a model at its defaults (its config without the dataset's dims and lengths). */
function modelDefaults(kind: ModelKind): Record<string, unknown> {
  const probe = { inputDims: { l: 1, a: 1, v: 1 }, seqLen: { l: 1, a: 1, v: 1 } };
  const { inputDims: _d, seqLen: _s, ...hyper } = modelDefinition(kind).configFor(probe);
  return hyper;
}

/** A model's config for a dataset, its overrides checked by the model's registry entry (ARG_INVALID, MODEL_UNKNOWN). */
export function resolveModel(kind: ModelKind, dataset: Dataset, overrides: Record<string, unknown> = {}): ModelConfig {
  return modelDefinition(kind).configFor({ inputDims: dataset.info.dims, seqLen: dataset.info.seqLen }, overrides) as ModelConfig;
}

/** The training config of a preset with overrides; `k` may name some modalities only. */
export function resolveTrain(preset: PresetName | undefined, train: StartTrainingParams['train'] = {}): TrainConfig {
  const base = trainConfigFor(preset);
  const { k, ...rest } = train;
  return trainConfigFor(preset, { ...rest, k: { ...base.k, ...k } });
}

/** The studio's training runs; every method may throw a DarError. */
export class TrainingService {
  private live: LiveRun | null = null;
  /** The studio home (runs, jobs). */
  readonly home: string;

  constructor(private readonly deps: TrainingDeps) {
    this.home = studioHome(deps.shell, deps.env);
  }

  /** The folder new runs go to. */
  get runsRoot(): string {
    return runsRoot(this.home);
  }

  /** The form's starting values. */
  trainingDefaults(params: unknown): TrainingDefaults {
    const { preset } = defaultsParams(params);
    return {
      preset: preset ?? null,
      model: defaultModel(),
      models: availableModelKinds().map((kind) => ({ kind, label: modelDefinition(kind).label, defaults: modelDefaults(kind) })),
      train: trainConfigFor(preset),
      presets: Object.keys(PRESETS) as PresetName[],
      modes: ['fixed', 'uniform', 'lnln'],
      ablations: [...ALL_ABLATIONS],
      runsRoot: this.runsRoot,
    };
  }

  /** The dataset a method names, or the open one (shared with the workbench, not reopened). */
  async dataset(given: string | undefined): Promise<{ dataset: Dataset; path: string }> {
    if (given !== undefined) {
      const path = resolve(given);
      return { dataset: await this.deps.engine.dataset(path), path };
    }
    const { dataset } = await this.deps.workbench.open();
    return { dataset, path: dataset.info.path };
  }

  /** Starts a run and answers at once with its status. */
  async startTraining(params: unknown): Promise<TrainingStatus> {
    const p = startParams(params);
    const slot = this.deps.engine.claimTraining('a studio training run');
    try {
      const { dataset, path } = await this.dataset(p.dataset);
      const modelKind = p.modelKind ?? 'dar';
      const model = resolveModel(modelKind, dataset, p.model);
      const train = resolveTrain(p.preset, p.train);
      const out = p.out !== undefined ? resolve(p.out) : newRunPath(this.runsRoot, dataset.info.name, p.preset ?? 'custom');
      if (existsSync(out)) throw new DarError('ARG_INVALID', `out: ${out} exists; choose another name (or resume that run)`);
      this.launch(slot, { dataset, datasetPath: path, preset: p.preset ?? null, modelKind, model, train, out, jobId: null, resume: null });
      return this.trainingStatus({});
    } catch (err) {
      this.deps.engine.releaseTraining(slot);
      throw err;
    }
  }

  /** Continues a stopped or crashed run from its checkpoint's resume sidecar. */
  async resumeTraining(params: unknown): Promise<TrainingStatus> {
    const p = checkpointParams(params, 'checkpoint');
    const out = resolve(p.checkpoint);
    const slot = this.deps.engine.claimTraining('a studio training run');
    try {
      const sidecar = await readSidecarHeader(out);
      if (!sidecar) throw new DarError('FILE_NOT_FOUND', `${out}: no resume sidecar (the run finished, or stopped before its first epoch ended)`);
      const record = await readRunRecord(out);
      const { dataset, path } = await this.dataset(p.dataset ?? record?.data);
      if (datasetFingerprint(dataset) !== sidecar.fingerprint) {
        throw new DarError('CHECKPOINT_MISMATCH', `${out}: dataset ${dataset.info.name} (${path}) is not the one this run trained on; pass the right dataset`);
      }
      const resume = { epoch: sidecar.epoch, history: sidecar.history, selectedEpoch: sidecar.selectedEpoch };
      this.launch(slot, { dataset, datasetPath: path, preset: record?.preset ?? null, modelKind: sidecar.modelKind, model: sidecar.config, train: sidecar.train, out, jobId: record?.jobId ?? null, resume });
      return this.trainingStatus({});
    } catch (err) {
      this.deps.engine.releaseTraining(slot);
      throw err;
    }
  }

  /**
   * Trains one resolved configuration to its end (the experiment queue): waits for the slot,
   * calls `started` once it holds it, and settles with the run in its final state.
   */
  async runToEnd(spec: RunSpec, shouldCancel: () => boolean, started: () => void = () => {}): Promise<TrainingRun> {
    // A run started by hand goes first; the job waits for the slot rather than failing.
    while (this.deps.engine.trainingActive) {
      if (shouldCancel()) break;
      await new Promise((r) => setTimeout(r, SLOT_POLL_MS));
    }
    if (shouldCancel()) throw new DarError('ARG_INVALID', `job ${spec.jobId} cancelled before its training started`);
    const live = this.launch(this.deps.engine.claimTraining(`job ${spec.jobId}`), spec);
    started();
    return live.done;
  }

  /** Stops the run of a job if it is the one running; true when it was. */
  stopJobRun(jobId: string): boolean {
    const live = this.live;
    if (!live || live.run.jobId !== jobId || this.runningCheckpoint() === null) return false;
    live.slot.stop = true;
    if (live.run.state === 'running') {
      live.run.state = 'stopping';
      this.emitState(live.run);
    }
    return true;
  }

  /** Asks the running run (whoever started it) to stop after its current step. */
  stopTraining(params: unknown): { stopping: boolean } {
    noParams(params);
    const answer = this.deps.engine.stopTraining();
    const run = this.live?.run;
    if (answer.stopping && run?.state === 'running') {
      run.state = 'stopping';
      this.emitState(run);
    }
    return answer;
  }

  /** The current run, else the last one of this worker, with its history and step curves. */
  trainingStatus(params: unknown): TrainingStatus {
    noParams(params);
    const live = this.live;
    return { active: this.deps.engine.trainingActive, run: live ? { ...live.run, history: [...live.run.history], steps: live.trace.snapshot() } : null };
  }

  /** The checkpoint a live run of this worker is writing, if any. */
  runningCheckpoint(): string | null {
    const run = this.live?.run;
    return run && (run.state === 'running' || run.state === 'stopping') ? run.checkpoint : null;
  }

  private launch(slot: TrainingSlot, spec: RunSpec): LiveRun {
    validateModel(spec.modelKind, spec.model);
    validateTrainConfig(spec.train);
    const trace = new StepTraceBuilder();
    const run: TrainingRun = {
      checkpoint: spec.out,
      dataset: { name: spec.dataset.info.name, path: spec.datasetPath, synthetic: spec.dataset.info.synthetic },
      preset: spec.preset,
      modelKind: spec.modelKind,
      model: spec.model,
      train: spec.train,
      backend: '',
      jobId: spec.jobId,
      state: 'running',
      startedAt: new Date().toISOString(),
      finishedAt: null,
      resumedFrom: spec.resume?.epoch ?? null,
      progress: null,
      history: [...(spec.resume?.history ?? [])],
      selectedEpoch: spec.resume?.selectedEpoch ?? -1,
      steps: trace.snapshot(),
      summary: null,
      error: null,
    };
    const live: LiveRun = { run, slot, trace, done: Promise.resolve(run) };
    this.live = live;
    live.done = this.execute(live, spec);
    return live;
  }

  private async execute(live: LiveRun, spec: RunSpec): Promise<TrainingRun> {
    const { run } = live;
    try {
      run.backend = (await this.deps.engine.init({})).label;
      await writeRunRecord(run.checkpoint, this.record(run));
      this.emitState(run);
      const { history, ...summary } = await trainModel({
        dataset: spec.dataset,
        modelKind: spec.modelKind,
        model: spec.model,
        train: spec.train,
        out: spec.out,
        resume: spec.resume !== null,
        backend: run.backend,
        onProgress: (p) => this.onProgress(live, p),
        shouldStop: () => live.slot.stop,
      });
      Object.assign(run, { summary, history, selectedEpoch: summary.selectedEpoch, state: summary.cancelled ? 'stopped' : 'finished' });
    } catch (err) {
      run.error = toErrorInfo(err);
      run.state = live.slot.stop ? 'stopped' : 'failed';
    } finally {
      run.finishedAt = new Date().toISOString();
      this.deps.engine.releaseTraining(live.slot);
    }
    await writeRunRecord(run.checkpoint, this.record(run)).catch(() => undefined);
    this.emitState(run);
    return run;
  }

  private onProgress(live: LiveRun, p: TrainProgress): void {
    const { run } = live;
    run.progress = p;
    if (p.kind === 'step' && p.terms) live.trace.push(p.epoch + p.step / Math.max(p.steps, 1), p.terms);
    if (p.kind === 'epoch' && p.record) {
      run.history.push(p.record);
      if (p.record.best) run.selectedEpoch = p.record.epoch;
    }
    this.deps.emit({ type: 'train-progress', progress: p });
  }

  private record(run: TrainingRun): RunRecord {
    return {
      format: 'dar-run/1',
      data: run.dataset.path,
      datasetName: run.dataset.name,
      preset: run.preset,
      jobId: run.jobId,
      state: run.state,
      startedAt: run.startedAt,
      finishedAt: run.finishedAt,
      summary: run.summary,
      history: run.history,
      error: run.error,
    };
  }

  private emitState(run: TrainingRun): void {
    this.deps.emit({ type: 'train-state', checkpoint: run.checkpoint, state: run.state, jobId: run.jobId, ...(run.error ? { error: run.error } : {}) });
  }
}
