/** The per-modality modules of DAR and the types of a forward pass (spec "Architecture"). */
import type * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality } from '#contract/dataset';
import type { DarConfig } from '#contract/model';
import { Alignment } from './blocks/alignment';
import { ClubEstimator } from './blocks/bi-lstm';
import { Linear } from './blocks/linear';
import { Mlp } from './blocks/mlp';
import { TransformerBlock } from './blocks/transformer-block';
import type { ParamStore } from './params';

/** How to run a forward pass. */
export interface ForwardMode {
  /** Dropout on (training) or off (evaluation, inference). */
  training: boolean;
  /** Drives the dropout masks; equal seeds give equal masks [0]. */
  seed?: number;
  /** Also compute the CLUB estimator's mu/logvar on H~spec (needed by L_diff). */
  club?: boolean;
  /**
   * Called once the corrupted branch's encoders have run, before anything reads the CLUB
   * networks: a trainer can take its CLUB step here on these features (detach them) instead of
   * recomputing them with encode().
   */
  onEncoded?: (features: PerModality<{ Hcom_t: tf.Tensor3D; Hspec_t: tf.Tensor3D }>) => void;
}

/** Everything one modality produces; [B, t, d] unless noted. `_t` = corrupted branch (tilde). */
export interface ModalityOutputs {
  U1: tf.Tensor3D;
  U1t: tf.Tensor3D;
  Hcom: tf.Tensor3D;
  Hspec: tf.Tensor3D;
  Hcom_t: tf.Tensor3D;
  Hspec_t: tf.Tensor3D;
  Ure: tf.Tensor3D;
  Hhat_com: tf.Tensor3D;
  Hhat_spec: tf.Tensor3D;
  Uhat1: tf.Tensor3D;
  gate_com: tf.Tensor3D;
  gate_spec: tf.Tensor3D;
  Hcom_fused: tf.Tensor3D;
  Hspec_fused: tf.Tensor3D;
  /** CLUB q(H~com | H~spec), only when ForwardMode.club is set. */
  club_mu?: tf.Tensor3D;
  club_logvar?: tf.Tensor3D;
}

/** What restoration adds to the corrupted branch's features (ModalityOutputs without the complete branch and CLUB). */
export type RestoredOutputs = Omit<ModalityOutputs, 'U1' | 'Hcom' | 'Hspec' | 'club_mu' | 'club_logvar' | 'Ure'> & {
  /** The restoration decoder's output (only the L_re loss reads it; inference skips it). */
  Ure?: tf.Tensor3D;
};

/** One modality's alignment and encoder outputs on a one-branch input, [B, t, d] each. */
export interface EncodedModality {
  U: tf.Tensor3D;
  Hcom: tf.Tensor3D;
  Hspec: tf.Tensor3D;
}

/** Restoration, fusion and head outputs of a forward pass from the corrupted features alone. */
export interface DecodedOutputs {
  perModality: PerModality<RestoredOutputs>;
  h_com: tf.Tensor2D;
  h_spec: tf.Tensor2D;
  y_hat: tf.Tensor1D;
}

/** All outputs of a forward pass. */
export interface ForwardOutputs {
  perModality: PerModality<ModalityOutputs>;
  /** [B, 3d] */
  h_com: tf.Tensor2D;
  /** [B, 6d] */
  h_spec: tf.Tensor2D;
  /** [B] */
  y_hat: tf.Tensor1D;
  /** [B] */
  y_boot: tf.Tensor1D;
}

/** The modules DAR holds separately for one modality m. */
export class ModalityModules {
  readonly align: Alignment;
  readonly encCom: TransformerBlock;
  readonly encSpec: TransformerBlock;
  readonly decRe: Mlp;
  readonly recProj: Linear;
  readonly recBlock: TransformerBlock;
  readonly recSpec: TransformerBlock;
  readonly decRec: Mlp;
  readonly gateCom: Linear;
  readonly gateSpec: Linear;
  readonly club: ClubEstimator;

  constructor(store: ParamStore, config: DarConfig, m: Modality) {
    const { d, t, heads } = config;
    this.align = new Alignment(store, `align.${m}`, config.inputDims[m], d, t);
    this.encCom = new TransformerBlock(store, `enc_com.${m}`, d, heads);
    this.encSpec = new TransformerBlock(store, `enc_spec.${m}`, d, heads);
    this.decRe = new Mlp(store, `dec_re.${m}`, 3 * d, d, d);
    this.recProj = new Linear(store, `rec_com.${m}.proj`, 3 * d, d);
    this.recBlock = new TransformerBlock(store, `rec_com.${m}.block`, d, heads);
    this.recSpec = new TransformerBlock(store, `rec_spec.${m}`, d, heads);
    this.decRec = new Mlp(store, `dec_rec.${m}`, 2 * d, d, d);
    this.gateCom = new Linear(store, `gate_com.${m}`, 2 * d, d);
    this.gateSpec = new Linear(store, `gate_spec.${m}`, 2 * d, d);
    this.club = new ClubEstimator(store, `club.${m}`, d);
  }
}
