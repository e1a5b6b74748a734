/**
 * Inference that explains itself: one clip under a mask beside the same clip complete, with
 * every intermediate the studio draws as typed arrays (clip-explainer.ts computes them).
 */
import type { Modality, PerModality, SplitData } from '#contract/dataset';
import type { ClipExplanation, PredictionExplanation } from '#contract/explain';
import type { DarModel } from '../model/dar-model';
import type { SentimentModel } from '../model/sentiment-model';
import { buildBatch } from '../train/batcher';
import { ClipExplainer } from './clip-explainer';

export { ClipExplainer } from './clip-explainer';

/**
 * Explains clip `index` of a normalised split under `masks` (one [T_m] frame mask per modality,
 * 1 = masked), from scratch. Mask edits of one clip are cheaper through an ExplainCache.
 */
export async function explainClip(model: DarModel, split: SplitData, index: number, masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
  const explainer = new ClipExplainer(model, split, index);
  try {
    return await explainer.explain(masks);
  } finally {
    explainer.dispose();
  }
}

/**
 * The masked and complete predictions of clip `index` for a model without decoupled features
 * (any SentimentModel). Masks as explainClip's.
 */
export async function explainPredictions(model: SentimentModel, split: SplitData, index: number, masks: PerModality<Uint8Array>): Promise<PredictionExplanation> {
  // buildBatch takes one mask per clip of the split; only clip `index`'s is read.
  const rows = (m: Modality): Uint8Array[] => Array.from({ length: split.n }, (_, i) => (i === index ? masks[m] : new Uint8Array(0)));
  const masked = await model.predict(buildBatch(split, [index], { l: rows('l'), a: rows('a'), v: rows('v') }));
  const complete = await model.predict(buildBatch(split, [index]));
  return { id: split.ids[index], label: split.labels[index], features: null, masked: { yHat: masked[0] }, complete: { yHat: complete[0] } };
}

/** Default number of clips whose explainers an ExplainCache keeps. */
export const EXPLAIN_CACHE_CLIPS = 4;

/**
 * The explainers of the most recently explained clips (least recently used evicted), so that a
 * mask edit recomputes only what it changed. Holds tensors: dispose() when done; a different
 * model or split object starts afresh for that clip.
 */
export class ExplainCache {
  private entries: ClipExplainer[] = [];

  constructor(private readonly capacity = EXPLAIN_CACHE_CLIPS) {}

  /** explainClip, reusing the clip's explainer. */
  async explain(model: DarModel, split: SplitData, index: number, masks: PerModality<Uint8Array>): Promise<ClipExplanation> {
    let explainer = this.entries.find((e) => e.model === model && e.split === split && e.index === index);
    if (explainer) this.entries = this.entries.filter((e) => e !== explainer);
    else explainer = new ClipExplainer(model, split, index);
    this.entries.unshift(explainer);
    // Explainers of another model are dropped at once: that model may be disposed by now.
    const keep = this.entries.filter((e, i) => i < this.capacity && e.model === model);
    for (const e of this.entries) if (!keep.includes(e)) e.dispose();
    this.entries = keep;
    try {
      return await explainer.explain(masks);
    } catch (err) {
      this.entries = this.entries.filter((e) => e !== explainer);
      explainer.dispose();
      throw err;
    }
  }

  /** Frees every explainer. */
  dispose(): void {
    for (const e of this.entries) e.dispose();
    this.entries = [];
  }
}
