/**
 * Explains one clip under changing masks (the workbench's mask edits) without recomputing what
 * an edit cannot change. The complete input's features and prediction are computed once; per
 * modality the corrupted branch's encodings are kept for its last few masks and computed only for
 * a mask not among them, and an unmasked modality's corrupted branch is its complete one.
 * So an edit runs the alignment and encoders of the edited modality and then restoration, fusion
 * and head, all on a batch of one (eval mode: every row is independent of the others); of those,
 * what depends only on the other modalities' unchanged specific features comes from a memo.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { BranchExplanation, ClipExplanation, ModalityExplanation } from '#contract/explain';
import { maskedBinFractions } from '../data/frame-mask';
import type { BatchModality, ModelBatch } from '../model/batch';
import { DecodeMemo } from '../model/decode-memo';
import type { DarModel, DecodedOutputs, EncodedModality } from '../model/dar-model';
import { disposeModalityInput, toModalityInput } from '../model/inputs/inputs';
import { buildBatch } from '../train/batcher';

const RESTORED = ['Hhat_com', 'Hhat_spec', 'Uhat1', 'gate_com', 'gate_spec'] as const;
/** Explanations kept for masks seen again (undo/redo): they are plain arrays, a few hundred KB each. */
const RECENT_RESULTS = 8;
/** Corrupted-branch encodings kept per modality (a toggle and back, an undo, reuse them). */
const RECENT_ENCODINGS = 4;
type Restored = Record<(typeof RESTORED)[number], Float32Array>;

/** One row's encodings: the tensors (kept for restoration) and their values. */
interface Encoding {
  tensors: EncodedModality;
  U: Float32Array;
  Hcom: Float32Array;
  Hspec: Float32Array;
}

/** One row through restoration, fusion and head. */
interface DecodedRow {
  restored: PerModality<Restored>;
  y: number;
}

/** The complete input, explained once. */
interface CompleteRow extends DecodedRow {
  enc: PerModality<Encoding>;
}

function perModality<T>(f: (m: Modality) => T): PerModality<T> {
  return { l: f('l'), a: f('a'), v: f('v') };
}

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

