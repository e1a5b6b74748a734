/**
 * The training loop of every model (spec "Training protocol"): normalise on train, redraw masks
 * every epoch from (seed, epoch), one ModelTrainer step per batch (DAR's is a CLUB step then the
 * main step), warm-up + cosine learning rate, select on the validation L_sel at the validation
 * rate, early stopping, atomic checkpoints of the best epoch and a resume sidecar after every
 * epoch so a crash loses at most one epoch.
 */
import type { Dataset, SplitData } from '#contract/dataset';
import type { LossTerms, ModelKind, TrainConfig } from '#contract/model';
import type { EpochRecord, TrainProgress, TrainSummary } from '#contract/train';
import { CHECKPOINT_FORMAT, saveModel } from '../checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../checkpoint/model-checkpoint';
import { readResume, removeResume, writeResume } from '../checkpoint/resume';
import { drawEvalUniforms, evalMasks, trainingMasks } from '../data/corruption';
import { applyNormaliser, fitNormaliser } from '../data/normaliser';
import type { Normaliser } from '../data/normaliser';
import { DarError } from '../errors';
import { createModel } from '../model/registry';
import type { ModelConfigJson, ModelTrainer, SentimentModel } from '../model/sentiment-model';
import { createRng } from '../rng';
import { batches, buildBatch, epochOrder } from './batcher';
import { datasetFingerprint } from './fingerprint';
import { epochLr } from './schedule';
import { exportTrainerState, importTrainerState } from './trainer-state';
import { scoreSplit } from './validate';

/** Streams of createRng(seed, epoch, stream) besides the corruption's TRAIN_MASK_STREAM (1). */
const SHUFFLE_STREAM = 2;
const DROPOUT_STREAM = 3;

/** A training request. */
export interface TrainRequest {
  dataset: Dataset;
  /** Which model to train [dar]. */
  modelKind?: ModelKind;
  /** Its config (for DAR a DarConfig), validated by the model's registry entry. */
  model: ModelConfigJson;
  train: TrainConfig;
  /** Where the best checkpoint goes (its resume sidecar sits beside it). */
  out: string;
  /** Continue from the sidecar if there is one for the same configuration [true]. */
  resume?: boolean;
  /** Backend label recorded in the checkpoint and summary. */
  backend: string;
  onProgress?: (p: TrainProgress) => void;
  /** Checked before every step: true stops the run within one step. */
  shouldStop?: () => boolean;
  /** Builds the model [the registry's createModel]; the desktop passes one that computes in its compute window. */
  createModel?: (kind: ModelKind, config: ModelConfigJson, seed: number) => SentimentModel;
}

interface Prepared {
  norm: Normaliser;
  train: SplitData;
  valid: SplitData;
  validMasks: ReturnType<typeof evalMasks>;
  fingerprint: string;
}

function prepare(req: TrainRequest): Prepared {
  const { train, valid } = req.dataset.splits;
  const norm = fitNormaliser(train);
  const r = req.train.validRate;
  const validN = applyNormaliser(valid, norm);
  return {
    norm,
    train: applyNormaliser(train, norm),
    valid: validN,
    validMasks: evalMasks(validN, drawEvalUniforms(validN, 'valid'), { l: r, a: r, v: r }),
    fingerprint: datasetFingerprint(req.dataset),
  };
}

/** Running state of a run, saved in the resume sidecar. */
interface RunState {
  epoch: number;
  step: number;
  bestSel: number | null;
  badEpochs: number;
  selectedEpoch: number;
  history: EpochRecord[];
}

function meanTerms(sum: Float64Array, count: number, keys: readonly string[]): LossTerms {
  return Object.fromEntries(keys.map((k, i) => [k, count ? sum[i] / count : NaN])) as LossTerms;
}

/** The model being trained and its trainer (optimisers and whatever else a run accumulates). */
interface RunModel {
  kind: ModelKind;
  model: SentimentModel;
  trainer: ModelTrainer;
}

