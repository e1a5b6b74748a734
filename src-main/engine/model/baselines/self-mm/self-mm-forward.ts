/**
 * Self-MM's network (MMSA models/multiTask/SELF_MM.py) and its forward pass on one branch of a
 * batch. Text: the [CLS] row of the frozen BERT features (MMSA takes BERT's output at token 0).
 * Audio and video: one-directional LSTMs packed by their OWN lengths (unaligned data), final
 * state -> dropout -> Linear (AuViSubNet); the two LSTMs run as one block-diagonal op. Four heads: fusion (M) and one per modality (T, A, V).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { ModelBatch } from '../../batch';
import { Linear } from '../../blocks/linear';
import { DropoutSites } from '../../ops/ops';
import type { ParamStore } from '../../params';
import { clampLengths, frameAt, packedRows } from '../common/batch-input';
import { blockDiagonalLstm, finalStateLstm } from '../common/final-state-lstm';
import { LstmWeights, columns } from '../common/packed-lstm';
import type { SelfMmConfig } from './self-mm-config';

/** The four tasks, MMSA's M, T, A, V, by their label-memory names. */
export const SELF_MM_TASKS = ['fusion', 'text', 'audio', 'vision'] as const;

/** One of Self-MM's tasks. */
export type SelfMmTask = (typeof SELF_MM_TASKS)[number];

/** One head: three Linears (the first after dropout), ReLU between. */
type Head = [Linear, Linear, Linear];

/** Every Self-MM layer; the audio and video sub-networks are named for their optimiser groups. */
export interface SelfMmModules {
  audio: { rnn: LstmWeights; linear: Linear };
  video: { rnn: LstmWeights; linear: Linear };
  heads: Record<SelfMmTask, Head>;
}

/** Per task: prediction [B] and the feature the label memory keeps (post_*_layer_1's output) [B, dim]. */
export type SelfMmOutputs = Record<SelfMmTask, { pred: tf.Tensor1D; feature: tf.Tensor2D }>;

function head(store: ParamStore, name: string, dIn: number, dim: number): Head {
  return [new Linear(store, `${name}_layer_1`, dIn, dim), new Linear(store, `${name}_layer_2`, dim, dim), new Linear(store, `${name}_layer_3`, dim, 1)];
}

/** Builds (or finds) every variable in the store. */
export function buildSelfMmModules(store: ParamStore, c: SelfMmConfig): SelfMmModules {
  return {
    audio: { rnn: new LstmWeights(store, 'audio_model.rnn.fw', c.dimA, c.aLstmHidden), linear: new Linear(store, 'audio_model.linear_1', c.aLstmHidden, c.audioOut) },
    video: { rnn: new LstmWeights(store, 'video_model.rnn.fw', c.dimV, c.vLstmHidden), linear: new Linear(store, 'video_model.linear_1', c.vLstmHidden, c.videoOut) },
    heads: {
      fusion: head(store, 'post_fusion', c.dimL + c.audioOut + c.videoOut, c.postFusionDim),
      text: head(store, 'post_text', c.dimL, c.postTextDim),
      audio: head(store, 'post_audio', c.audioOut, c.postAudioDim),
      vision: head(store, 'post_video', c.videoOut, c.postVideoDim),
    },
  };
}

/**
 * Both AuViSubNets: each LSTM packed by its modality's lengths, final state, dropout, Linear.
 * The two LSTMs step together as one block-diagonal LSTM (exactly two LSTMs; half the steps).
 */
function subNets(mods: SelfMmModules, batch: ModelBatch, branch: 'corrupted' | 'complete', drops: [DropoutSites, DropoutSites]): [tf.Tensor2D, tf.Tensor2D] {
  const { a, v } = batch.modalities;
  const [la, lv] = [clampLengths(a.lengths, a.t), clampLengths(v.lengths, v.t)];
  const t = Math.max(...la, ...lv);
  const x = tf.concat([packedRows(a, branch, la, t, 'left'), packedRows(v, branch, lv, t, 'left')], 2);
  const part = (w: LstmWeights) => ({ kernel: w.kernel, recurrent: w.recurrent, bias: tf.add(w.biasIh, w.biasHh) });
  const joint = blockDiagonalLstm([part(mods.audio.rnn), part(mods.video.rnn)]);
  const [ua, uv] = [mods.audio.rnn.recurrent.shape[0], mods.video.rnn.recurrent.shape[0]];
  const h = finalStateLstm(x, [{ lengths: la, units: ua }, { lengths: lv, units: uv }], joint.kernel, joint.recurrent, joint.bias);
  const audio = mods.audio.linear.apply(drops[0].apply(columns(h, 0, ua)));
  const video = mods.video.linear.apply(drops[1].apply(columns(h, ua, uv)));
  return [audio, video];
}

/** Self-MM on one branch of a batch; `training` turns dropout on (seeded by `seed`). */
export function selfMmForward(mods: SelfMmModules, c: SelfMmConfig, batch: ModelBatch, branch: 'corrupted' | 'complete', training: boolean, seed: number): SelfMmOutputs {
  const site = (rate: number, k: number) => new DropoutSites(training, rate, seed + k * 0x9e3779b9);
  const text = frameAt(batch.modalities.l, branch, 0);
  const [audio, video] = subNets(mods, batch, branch, [site(c.aLstmDropout, 1), site(c.vLstmDropout, 2)]);
  const inputs: Record<SelfMmTask, [tf.Tensor2D, number]> = {
    fusion: [tf.concat([text, audio, video], 1), c.postFusionDropout],
    text: [text, c.postTextDropout],
    audio: [audio, c.postAudioDropout],
    vision: [video, c.postVideoDropout],
  };
  const out = {} as SelfMmOutputs;
  SELF_MM_TASKS.forEach((task, k) => {
    const [l1, l2, l3] = mods.heads[task];
    const [x, rate] = inputs[task];
    const feature = tf.relu(l1.apply(site(rate, 3 + k).apply(x)));
    out[task] = { pred: tf.reshape(l3.apply(tf.relu(l2.apply(feature))), [-1]), feature };
  });
  return out;
}