function sameMask(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Rows of the clip (complete frames; masked ones zeroed where the row's mask says so) as a one-branch batch modality. */
function rowsModality(base: BatchModality, rows: (Uint8Array | null)[]): BatchModality {
  const { t, d } = base;
  const data = new Float32Array(rows.length * t * d);
  rows.forEach((mask, r) => {
    data.set(base.complete, r * t * d);
    if (mask) for (let j = 0; j < mask.length; j++) if (mask[j]) data.fill(0, (r * t + j) * d, (r * t + j + 1) * d);
  });
  const lengths = new Int32Array(rows.length).fill(base.lengths[0]);
  // corrupted === complete: one branch (toModalityInput)
  return { complete: data, corrupted: data, t, d, lengths, masks: new Uint8Array(rows.length * t) };
}

/** Row r of x [rows, ...] as its own tensor (tiny: a slice is cheap here). */
function row<T extends tf.Tensor>(x: T, r: number): T {
  return tf.slice(x, [r, ...x.shape.slice(1).map(() => 0)], [1, ...x.shape.slice(1)]) as T;
}

/** The row's tensors with their values read (awaited: sync reads break on WebGPU); frees them if a read fails. */
async function withValues(tensors: EncodedModality): Promise<Encoding> {
  try {
    const [U, Hcom, Hspec] = await Promise.all([tensors.U.data<'float32'>(), tensors.Hcom.data<'float32'>(), tensors.Hspec.data<'float32'>()]);
    return { tensors, U, Hcom, Hspec };
  } catch (err) {
    tf.dispose(Object.values(tensors));
    throw err;
  }
}

/** Explains one clip of a normalised split under any sequence of masks; dispose() when done. */
export class ClipExplainer {
  private readonly clip: ModelBatch;
  private complete: CompleteRow | null = null;
  /** Per modality, the corrupted branch's encodings of recent masks, newest first. */
  private readonly corrupted: PerModality<{ mask: Uint8Array; enc: Encoding }[]> = { l: [], a: [], v: [] };
  private recent: { frames: PerModality<Uint8Array>; explanation: ClipExplanation }[] = [];
  /** Specific restorations and cross-modal blocks of unchanged modalities (single-row decodes). */
  private readonly memo = new DecodeMemo();
  private disposed = false;
  /** The explain in flight: calls run one at a time because each reads and updates the caches across awaits. */
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  constructor(
    readonly model: DarModel,
    readonly split: SplitData,
    readonly index: number,
  ) {
    this.clip = buildBatch(split, [index]);
  }

  /** Masked vs complete explanation under `masks` (one [T_m] frame mask per modality, 1 = masked). */
  explain(masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
    if (this.disposed) return Promise.reject(new Error('ClipExplainer: explain after dispose'));
    this.pending++;
    const run = this.tail.then(() => this.explainNow(masks)).finally(() => void this.pending--);
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async explainNow(masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
    if (this.disposed) throw new Error('ClipExplainer: explain after dispose');
    const frames = perModality((m) => this.validMask(m, masks[m]));
    // undo, redo and back-and-forth edits come back to masks explained before
    const seen = this.recent.find((r) => MODALITIES.every((m) => sameMask(r.frames[m], frames[m])));
    if (seen) return seen.explanation;
    const explanation = await this.compute(frames);
    this.recent.unshift({ frames, explanation });
    this.recent.length = Math.min(this.recent.length, RECENT_RESULTS);
    return explanation;
  }

  /** Frees every tensor held (after the explain in flight, if any, has read them). */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.pending === 0) this.free();
    else void this.tail.then(() => this.free());
  }

  private free(): void {
    for (const m of MODALITIES) {
      if (this.complete) tf.dispose(Object.values(this.complete.enc[m].tensors));
      for (const c of this.corrupted[m]) tf.dispose(Object.values(c.enc.tensors));
      this.corrupted[m] = [];
    }
    this.complete = null;
    this.recent = [];
    this.memo.dispose();
  }

  /** The decode memo's hits, misses and entries (tests, benchmarks). */
  get memoStats(): { hits: number; misses: number; entries: number } {
    return this.memo.stats;
  }

  private async compute(frames: PerModality<Uint8Array>): Promise<ClipExplanation> {
    const clean = perModality((m) => !frames[m].includes(1));
    const allClean = MODALITIES.every((m) => clean[m]);
    const completeEnc = await this.encodeMissing(frames, clean);
    const maskedEnc = perModality((m) => (clean[m] ? completeEnc[m] : this.corrupted[m][0].enc));
    let masked: DecodedRow;
    if (!this.complete) {
      const [first, second] = await this.decode(maskedEnc, completeEnc, allClean);
      this.complete = { enc: completeEnc, ...second };
      masked = first;
    } else {
      masked = allClean ? this.complete : (await this.decode(maskedEnc, null, false))[0];
    }
    const complete = this.complete;
    const { t, d } = this.model.config;
    const branch = (isMasked: boolean): BranchExplanation => {
      const decoded = isMasked ? masked : complete;
      const modalities = perModality((m) => this.modalityExplanation(m, isMasked ? maskedEnc[m] : complete.enc[m], decoded.restored[m], isMasked ? frames[m] : null));
      return { yHat: decoded.y, modalities };
    };
    return { id: this.split.ids[this.index], label: this.split.labels[this.index], t, d, masked: branch(true), complete: branch(false) };
  }

  /** The mask over the clip's valid frames (positions past its length never count). */
  private validMask(m: Modality, mask: Uint8Array): Uint8Array {
    const len = this.clip.modalities[m].lengths[0];
    const out = new Uint8Array(len);
    for (let j = 0; j < Math.min(len, mask.length); j++) out[j] = mask[j] ? 1 : 0;
    return out;
  }

  /**
   * Encodes, per modality, the complete row (first call) and the corrupted row of a mask not
   * seen lately; afterwards corrupted[m][0] is this call's. Returns the complete encodings.
   */
  private async encodeMissing(frames: PerModality<Uint8Array>, clean: PerModality<boolean>): Promise<PerModality<Encoding>> {
    const complete = {} as PerModality<Encoding>;
    for (const m of MODALITIES) {
      const needComplete = !this.complete;
      const recent = this.corrupted[m];
      const hit = clean[m] ? -1 : recent.findIndex((c) => sameMask(c.mask, frames[m]));
      if (hit > 0) recent.unshift(...recent.splice(hit, 1));
      const needCorrupted = !clean[m] && hit < 0;
      const rows: (Uint8Array | null)[] = [...(needCorrupted ? [frames[m]] : []), ...(needComplete ? [null] : [])];
      if (rows.length > 0) {
        const enc = await this.encodeRows(m, rows);
        if (needCorrupted) {
          recent.unshift({ mask: frames[m], enc: enc[0] });
          for (const old of recent.splice(RECENT_ENCODINGS)) tf.dispose(Object.values(old.enc.tensors));
        }
        if (needComplete) complete[m] = enc[rows.length - 1];
      }
      if (!needComplete) complete[m] = this.complete!.enc[m];
    }
    return complete;
  }

  /** Alignment and encoders of modality m on the given rows (one tensor set per row). */
  private async encodeRows(m: Modality, rows: (Uint8Array | null)[]): Promise<Encoding[]> {
    const input = toModalityInput(rowsModality(this.clip.modalities[m], rows), m, rows.length, this.model.config);
    let all: EncodedModality | null = null;
    try {
      all = this.model.encodeModality(m, input);
      if (rows.length === 1) {
        const one = all;
        all = null; // kept: it is the row
        return [await withValues(one)];
      }
      const batch = all;
      return await Promise.all(rows.map((_, r) => withValues({ U: row(batch.U, r), Hcom: row(batch.Hcom, r), Hspec: row(batch.Hspec, r) })));
    } finally {
      if (all) tf.dispose(Object.values(all));
      disposeModalityInput(input);
    }
  }

  /**
   * Restoration, fusion and head on the masked rows, and in the same batch on the complete rows
   * when given (rows: [masked, complete]); `sameRows` = nothing is masked, one row serves both.
   */
  private async decode(masked: PerModality<Encoding>, complete: PerModality<Encoding> | null, sameRows: boolean): Promise<DecodedRow[]> {
    const two = complete !== null && !sameRows;
    // The outputs leave the tidy as one flat list: y_hat, then each modality's RESTORED in order.
    const outs = tf.tidy(() => {
      const enc = perModality((m): EncodedModality => {
        const a = masked[m].tensors;
        if (!two) return a;
        const b = complete[m].tensors;
        return { U: tf.concat([a.U, b.U]), Hcom: tf.concat([a.Hcom, b.Hcom]), Hspec: tf.concat([a.Hspec, b.Hspec]) };
      });
      const out: DecodedOutputs = this.model.forwardEncoded(enc, two ? undefined : this.memo);
      // Clones: some outputs are the memo's own tensors, which must outlive this read.
      return [out.y_hat, ...MODALITIES.flatMap((m) => RESTORED.map((k) => out.perModality[m][k]))].map((x) => tf.clone(x));
    });
    let read: Float32Array[];
    try {
      read = await Promise.all(outs.map((x) => x.data<'float32'>()));
    } finally {
      tf.dispose(outs);
    }
    const [y, ...flat] = read;
    const values = perModality((m) => Object.fromEntries(RESTORED.map((k, i) => [k, flat[MODALITIES.indexOf(m) * RESTORED.length + i]])) as Restored);
    const size = this.model.config.t * this.model.config.d;
    const rowOf = (r: number): DecodedRow => ({
      restored: perModality((m) => Object.fromEntries(RESTORED.map((k) => [k, two ? values[m][k].slice(r * size, (r + 1) * size) : values[m][k]])) as Restored),
      y: y[two ? r : 0],
    });
    return complete === null ? [rowOf(0)] : [rowOf(0), rowOf(1)];
  }

  /** One modality's explanation from its encodings, its restoration and the mask (null = complete row). */
  private modalityExplanation(m: Modality, enc: Encoding, r: Restored, mask: Uint8Array | null): ModalityExplanation {
    const { t, d } = this.model.config;
    const full = this.complete!.enc[m];
    const len = this.clip.modalities[m].lengths[0];
    const fractions = Float32Array.from(maskedBinFractions(mask ?? new Uint8Array(len), len, t));
    return {
      U1: full.U,
      U1t: enc.U,
      Hcom: full.Hcom,
      Hcom_t: enc.Hcom,
      Hhat_com: r.Hhat_com,
      Hspec: full.Hspec,
      Hspec_t: enc.Hspec,
      Hhat_spec: r.Hhat_spec,
      Uhat1: r.Uhat1,
      gate_com: r.gate_com,
      gate_spec: r.gate_spec,
      reconError: binError(r.Uhat1, full.U, t, d),
      reconErrorCom: binError(r.Hhat_com, full.Hcom, t, d),
      reconErrorSpec: binError(r.Hhat_spec, full.Hspec, t, d),
      maskedFraction: fractions,
      binsTouched: Uint8Array.from(fractions, (f) => (f > 0 ? 1 : 0)),
    };
  }
}
