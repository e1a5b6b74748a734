/**
 * Inference that explains itself: one clip under a mask and the same clip complete, run as one
 * batch of two, with every intermediate the studio draws as typed arrays.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality, SplitData } from '../../contract/dataset';
import type { BranchExplanation, ClipExplanation, ModalityExplanation } from '../../contract/explain';
import { maskedBinFractions } from '../data/frame-mask';
import type { DarModel } from '../model/dar-model';
import type { ModalityOutputs } from '../model/dar-model-modules';
import { disposeInputs, toModelInputs } from '../model/inputs';
import { buildBatch } from '../train/batcher';

const MODALITIES: readonly Modality[] = ['l', 'a', 'v'];
const MATRICES = ['U1', 'U1t', 'Hcom', 'Hcom_t', 'Hhat_com', 'Hspec', 'Hspec_t', 'Hhat_spec', 'Uhat1', 'gate_com', 'gate_spec'] as const;

/** Per-bin mean squared difference of two [t, d] matrices. */
function binError(a: Float32Array, b: Float32Array, t: number, d: number): Float32Array {
  const out = new Float32Array(t);
  for (let k = 0; k < t; k++) {
    let s = 0;
    for (let j = k * d; j < (k + 1) * d; j++) s += (a[j] - b[j]) ** 2;
    out[k] = s / d;
  }
  return out;
}

/**
 * Explains clip `index` of a normalised split under `masks` (one [T_m] frame mask per modality,
 * 1 = masked). Row 0 of the batch is the masked input, row 1 the complete one.
 */
export function explainClip(model: DarModel, split: SplitData, index: number, masks: PerModality<Uint8Array>): ClipExplanation {
  const { t, d } = model.config;
  const batch = buildBatch(split, [index, index]);
  // buildBatch masks by clip index, and both rows are the same clip: mask row 0 by hand.
  for (const m of MODALITIES) {
    const mod = batch.modalities[m];
    for (let j = 0; j < Math.min(mod.t, masks[m].length); j++) {
      if (!masks[m][j]) continue;
      mod.masks[j] = 1;
      mod.corrupted.fill(0, j * mod.d, (j + 1) * mod.d);
    }
  }
  const inputs = toModelInputs(batch, model.config);
  let rows!: { y: Float32Array; per: PerModality<Record<(typeof MATRICES)[number], Float32Array>> };
  try {
    // Read everything inside the tidy: nothing of the forward pass outlives it.
    tf.tidy(() => {
      const out = model.forward(inputs, { training: false });
      const per = {} as PerModality<Record<(typeof MATRICES)[number], Float32Array>>;
      for (const m of MODALITIES) {
        const o = out.perModality[m] as ModalityOutputs;
        per[m] = Object.fromEntries(MATRICES.map((k) => [k, o[k].dataSync() as Float32Array])) as Record<(typeof MATRICES)[number], Float32Array>;
      }
      rows = { y: out.y_hat.dataSync() as Float32Array, per };
    });
  } finally {
    disposeInputs(inputs);
  }
  const branch = (row: number): BranchExplanation => {
    const modalities = {} as PerModality<ModalityExplanation>;
    for (const m of MODALITIES) {
      const pick = (k: (typeof MATRICES)[number]): Float32Array => rows.per[m][k].slice(row * t * d, (row + 1) * t * d);
      const mats = Object.fromEntries(MATRICES.map((k) => [k, pick(k)])) as Record<(typeof MATRICES)[number], Float32Array>;
      const len = split.lengths[m][index];
      const fractions = Float32Array.from(maskedBinFractions(row === 0 ? masks[m] : new Uint8Array(len), len, t));
      modalities[m] = {
        ...mats,
        reconError: binError(mats.Uhat1, mats.U1, t, d),
        reconErrorCom: binError(mats.Hhat_com, mats.Hcom, t, d),
        reconErrorSpec: binError(mats.Hhat_spec, mats.Hspec, t, d),
        maskedFraction: fractions,
        binsTouched: Uint8Array.from(fractions, (f) => (f > 0 ? 1 : 0)),
      };
    }
    return { yHat: rows.y[row], modalities };
  };
  return { id: split.ids[index], label: split.labels[index], t, d, masked: branch(0), complete: branch(1) };
}
