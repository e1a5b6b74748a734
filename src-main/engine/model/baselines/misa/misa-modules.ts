/**
 * MISA's layers (MMSA models/singleTask/MISA.py) as ParamStore variables under the dotted names
 * the PyTorch reference exports to. MMSA's sp_discriminator and adversarial discriminator are
 * left out: with use_cmd_sim on (MOSI) no loss reads them, so they would never train.
 */
import type { ParamStore } from '../../params';
import { LayerNorm, Linear } from '../../blocks/linear';
import { LstmWeights } from '../common/packed-lstm';
import type { MisaConfig } from './misa-config';

/** Linear -> ReLU -> LayerNorm: MMSA's project_{t,v,a}. */
export interface Projection {
  linear: Linear;
  norm: LayerNorm;
}

/** The two stacked packed BiLSTMs of an acoustic or visual encoder, with the LayerNorm between them. */
export interface RecurrentEncoder {
  fw1: LstmWeights;
  bw1: LstmWeights;
  fw2: LstmWeights;
  bw2: LstmWeights;
  norm: LayerNorm;
}

/** The fusion transformer layer (PyTorch TransformerEncoderLayer: post-norm, ReLU). */
export interface FusionLayer {
  q: Linear;
  k: Linear;
  v: Linear;
  out: Linear;
  norm1: LayerNorm;
  ff1: Linear;
  ff2: Linear;
  norm2: LayerNorm;
}

/** Every MISA layer. */
export interface MisaModules {
  project: Record<'t' | 'v' | 'a', Projection>;
  rnn: Record<'v' | 'a', RecurrentEncoder>;
  priv: Record<'t' | 'v' | 'a', Linear>;
  shared: Linear;
  recon: Record<'t' | 'v' | 'a', Linear>;
  fusion: FusionLayer;
  head1: Linear;
  head2: Linear;
}

function recurrent(store: ParamStore, m: 'v' | 'a', d: number): RecurrentEncoder {
  // MMSA's hidden_sizes are the input sizes: each encoder is as wide as its features
  return {
    fw1: new LstmWeights(store, `${m}rnn1.fw`, d, d),
    bw1: new LstmWeights(store, `${m}rnn1.bw`, d, d),
    fw2: new LstmWeights(store, `${m}rnn2.fw`, 2 * d, d),
    bw2: new LstmWeights(store, `${m}rnn2.bw`, 2 * d, d),
    norm: new LayerNorm(store, `${m}layer_norm`, 2 * d),
  };
}

/** Builds (or finds) every variable in the store. */
export function buildMisaModules(store: ParamStore, c: MisaConfig): MisaModules {
  const h = c.hidden;
  const proj = (m: string, dIn: number): Projection => ({ linear: new Linear(store, `project_${m}`, dIn, h), norm: new LayerNorm(store, `project_${m}_ln`, h) });
  const lin = (name: string, dIn: number, dOut: number) => new Linear(store, name, dIn, dOut);
  return {
    project: { t: proj('t', c.dimL), v: proj('v', 4 * c.dimV), a: proj('a', 4 * c.dimA) },
    rnn: { v: recurrent(store, 'v', c.dimV), a: recurrent(store, 'a', c.dimA) },
    priv: { t: lin('private_t', h, h), v: lin('private_v', h, h), a: lin('private_a', h, h) },
    shared: lin('shared', h, h),
    recon: { t: lin('recon_t', h, h), v: lin('recon_v', h, h), a: lin('recon_a', h, h) },
    fusion: {
      q: new Linear(store, 'fusion_tf.q', h, h, { init: 'xavier' }),
      k: new Linear(store, 'fusion_tf.k', h, h, { init: 'xavier' }),
      v: new Linear(store, 'fusion_tf.v', h, h, { init: 'xavier' }),
      out: lin('fusion_tf.out', h, h),
      norm1: new LayerNorm(store, 'fusion_tf.norm1', h),
      ff1: lin('fusion_tf.ff1', h, c.ffDim),
      ff2: lin('fusion_tf.ff2', c.ffDim, h),
      norm2: new LayerNorm(store, 'fusion_tf.norm2', h),
    },
    head1: lin('fusion_1', 6 * h, 3 * h),
    head2: lin('fusion_3', 3 * h, 1),
  };
}
