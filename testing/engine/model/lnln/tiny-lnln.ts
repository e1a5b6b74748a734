/** A tiny LNLN config and batches for its tests and the reference fixture (not used by the product). */
import type { DarConfig } from '#contract/model';
import { lnlnConfigFor } from '../../../../src-main/engine/model/baselines/lnln/lnln-config';
import type { LnlnConfig } from '../../../../src-main/engine/model/baselines/lnln/lnln-config';
import type { ModelBatch } from '../../../../src-main/engine/model/batch';
import { randomBatch } from '../tiny-model';
import type { RandomBatchOptions } from '../tiny-model';

/** d 8, 2 heads of 4, 2 tokens, dims 6/3/4, padded lengths 7/9/11; depths as the public config. */
export function tinyLnlnConfig(over: Partial<LnlnConfig> = {}): LnlnConfig {
  return lnlnConfigFor({ inputDims: { l: 6, a: 3, v: 4 }, seqLen: { l: 7, a: 9, v: 11 } }, { d: 8, heads: 2, dimHead: 4, tokenLen: 2, mlpDim: 8, discHidden: 4, ...over });
}

/** A random batch shaped for `config` (the tiny DAR helper only reads dims and lengths). */
export function lnlnBatch(config: LnlnConfig, size: number, opts: RandomBatchOptions = {}): ModelBatch {
  return randomBatch({ inputDims: config.inputDims, seqLen: config.seqLen } as DarConfig, size, opts);
}
