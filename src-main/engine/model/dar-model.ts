/**
 * DAR (spec "Architecture" 1-10): alignment, decoupling encoders, restoration decoders,
 * reconstruction, gates, common and specific fusion, head, bootstrap head, CLUB estimators.
 * The corrupted and the complete branch share weights and run as one batch of 2B through the
 * alignment and both encoders (corrupted first), then split.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Modality, PerModality } from '#contract/dataset';
import type { Ablation, DarConfig, TrainConfig } from '#contract/model';
import { DAR_LOSS_TERMS } from '#contract/model';
import { DarError } from '../errors';
import type { ModelBatch } from './batch';
import { DarTrainer, darPredict, darScore } from './dar-sentiment';
import type { BatchScore, ModelTrainer, SentimentModel } from './sentiment-model';
import type { DecodeMemo } from './decode-memo';
import { runClubs } from './blocks/bi-lstm';
import type { LstmGrads } from './blocks/lstm-op';
import { CrossModalBlock, TransformerBlock } from './blocks/transformer-block';
import { Mlp } from './blocks/mlp';
import { ModalityModules } from './dar-model-modules';
import type { DecodedOutputs, EncodedModality, ForwardMode, ForwardOutputs, ModalityOutputs, RestoredOutputs } from './dar-model-modules';
import { MODALITY_ORDER } from './inputs/inputs';
import type { ModalityInput, ModelInputs } from './inputs/inputs';
import { DropoutSites, tidyObject } from './ops/ops';
import { pick, stack0 } from './ops/fused';
import { ParamStore } from './params';

export type { DecodedOutputs, EncodedModality, ForwardMode, ForwardOutputs, ModalityOutputs, RestoredOutputs } from './dar-model-modules';
export type { ModalityInput, ModelInputs } from './inputs/inputs';

/** The two other modalities of m, in l, a, v order. */
function others(m: Modality): Modality[] {
  return MODALITY_ORDER.filter((n) => n !== m);
}

/** Per-modality record built by f. */
function perModality<T>(f: (m: Modality) => T): PerModality<T> {
  return { l: f('l'), a: f('a'), v: f('v') };
}

type Encoded = Pick<ModalityOutputs, 'U1' | 'U1t' | 'Hcom' | 'Hspec' | 'Hcom_t' | 'Hspec_t'>;
type CorruptedFeatures = Pick<ModalityOutputs, 'U1t' | 'Hcom_t' | 'Hspec_t'>;

/**
 * The DAR model: weights built once from (config, seed); forward returns every intermediate.
 * As a SentimentModel it is what the generic trainer, scorer and predictor run.
 */
export class DarModel implements SentimentModel {
  readonly kind = 'dar';
  readonly terms = DAR_LOSS_TERMS;
  readonly params: ParamStore;
  private readonly mods: PerModality<ModalityModules>;
  private readonly fuseCom: TransformerBlock[];
  private readonly fuseSpec = new Map<string, CrossModalBlock>();
  private readonly head: Mlp;
  private readonly boot: Mlp;

  constructor(
    readonly config: DarConfig,
    seed: number,
  ) {
    const { d, heads } = config;
    if (!Number.isInteger(d / heads) || d % 2 !== 0) {
      throw new DarError('ARG_INVALID', `model config: d must be even and divisible by heads, got d=${d}, heads=${heads}`);
    }
    const store = (this.params = new ParamStore(seed));
    this.mods = perModality((m) => new ModalityModules(store, config, m));
    this.fuseCom = [0, 1].map((i) => new TransformerBlock(store, `fuse_com.${i}`, d, heads));
    for (const dst of MODALITY_ORDER) {
      for (const src of others(dst)) this.fuseSpec.set(`${src}_${dst}`, new CrossModalBlock(store, `fuse_spec.${src}_${dst}`, d, heads));
    }
    this.head = new Mlp(store, 'head', 9 * d, d, 1);
    this.boot = new Mlp(store, 'boot', 3 * d, d, 1);
  }

  /** Runs the whole model; the caller disposes the outputs (or wraps the call in tf.tidy). */
  forward(inputs: ModelInputs, mode: ForwardMode): ForwardOutputs {
    return tidyObject(() => {
      const drop = new DropoutSites(mode.training, this.config.dropout, mode.seed ?? 0);
      const enc = perModality((m) => this.encodeBoth(m, inputs, drop));
      mode.onEncoded?.(perModality((m) => ({ Hcom_t: enc[m].Hcom_t, Hspec_t: enc[m].Hspec_t })));
      const { perModality: restored, h_com, h_spec, y_hat } = this.decode(enc, drop);
      const per = perModality((m) => ({ ...enc[m], ...restored[m] }) as ModalityOutputs);
      const b = h_com.shape[0];
      const means = MODALITY_ORDER.map((m) => tf.mean(enc[m].Hcom, 1) as tf.Tensor2D);
      const y_boot = tf.reshape(this.boot.applyJoined(means), [b]) as tf.Tensor1D;
      if (mode.club) {
        // the CLUB networks are frozen in the main step (spec "Losses"): only H~spec needs a gradient
        const est = this.clubAll(perModality((m) => per[m].Hspec_t), 'inputs');
        for (const m of MODALITY_ORDER) {
          per[m].club_mu = est[m].mu;
          per[m].club_logvar = est[m].logvar;
        }
      }
      return { perModality: per, h_com, h_spec, y_hat, y_boot };
    });
  }

