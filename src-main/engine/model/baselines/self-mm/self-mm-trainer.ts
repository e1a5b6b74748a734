/**
 * Self-MM's optimisation as MMSA's trains/multiTask/SELF_MM.py runs it: torch Adam with three
 * parameter groups (audio sub-network, video sub-network, the rest; each its lr and L2 decay),
 * gradients summed over `updateEpochs` batches, and the label memory updated after every batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DarError } from '../../../errors';
import { Adam } from '../../../train/optimizer';
import type { WeightData } from '../../params';
import type { ModelStepResult, ModelTrainer, StepInput, TrainerState } from '../../sentiment-model';
import { lossGrads } from '../common/baseline-step';
import { GradAccumulator, coupledDecay, gradNorm } from '../common/grad-accumulator';
import { LabelMemory } from './label-memory';
import type { TaskFeatures } from './label-memory';
import { SELF_MM_TASKS } from './self-mm-forward';
import { SELF_MM_TERMS, selfMmLosses } from './self-mm-losses';
import type { TaskTargets } from './self-mm-losses';
import type { SelfMmModel } from './self-mm-model';

type GroupName = 'audio' | 'video' | 'other';

interface Group {
  vars: Map<string, tf.Variable>;
  adam: Adam;
  lr: number;
  wd: number;
}

function groupOf(name: string): GroupName {
  return name.startsWith('audio_model.') ? 'audio' : name.startsWith('video_model.') ? 'video' : 'other';
}

/** One Self-MM run: optimiser groups, gradient accumulation, label memory. */
export class SelfMmTrainer implements ModelTrainer {
  readonly memory: LabelMemory;
  private readonly groups: Record<GroupName, Group>;
  private readonly acc: GradAccumulator;

  constructor(
    private readonly model: SelfMmModel,
    trainSize: number,
  ) {
    const c = model.config;
    this.memory = new LabelMemory(trainSize, { fusion: c.postFusionDim, text: c.postTextDim, audio: c.postAudioDim, vision: c.postVideoDim }, c.H, c.excludeZero === 1);
    const all = model.params.group('main');
    const make = (g: GroupName, lr: number, wd: number): Group => {
      const vars = new Map([...all].filter(([n]) => groupOf(n) === g));
      return { vars, adam: new Adam(vars, { lr }), lr, wd };
    };
    this.groups = { audio: make('audio', c.lrAudio, c.wdAudio), video: make('video', c.lrVideo, c.wdVideo), other: make('other', c.lrOther, c.wdOther) };
    this.acc = new GradAccumulator(all, c.updateEpochs);
  }

  /** One batch: losses against the label memory, accumulate, step when a group is full, update the memory. */
  async step(input: StepInput): Promise<ModelStepResult> {
    const { batch } = input;
    if (!batch.labels) throw new DarError('ARG_INVALID', 'self-mm: a training batch needs labels');
    this.memory.admit(batch.indices, batch.labels);
    let kept: tf.Tensor[] = [];
    const { terms, grads } = await lossGrads(this.model.params, SELF_MM_TERMS, () => {
      const out = this.model.forward(batch, 'corrupted', true, input.seed);
      kept = SELF_MM_TASKS.map((t) => tf.keep(out[t].feature));
      return selfMmLosses(out, this.targets(batch.indices));
    });
    const features = await readFeatures(kept);
    if (!grads) return { terms, gradNorm: NaN, skipped: true };
    const norm = await gradNorm(grads);
    // engine epochs count from 0, MMSA's from 1 (its label updates start at its epoch 2)
    this.memory.afterBatch(features, batch.indices, input.epoch + 1);
    const full = this.acc.add(grads);
    if (full) this.applyGroups(full);
    return { terms, gradNorm: norm, skipped: false };
  }

  private targets(indices: Int32Array): TaskTargets {
    const t = {} as TaskTargets;
    for (const task of SELF_MM_TASKS) {
      t[task] = { labels: tf.tensor1d(this.memory.batchLabels(task, indices)), weights: task === 'fusion' ? null : tf.tensor1d(this.memory.lossWeights(task, indices)) };
    }
    return t;
  }

  private applyGroups(full: Map<string, tf.Tensor>): void {
    for (const g of Object.values(this.groups)) {
      const mine = new Map([...full].filter(([n]) => g.vars.has(n)));
      const decayed = coupledDecay(mine, g.vars, g.wd);
      g.adam.step(decayed ?? mine, g.lr);
      if (decayed) tf.dispose([...decayed.values()]);
    }
  }

  /** MMSA drops the gradients of a trailing partial group. */
  async endEpoch(): Promise<void> {
    this.acc.endEpoch();
  }

  async exportState(): Promise<TrainerState> {
    const weights = new Map<string, WeightData>();
    const m = this.memory;
    for (const t of SELF_MM_TASKS) {
      weights.set(`ulgm.labels.${t}`, { data: m.labels[t].slice(), shape: [m.size] });
      weights.set(`ulgm.features.${t}`, { data: m.features[t].slice(), shape: [m.size, m.dims[t]] });
    }
    weights.set('ulgm.seen', { data: Float32Array.from(m.seen), shape: [m.size] });
    const acc = await this.acc.exportState('accumulated');
    for (const [k, v] of acc.tensors) weights.set(k, v);
    const optimizers = Object.fromEntries(await Promise.all(Object.entries(this.groups).map(async ([n, g]) => [n, await g.adam.exportState()] as const)));
    return { optimizers, weights, accumulatedLeft: acc.left };
  }

  importState(state: TrainerState): void {
    for (const [n, g] of Object.entries(this.groups)) {
      const s = state.optimizers?.[n];
      if (!s) throw new DarError('CHECKPOINT_MISMATCH', `self-mm trainer state: no optimizer "${n}"`);
      g.adam.importState(s);
    }
    const w = state.weights;
    const get = (name: string, size: number): Float32Array => {
      const d = w?.get(name)?.data;
      if (!d || d.length !== size) throw new DarError('CHECKPOINT_MISMATCH', `self-mm state: ${name} missing or not ${size} values`);
      return d;
    };
    const m = this.memory;
    for (const t of SELF_MM_TASKS) {
      m.labels[t].set(get(`ulgm.labels.${t}`, m.size));
      m.features[t].set(get(`ulgm.features.${t}`, m.size * m.dims[t]));
    }
    m.seen.set(get('ulgm.seen', m.size));
    this.acc.importState('accumulated', state.accumulatedLeft, w);
    m.recomputeCentres();
  }

  dispose(): void {
    this.acc.dispose();
    for (const g of Object.values(this.groups)) g.adam.dispose();
  }
}

async function readFeatures(kept: tf.Tensor[]): Promise<TaskFeatures> {
  try {
    const data = await Promise.all(kept.map((k) => k.data<'float32'>()));
    return Object.fromEntries(SELF_MM_TASKS.map((t, i) => [t, new Float32Array(data[i])])) as TaskFeatures;
  } finally {
    tf.dispose(kept);
  }
}
