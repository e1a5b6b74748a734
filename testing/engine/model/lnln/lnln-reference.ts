/**
 * What the LNLN fidelity tests share: the tiny model and batches at missing rates 0, 0.5 and
 * 0.9, the request scripts/reference/lnln_torch.py answers, and our own answer in its shape.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { MODALITIES } from '#contract/dataset';
import { completenessLabels } from '../../../../src-main/engine/model/baselines/lnln/lnln-inputs';
import { LNLN_TERMS } from '../../../../src-main/engine/model/baselines/lnln/lnln-losses';
import { LnlnModel } from '../../../../src-main/engine/model/baselines/lnln/lnln-model';
import type { LnlnConfig } from '../../../../src-main/engine/model/baselines/lnln/lnln-config';
import type { ModelBatch } from '../../../../src-main/engine/model/batch';
import { trainConfigFor } from '../../../../src-main/engine/train/config';
import { lnlnBatch, tinyLnlnConfig } from './tiny-lnln';

/** The rates the fidelity tests run at; gradients are compared at GRAD_RATE. */
export const RATES = [0, 0.5, 0.9] as const;
export const GRAD_RATE = 0.5;

/** The training replay: AdamW steps on the GRAD_RATE batch at LNLN's lr and weight decay. */
export const REPLAY = { lr: 1e-4, weightDecay: 1e-4, steps: 2, batch: RATES.indexOf(GRAD_RATE) };

/** One batch's answer: predictions, completeness scores, every term, and optionally d total / d weight. */
export interface LnlnAnswer {
  pred: number[];
  w: number[];
  terms: Record<string, number>;
  grads?: Record<string, number[]>;
}

/** The reference script and the Python that runs it. */
export const PYTHON = process.env.DAR_TORCH_PYTHON ?? '/usr/bin/python3';
export const SCRIPT = join(import.meta.dirname, '../../../../scripts/reference/lnln_torch.py');
export const GOLDENS = join(import.meta.dirname, 'lnln-goldens.json');

/** The fixture: seed-1 weights of the tiny config, one batch of 4 clips per rate. */
export function fixture(over: Partial<LnlnConfig> = {}): { model: LnlnModel; batches: ModelBatch[] } {
  const model = new LnlnModel(tinyLnlnConfig(over), 1);
  const batches = RATES.map((rate, i) => lnlnBatch(model.config, 4, { rate, seed: 11 + i }));
  return { model, batches };
}

/** The script's request for the fixture (weights under our names, padded arrays as plain numbers). */
export async function request(model: LnlnModel, batches: ModelBatch[]): Promise<string> {
  const weights = Object.fromEntries([...(await model.params.exportWeights())].map(([k, w]) => [k, { shape: w.shape, data: Array.from(w.data) }]));
  const branch = (b: ModelBatch, which: 'complete' | 'corrupted') => Object.fromEntries(MODALITIES.map((m) => [m, Array.from(b.modalities[m][which])]));
  const list = batches.map((b, i) => ({
    size: b.size,
    labels: Array.from(b.labels!),
    completeness: Array.from(completenessLabels(b)),
    complete: branch(b, 'complete'),
    corrupted: branch(b, 'corrupted'),
    grads: RATES[i] === GRAD_RATE,
  }));
  return JSON.stringify({ config: model.config, weights, batches: list, train: REPLAY });
}

/** What the script answers: per batch, and the predictions after the training replay. */
export interface ReferenceAnswer {
  answers: LnlnAnswer[];
  trained: number[][];
}

/** Runs the reference script on a request. */
export function runReference(req: string): ReferenceAnswer {
  return JSON.parse(execFileSync(PYTHON, [SCRIPT], { input: req, encoding: 'utf8', maxBuffer: 64 << 20 })) as ReferenceAnswer;
}

