/**
 * The baselines' hyperparameters as the training form shows and checks them. The rules mirror
 * each model's config validation in engine/model/baselines/ (MISA, Self-MM: MMSA's MOSI config;
 * LNLN: train_mosi.yaml) so a bad value is flagged as it is typed; the worker checks again and
 * its coded error ("misa config: hidden must be ...") lands on the field it names.
 */
import type { ModelKind } from '#contract/model';

/** One numeric hyperparameter of a baseline: its rule and what it means. */
export interface BaselineField {
  key: string;
  hint: string;
  int?: boolean;
  min: number;
  max: number;
}

type Row = [key: string, hint: string, min: number, max: number, int?: boolean];
const rows = (list: Row[]): BaselineField[] => list.map(([key, hint, min, max, int]) => ({ key, hint, min, max, ...(int ? { int } : {}) }));
const W = 4096;

const MISA = rows([
  ['hidden', 'Width of the shared and private spaces', 2, W, true],
  ['heads', 'Attention heads of the fusion transformer; must divide hidden', 1, 64, true],
  ['dropout', 'Dropout of the fusion head', 0, 0.99],
  ['transformerDropout', 'Dropout inside the fusion transformer layer', 0, 0.99],
  ['ffDim', 'Feed-forward width of the fusion transformer layer', 1, 16384, true],
  ['cmdMoments', 'CMD moments (similarity loss)', 1, 10, true],
  ['simWeight', 'Weight of the CMD similarity loss', 0, 100],
  ['diffWeight', 'Weight of the difference (orthogonality) loss', 0, 100],
  ['reconWeight', 'Weight of the reconstruction loss', 0, 100],
  ['lr', 'Adam learning rate (constant, as MMSA)', 0, 1],
  ['weightDecay', 'Adam weight decay', 0, 1],
  ['gradClip', 'Element-wise gradient clip; -1 disables it', -1, 1e6],
  ['updateEpochs', 'Batches whose gradients are summed per optimiser step', 1, 1000, true],
]);

const SELF_MM = rows([
  ['aLstmHidden', 'Audio LSTM width', 1, W, true],
  ['vLstmHidden', 'Video LSTM width', 1, W, true],
  ['audioOut', 'Audio sub-network output', 1, W, true],
  ['videoOut', 'Video sub-network output', 1, W, true],
  ['aLstmDropout', "Dropout on the audio LSTM's final state", 0, 0.99],
  ['vLstmDropout', "Dropout on the video LSTM's final state", 0, 0.99],
  ['postFusionDim', 'Fusion head width', 1, W, true],
  ['postTextDim', 'Text head width', 1, W, true],
  ['postAudioDim', 'Audio head width', 1, W, true],
  ['postVideoDim', 'Video head width', 1, W, true],
  ['postFusionDropout', 'Fusion head dropout', 0, 0.99],
  ['postTextDropout', 'Text head dropout', 0, 0.99],
  ['postAudioDropout', 'Audio head dropout', 0, 0.99],
  ['postVideoDropout', 'Video head dropout', 0, 0.99],
  ['H', 'Bound of the generated unimodal labels', 1e-6, 100],
  ['excludeZero', '1: a zero label counts for neither centre', 0, 1, true],
  ['lrAudio', 'Adam learning rate of the audio sub-network', 0, 1],
  ['lrVideo', 'Adam learning rate of the video sub-network', 0, 1],
  ['lrOther', 'Adam learning rate of everything else', 0, 1],
  ['wdAudio', 'L2 weight decay of the audio sub-network', 0, 1],
  ['wdVideo', 'L2 weight decay of the video sub-network', 0, 1],
  ['wdOther', 'L2 weight decay of everything else', 0, 1],
  ['updateEpochs', 'Batches whose gradients are summed per optimiser step', 1, 1000, true],
]);

const LNLN = rows([
  ['d', 'Hidden width of every transformer; heads must divide it', 2, W, true],
  ['tokenLen', 'Learned tokens each feature extractor keeps', 1, W, true],
  ['heads', 'Attention heads; must divide d', 1, 64, true],
  ['dimHead', 'Width of one head in the encoder attentions', 1, W, true],
  ['mlpDim', "Hidden width of each encoder layer's feed-forward net", 1, W, true],
  ['depth', 'Layers of every encoder', 1, 64, true],
  ['hyperDepth', 'Hyper-modality learning layers; at most depth + 1', 1, 65, true],
  ['discHidden', 'Hidden width of the effectiveness discriminator', 1, W, true],
  ['grl', 'Gradient reversal factor in front of the proxy dominant feature', -1e6, 1e6],
  ['alpha', 'Weight of the completeness-check loss', 0, 1e6],
  ['beta', 'Weight of the adversarial (effectiveness) loss', 0, 1e6],
  ['gamma', 'Weight of the reconstruction loss', 0, 1e6],
  ['sigma', 'Weight of the sentiment loss', 0, 1e6],
]);

/** Each baseline's fields in the order the form shows them (DAR has its own, form-fields.ts). */
export const BASELINE_FIELDS: Readonly<Record<Exclude<ModelKind, 'dar'>, readonly BaselineField[]>> = { misa: MISA, 'self-mm': SELF_MM, lnln: LNLN };

/** What is wrong with one value under its rule, or null. */
function fieldError(f: BaselineField, v: unknown): string | null {
  const ok = typeof v === 'number' && Number.isFinite(v) && v >= f.min && v <= f.max && (!f.int || Number.isInteger(v));
  return ok ? null : `${f.int ? 'an integer' : 'a number'} in [${f.min}, ${f.max}]`;
}

/** The cross-field rules each model's validation adds (heads divide the width, LNLN's depths). */
function crossErrors(kind: Exclude<ModelKind, 'dar'>, v: Record<string, number>, out: Record<string, string>): void {
  const divides = (width: string, heads: string): void => {
    if (!out[`model.${width}`] && !out[`model.${heads}`] && v[width] % v[heads] !== 0) out[`model.${heads}`] = `must divide ${width} (${v[width]})`;
  };
  if (kind === 'misa') divides('hidden', 'heads');
  if (kind === 'lnln') {
    divides('d', 'heads');
    if (!out['model.hyperDepth'] && !out['model.depth'] && v.hyperDepth > v.depth + 1) out['model.hyperDepth'] = `at most depth + 1 (${v.depth + 1})`;
  }
}

/** Every baseline field that would be refused, keyed "model.<field>" as the form's errors are. */
export function baselineErrors(kind: Exclude<ModelKind, 'dar'>, values: Record<string, number>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of BASELINE_FIELDS[kind]) {
    const e = fieldError(f, values[f.key]);
    if (e) out[`model.${f.key}`] = e;
  }
  crossErrors(kind, values, out);
  return out;
}

/** The field a baseline's coded error names ("lnln config: heads must divide d ..."), if any. */
export function baselineFieldOfMessage(message: string): string | null {
  const m = /^(?:misa|self-mm|lnln) config: (?:unknown field ")?([A-Za-z]+)/.exec(message);
  return m ? `model.${m[1]}` : null;
}