  /**
   * Alignment and both decoupling encoders of modality m on a one-branch input (inference: the
   * explainer encodes only what a mask edit changed). Returns [B, t, d] each.
   */
  encodeModality(m: Modality, input: ModalityInput): EncodedModality {
    return tidyObject(() => {
      const drop = new DropoutSites(false, this.config.dropout, 0);
      const mod = this.mods[m];
      const U = mod.align.apply(input);
      return { U, Hcom: mod.encCom.apply(U, drop), Hspec: mod.encSpec.apply(U, drop) };
    });
  }

  /**
   * Restoration, fusion and head (eval mode) from the corrupted branch's encoded features alone:
   * the complete branch only feeds y_boot and the losses, so inference skips it (and Ure, L_re's).
   * With a memo, the parts whose inputs are tensors it has seen are taken from it (mask edits:
   * see decode-memo.ts); its tensors stay its own, so a caller must not dispose the outputs
   * one by one (a tf.tidy around the call is right).
   */
  forwardEncoded(enc: PerModality<EncodedModality>, memo?: DecodeMemo): DecodedOutputs {
    return tidyObject(() => {
      const drop = new DropoutSites(false, this.config.dropout, 0);
      return this.decode(perModality((m) => ({ U1t: enc[m].U, Hcom_t: enc[m].Hcom, Hspec_t: enc[m].Hspec })), drop, false, memo);
    });
  }

  /** CLUB q(y | x) of modality m on x [B, t, d] (pass a detached H~spec for the CLUB step). */
  club(m: Modality, x: tf.Tensor3D): { mu: tf.Tensor3D; logvar: tf.Tensor3D } {
    return runClubs([this.mods[m].club], [x])[0];
  }

  /**
   * The three CLUB estimators in one pass (their LSTMs step together): cheaper than club() x 3.
   * `grads` 'inputs' skips the LSTM weights' gradients (frozen CLUB, as in the main step),
   * 'weights' the inputs' (detached features, as in the CLUB step).
   */
  clubAll(x: PerModality<tf.Tensor3D>, grads: LstmGrads = 'all'): PerModality<{ mu: tf.Tensor3D; logvar: tf.Tensor3D }> {
    const [l, a, v] = runClubs(
      MODALITY_ORDER.map((m) => this.mods[m].club),
      MODALITY_ORDER.map((m) => x[m]),
      grads,
    );
    return { l, a, v };
  }

  /**
   * Alignment and encoders of the corrupted branch only (e.g. the CLUB step's features); the
   * alignment still runs on both branches of the input.
   */
  encode(inputs: ModelInputs, mode: ForwardMode): PerModality<Pick<ModalityOutputs, 'U1t' | 'Hcom_t' | 'Hspec_t'>> {
    return tidyObject(() => {
      const drop = new DropoutSites(mode.training, this.config.dropout, mode.seed ?? 0);
      return perModality((m) => {
        const mod = this.mods[m];
        const input = inputs[m];
        const U = mod.align.apply(input);
        const U1t = input.branches === 1 ? U : pick(U, 0, 2);
        return { U1t, Hcom_t: mod.encCom.apply(U1t, drop), Hspec_t: mod.encSpec.apply(U1t, drop) };
      });
    });
  }

  /** Eval-mode predictions of the corrupted branch. */
  predict(batch: ModelBatch): Promise<Float32Array> {
    return darPredict(this, batch);
  }

  /** Eval-mode loss terms (DAR_LOSS_TERMS order) and predictions. */
  score(batch: ModelBatch, ablations?: readonly Ablation[]): Promise<BatchScore> {
    return darScore(this, batch, ablations);
  }

  /** A trainer with DAR's AdamW and CLUB Adam for one run. */
  trainer(train: TrainConfig): ModelTrainer {
    return new DarTrainer(this, train);
  }

  /** Disposes every weight. */
  dispose(): void {
    this.params.dispose();
  }

  /** Alignment and decoupling encoders on [corrupted; complete] as one batch, then split. */
  private encodeBoth(m: Modality, inputs: ModelInputs, drop: DropoutSites): Encoded {
    const mod = this.mods[m];
    const U = mod.align.apply(inputs[m]);
    const Hc = mod.encCom.apply(U, drop);
    const Hs = mod.encSpec.apply(U, drop);
    if (inputs[m].branches === 1) return { U1: U, U1t: U, Hcom: Hc, Hspec: Hs, Hcom_t: Hc, Hspec_t: Hs };
    // pick, not tf.split: Split/Slice copy their whole input through JS on WASM
    const [U1t, U1] = [pick(U, 0, 2), pick(U, 1, 2)];
    const [Hcom_t, Hcom] = [pick(Hc, 0, 2), pick(Hc, 1, 2)];
    const [Hspec_t, Hspec] = [pick(Hs, 0, 2), pick(Hs, 1, 2)];
    return { U1, U1t, Hcom, Hspec, Hcom_t, Hspec_t };
  }

