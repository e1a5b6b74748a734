import type { PerModality } from './dataset';

/** One modality's features in one forward pass; every matrix is [t, d] row-major, every vector [t]. */
export interface ModalityExplanation {
  /** Aligned complete input U1 and aligned corrupted input U1~. */
  U1: Float32Array;
  U1t: Float32Array;
  /** Common features: complete, corrupted, reconstructed. */
  Hcom: Float32Array;
  Hcom_t: Float32Array;
  Hhat_com: Float32Array;
  /** Independent (modality-specific) features: complete, corrupted, reconstructed. */
  Hspec: Float32Array;
  Hspec_t: Float32Array;
  Hhat_spec: Float32Array;
  /** Reconstructed aligned input. */
  Uhat1: Float32Array;
  /** Gate values g (weight of the reconstruction against what was observed). */
  gate_com: Float32Array;
  gate_spec: Float32Array;
  /** Per-bin mean squared reconstruction error against the complete features: Uhat1 vs U1, Hhat_com vs Hcom, Hhat_spec vs Hspec. */
  reconError: Float32Array;
  reconErrorCom: Float32Array;
  reconErrorSpec: Float32Array;
  /** Fraction of each bin's frames that the mask covers, and whether it touches the bin at all (1/0). */
  maskedFraction: Float32Array;
  binsTouched: Uint8Array;
}

/** One forward pass explained. */
export interface BranchExplanation {
  yHat: number;
  modalities: PerModality<ModalityExplanation>;
}

/** A clip under a mask, beside the same clip complete (the studio's workbench data). */
export interface ClipExplanation {
  id: string;
  label: number;
  t: number;
  d: number;
  /** The masked input (the corrupted branch sees the mask). */
  masked: BranchExplanation;
  /** The complete input (no mask anywhere). */
  complete: BranchExplanation;
}

/**
 * What a model without decoupled features (the baselines) answers to a mask edit: the masked
 * and complete predictions only. `features: null` is how the studio tells it apart.
 */
export interface PredictionExplanation {
  id: string;
  label: number;
  features: null;
  masked: { yHat: number };
  complete: { yHat: number };
}

/** explain's answer: DAR's full explanation, or another model's two predictions. */
export type WorkbenchExplanation = ClipExplanation | PredictionExplanation;

/** True when the answer carries DAR's decoupled features (false: predictions only). */
export function hasFeatures(e: WorkbenchExplanation): e is ClipExplanation {
  return !('features' in e && e.features === null);
}