/** Trains the requested model (DAR by default) and returns how the run ended; the best epoch is in `req.out`. */
export async function trainModel(req: TrainRequest): Promise<TrainSummary> {
  const started = Date.now();
  const data = prepare(req);
  const kind = req.modelKind ?? 'dar';
  const model = (req.createModel ?? createModel)(kind, req.model, req.train.seed);
  let trainer: ModelTrainer;
  try {
    trainer = model.trainer(req.train, data.train.n);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const ctx: RunModel = { kind, model, trainer };
  try {
    const state = await restore(req, ctx, data.fingerprint);
    const resumedFrom = state.epoch > 0 ? state.epoch : null;
    let cancelled = false;
    let stepMs = 0;
    let stepsTimed = 0;
    while (state.epoch < req.train.epochs && state.badEpochs < req.train.patience) {
      const epochStart = Date.now();
      const run = await runEpoch(req, ctx, data, state, started);
      stepMs += run.ms;
      stepsTimed += run.steps;
      if (run.cancelled) {
        cancelled = true;
        break;
      }
      const record = await finishEpoch(req, ctx, data, state, run.terms, (Date.now() - epochStart) / 1000);
      req.onProgress?.({ kind: 'epoch', epoch: record.epoch, epochs: req.train.epochs, step: run.steps, steps: run.steps, record, elapsedMs: Date.now() - started, etaMs: eta(started, state.epoch, req.train.epochs) });
    }
    if (!cancelled) await removeResume(req.out);
    if (state.selectedEpoch < 0) throw new DarError('INTERNAL', 'training ended before any epoch finished; no checkpoint was written');
    return {
      checkpoint: req.out,
      selectedEpoch: state.selectedEpoch,
      bestSel: state.bestSel ?? NaN,
      epochsRun: state.epoch,
      stoppedEarly: !cancelled && state.epoch < req.train.epochs,
      cancelled,
      resumedFrom,
      backend: req.backend,
      msPerStep: stepsTimed ? stepMs / stepsTimed : NaN,
      seconds: (Date.now() - started) / 1000,
      history: state.history,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

function eta(started: number, epochsDone: number, epochs: number): number {
  if (epochsDone === 0) return NaN;
  return ((Date.now() - started) / epochsDone) * (epochs - epochsDone);
}

async function runEpoch(req: TrainRequest, ctx: RunModel, data: Prepared, state: RunState, started: number) {
  const { seed, epochs, batchSize } = req.train;
  const epoch = state.epoch;
  const lr = epochLr(req.train.lr, epoch, epochs);
  const keys = ctx.model.terms;
  const masks = trainingMasks(data.train, { k: req.train.k, mode: req.train.mode }, seed, epoch);
  const order = batches(epochOrder(data.train.n, createRng(seed, epoch, SHUFFLE_STREAM)), batchSize).filter((b) => b.length >= 2);
  const dropoutRng = createRng(seed, epoch, DROPOUT_STREAM);
  const sum = new Float64Array(keys.length);
  let ms = 0;
  let done = 0;
  for (const indices of order) {
    if (req.shouldStop?.()) return { cancelled: true, terms: meanTerms(sum, done, keys), steps: done, ms };
    const t0 = Date.now();
    const batch = buildBatch(data.train, indices, masks);
    const { terms } = await ctx.trainer.step({ batch, seed: dropoutRng.nextUint32(), lr, epoch });
    ms += Date.now() - t0;
    keys.forEach((k, i) => (sum[i] += terms[k]));
    done++;
    state.step++;
    const perStep = ms / done;
    const remaining = (order.length - done + (epochs - epoch - 1) * order.length) * perStep;
    req.onProgress?.({ kind: 'step', epoch, epochs, step: done, steps: order.length, terms: terms as LossTerms, elapsedMs: Date.now() - started, etaMs: remaining });
    // Yield to the event loop so a stop request (a message on this thread) can arrive.
    await new Promise((r) => setImmediate(r));
  }
  await ctx.trainer.endEpoch?.(epoch);
  return { cancelled: false, terms: meanTerms(sum, done, keys), steps: done, ms };
}

async function finishEpoch(req: TrainRequest, ctx: RunModel, data: Prepared, state: RunState, trainTerms: LossTerms, seconds: number): Promise<EpochRecord> {
  const valid = await scoreSplit(ctx.model, data.valid, data.validMasks, req.train.ablations, Math.max(req.train.batchSize, 2));
  const sel = valid.terms.sel;
  const best = Number.isFinite(sel) && (state.bestSel === null || sel < state.bestSel);
  const record: EpochRecord = { epoch: state.epoch, lr: epochLr(req.train.lr, state.epoch, req.train.epochs), train: trainTerms, valid: valid.terms, validMetrics: valid.metrics, seconds, best };
  state.history.push(record);
  if (best) {
    state.bestSel = sel;
    state.badEpochs = 0;
    state.selectedEpoch = state.epoch;
  } else state.badEpochs++;
  state.epoch++;
  if (best) await saveModel(req.out, ctx.model, checkpointMeta(req, ctx.kind, data, state));
  const trainerState = exportTrainerState(await ctx.trainer.exportState());
  await writeResume(req.out, {
    epoch: state.epoch,
    step: state.step,
    bestSel: state.bestSel,
    badEpochs: state.badEpochs,
    rng: { seed: req.train.seed },
    weights: await ctx.model.params.exportWeights(),
    optimizers: trainerState.optimizers,
    state: trainerState.tensors,
    extra: { model: ctx.kind, fingerprint: data.fingerprint, config: req.model, train: req.train, history: state.history, selectedEpoch: state.selectedEpoch, trainer: trainerState.json },
  });
  return record;
}

function checkpointMeta(req: TrainRequest, kind: ModelKind, data: Prepared, state: RunState): CheckpointMeta {
  const { info } = req.dataset;
  return {
    format: CHECKPOINT_FORMAT,
    model: kind,
    config: req.model as CheckpointMeta['config'],
    train: req.train,
    normaliser: data.norm,
    fingerprint: data.fingerprint,
    dataset: { name: info.name, format: info.format, synthetic: info.synthetic },
    history: state.history,
    selectedEpoch: state.selectedEpoch,
    backend: req.backend,
    createdAt: new Date().toISOString(),
    ...(info.extractors ? { extractors: info.extractors } : {}),
  };
}

/** Picks up the resume sidecar when it belongs to this exact run (same data and configs). */
async function restore(req: TrainRequest, ctx: RunModel, fingerprint: string): Promise<RunState> {
  const fresh: RunState = { epoch: 0, step: 0, bestSel: null, badEpochs: 0, selectedEpoch: -1, history: [] };
  if (req.resume === false) return fresh;
  const saved = await readResume(req.out);
  if (!saved) return fresh;
  const extra = saved.extra as { model?: string; fingerprint?: string; config?: unknown; train?: unknown; history?: EpochRecord[]; selectedEpoch?: number; trainer?: unknown };
  // A sidecar from before the baselines names no model: it is DAR's.
  const sameModel = (extra.model ?? 'dar') === ctx.kind && JSON.stringify(extra.config) === JSON.stringify(req.model);
  const same = sameModel && extra.fingerprint === fingerprint && JSON.stringify(extra.train) === JSON.stringify(req.train);
  if (!same) return fresh;
  ctx.model.params.importWeights(saved.weights);
  ctx.trainer.importState(importTrainerState({ optimizers: saved.optimizers, tensors: saved.state, json: extra.trainer }));
  return { epoch: saved.epoch, step: saved.step, bestSel: saved.bestSel, badEpochs: saved.badEpochs, selectedEpoch: extra.selectedEpoch ?? -1, history: extra.history ?? [] };
}