  /** Restoration, fusion and head from the corrupted branch's features (spec 3-9 but the bootstrap head). */
  private decode(enc: PerModality<CorruptedFeatures>, drop: DropoutSites, withUre = true, memo?: DecodeMemo): DecodedOutputs {
    const per = perModality((m) => this.restore(m, enc, drop, withUre, memo));
    const h_com = this.fuseCommon(per, drop);
    const h_spec = this.fuseSpecific(per, drop, memo);
    const b = h_com.shape[0];
    const y_hat = tf.reshape(this.head.applyJoined<tf.Tensor2D>([h_com, h_spec]), [b]) as tf.Tensor1D;
    return { perModality: per, h_com, h_spec, y_hat };
  }

  /** Restoration decoder, reconstruction and gates of modality m (spec 3-5). */
  private restore(m: Modality, enc: PerModality<CorruptedFeatures>, drop: DropoutSites, withUre: boolean, memo?: DecodeMemo): RestoredOutputs {
    const mod = this.mods[m];
    const own = enc[m];
    const [o1, o2] = others(m);
    // concatenations on the feature axis are taken by the layers' joined inputs (no tape concat/split)
    const Ure = withUre ? mod.decRe.applyJoined([enc[o1].Hcom_t, enc[o2].Hcom_t, own.Hspec_t]) : undefined;
    const Hhat_com = mod.recBlock.apply(mod.recProj.applyJoined(MODALITY_ORDER.map((n) => enc[n].Hcom_t)), drop);
    // g * Hhat + (1 - g) * H~ = H~ + g * (Hhat - H~)
    const fuse = (g: tf.Tensor3D, hat: tf.Tensor3D, h: tf.Tensor3D): tf.Tensor3D => tf.add(h, tf.mul(g, tf.sub(hat, h)));
    // the specific side depends on this modality's H~spec alone
    const specific = (): [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D] => {
      const hat = mod.recSpec.apply(own.Hspec_t, drop);
      const g = tf.sigmoid(mod.gateSpec.applyJoined([hat, own.Hspec_t])) as tf.Tensor3D;
      return [hat, g, fuse(g, hat, own.Hspec_t)];
    };
    const [Hhat_spec, gate_spec, Hspec_fused] = memo ? memo.take(`spec.${m}:${own.Hspec_t.id}`, specific) : specific();
    const Uhat1 = mod.decRec.applyJoined([Hhat_com, Hhat_spec]);
    const gate_com = tf.sigmoid(mod.gateCom.applyJoined([Hhat_com, own.Hcom_t])) as tf.Tensor3D;
    const Hcom_fused = fuse(gate_com, Hhat_com, own.Hcom_t);
    return { ...own, Ure, Hhat_com, Hhat_spec, Uhat1, gate_com, gate_spec, Hcom_fused, Hspec_fused };
  }

  /** fuse_com: two shared blocks over the three modalities stacked on the batch axis -> [B, 3d]. */
  private fuseCommon(per: PerModality<RestoredOutputs>, drop: DropoutSites): tf.Tensor2D {
    const x = stack0(MODALITY_ORDER.map((m) => per[m].Hcom_fused));
    const last = this.fuseCom[1].apply(this.fuseCom[0].apply(x, drop), drop, true);
    const [b3, , d] = last.shape;
    const b = b3 / 3;
    return tf.reshape(tf.transpose(tf.reshape(last, [3, b, d]), [1, 0, 2]), [b, 3 * d]);
  }

  /** fuse_spec: six cross-modal blocks src -> dst, last position -> [B, 6d] in dst order l, a, v. */
  private fuseSpecific(per: PerModality<RestoredOutputs>, drop: DropoutSites, memo?: DecodeMemo): tf.Tensor2D {
    const parts: tf.Tensor3D[] = [];
    for (const dst of MODALITY_ORDER) {
      for (const src of others(dst)) {
        const block = this.fuseSpec.get(`${src}_${dst}`) as CrossModalBlock;
        const [q, kv] = [per[dst].Hspec_fused, per[src].Hspec_fused];
        const run = (): [tf.Tensor3D] => [block.apply(q, kv, drop, true)];
        parts.push((memo ? memo.take(`fuse_spec.${src}_${dst}:${q.id}:${kv.id}`, run) : run())[0]);
      }
    }
    const [b, , d] = parts[0].shape;
    return tf.reshape(tf.transpose(tf.reshape(stack0(parts), [parts.length, b, d]), [1, 0, 2]), [b, parts.length * d]);
  }
}