/** Our predictions on every batch after the replay's AdamW steps (through the model's own trainer). */
export async function replayOurs(model: LnlnModel, batches: ModelBatch[]): Promise<number[][]> {
  const trainer = model.trainer(trainConfigFor(undefined, { lr: REPLAY.lr, weightDecay: REPLAY.weightDecay }), batches[REPLAY.batch].size);
  for (let s = 0; s < REPLAY.steps; s++) await trainer.step({ batch: batches[REPLAY.batch], seed: s, lr: REPLAY.lr, epoch: 0 });
  trainer.dispose();
  return Promise.all(batches.map(async (b) => Array.from(await model.predict(b))));
}

/** Our answer for one batch (gradients of the total loss when asked). */
export async function ours(model: LnlnModel, batch: ModelBatch, grads: boolean): Promise<LnlnAnswer> {
  const score = await model.score(batch);
  const terms = Object.fromEntries(LNLN_TERMS.map((k, i) => [k, score.terms[i]]));
  const wT = tf.tidy(() => tf.reshape(model.run(batch, false).w, [-1]));
  const w = Array.from(await wT.data());
  wT.dispose();
  const answer: LnlnAnswer = { pred: Array.from(score.predictions), w, terms };
  if (!grads) return answer;
  const vars = model.params.group('main');
  const names = new Map([...vars].map(([n, v]) => [v.name, n]));
  const { value, grads: g } = tf.variableGrads(() => model.losses(batch, model.run(batch, true)).total, [...vars.values()]);
  answer.grads = {};
  for (const [tfName, t] of Object.entries(g)) answer.grads[names.get(tfName)!] = Array.from(await t.data());
  tf.dispose([value, ...Object.values(g)]);
  return answer;
}

/** The committed goldens: the reference's answers, gradients as base64 float32 per weight. */
export interface Goldens {
  /** Sum of every weight and input value of the request, to tell a changed fixture from a broken model. */
  requestSum: number;
  answers: { pred: number[]; w: number[]; terms: Record<string, number>; grads?: Record<string, string> }[];
  /** Predictions on every batch after the training replay. */
  trained: number[][];
}

/** Sum of every number in a request (weights and batches). */
export function requestSum(req: string): number {
  let sum = 0;
  JSON.parse(req, (_k, v: unknown) => {
    if (typeof v === 'number') sum += v;
    return v;
  });
  return sum;
}

/** Base64 of float32 values. */
export function packFloats(xs: number[]): string {
  return Buffer.from(Float32Array.from(xs).buffer).toString('base64');
}

/** The inverse of packFloats. */
export function unpackFloats(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

/** The committed goldens. */
export function loadGoldens(): Goldens {
  return JSON.parse(readFileSync(GOLDENS, 'utf8')) as Goldens;
}

/** Worst |ours - theirs| over predictions, completeness scores and terms. */
export function worstValue(a: LnlnAnswer, b: Goldens['answers'][number]): number {
  const diffs = [...a.pred.map((x, i) => x - b.pred[i]), ...a.w.map((x, i) => x - b.w[i]), ...Object.keys(b.terms).map((k) => a.terms[k] - b.terms[k])];
  return Math.max(...diffs.map(Math.abs));
}

/**
 * Worst gradient error of any weight, relative to that weight's largest reference gradient (at
 * least 1e-3 of the largest of all: some gradients are 0 up to rounding, e.g. a key LayerNorm's
 * beta, which shifts every score of a softmax alike).
 */
export function worstGrad(a: LnlnAnswer, b: Goldens['answers'][number] | LnlnAnswer): { err: number; name: string } {
  const refs = Object.entries(b.grads!).map(([name, g]) => [name, typeof g === 'string' ? unpackFloats(g) : Float32Array.from(g)] as const);
  const floor = 1e-3 * Math.max(...refs.map(([, r]) => Math.max(...r.map(Math.abs))));
  let worst = { err: 0, name: '' };
  for (const [name, ref] of refs) {
    const got = a.grads![name];
    const scale = Math.max(floor, ...ref.map(Math.abs));
    const err = Math.max(...got.map((x, i) => Math.abs(x - ref[i]))) / scale;
    if (err > worst.err) worst = { err, name };
  }
  return worst;
}

/** Largest |a_i - b_i|. */
export function maxDiff(a: number[], b: number[]): number {
  return Math.max(...a.map((x, i) => Math.abs(x - b[i])));
}
