/**
 * The feature-space view's backend: time-averaged complete common and specific features of up
 * to 2,000 clips of the open dataset, projected to 2-D (PCA or UMAP), with the decoupling
 * scores. The open model is leased while its features are read (see WorkbenchView.lease).
 */
import { resolve } from 'node:path';
import type { PerModality, SeqTensor, SplitData } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { BackendInfo } from '#contract/worker-protocol';
import type { FeatureProjection, FeatureProjectionParams } from '#contract/training-methods';
import { checkDatasetMatches, loadModel } from '../../engine/checkpoint/model-checkpoint';
import type { CheckpointMeta } from '../../engine/checkpoint/model-checkpoint';
import { applyNormaliser } from '../../engine/data/normaliser';
import type { Normaliser } from '../../engine/data/normaliser';
import { DarError } from '../../engine/errors';
import { pca2 } from '../../engine/projection/projection';
import { timeAveragedFeatures } from '../../engine/projection/features';
import type { ClipFeatures } from '../../engine/projection/features';
import { decouplingScores, evenIndices } from '../../engine/projection/scores';
import { umap2 } from '../../engine/projection/umap';
import type { DarModel } from '../../engine/model/dar-model';
import { darModelOf } from '../../engine/model/dar-definition';
import type { SentimentModel } from '../../engine/model/sentiment-model';
import type { WorkbenchView } from '../workbench/workbench-state';
import { projectionParams } from '../training/training-params';

/** UMAP (umap-js) on the worker's thread costs ~16-19 s of CPU at this many points on a 2-core laptop (bench/umap-bench.ts). */
export const UMAP_MAX_POINTS = 6000;
/** Clips normalised and run at once (a MOSEI clip's acoustic frames alone are ~150 KB). */
const CHUNK = 64;

function pickTensor(x: SeqTensor, indices: readonly number[]): SeqTensor {
  const size = x.t * x.d;
  const data = new Float32Array(indices.length * size);
  indices.forEach((c, i) => data.set(x.data.subarray(c * size, (c + 1) * size), i * size));
  return { data, n: indices.length, t: x.t, d: x.d };
}

/** Clips `indices` of a split as a compact split of their own (copies of just those clips). */
export function pickClips(split: SplitData, indices: readonly number[]): SplitData {
  const lengths = {} as PerModality<Int32Array>;
  for (const m of MODALITIES) lengths[m] = Int32Array.from(indices, (c) => split.lengths[m][c]);
  return {
    n: indices.length,
    ids: indices.map((c) => split.ids[c]),
    labels: Float32Array.from(indices, (c) => split.labels[c]),
    rawText: indices.map((c) => split.rawText[c]),
    l: pickTensor(split.l, indices),
    a: pickTensor(split.a, indices),
    v: pickTensor(split.v, indices),
    lengths,
  };
}

/** Features of the clips `indices`, a chunk at a time. */
async function extract(model: DarModel, norm: Normaliser, split: SplitData, indices: readonly number[]): Promise<ClipFeatures> {
  const { d } = model.config;
  const n = indices.length;
  const alloc = (): PerModality<Float32Array> => ({ l: new Float32Array(n * d), a: new Float32Array(n * d), v: new Float32Array(n * d) });
  const out: ClipFeatures = { n, d, common: alloc(), specific: alloc() };
  for (let start = 0; start < n; start += CHUNK) {
    const chunk = indices.slice(start, start + CHUNK);
    const f = await timeAveragedFeatures(model, applyNormaliser(pickClips(split, chunk), norm), chunk.map((_, i) => i));
    for (const m of MODALITIES) {
      out.common[m].set(f.common[m], start * d);
      out.specific[m].set(f.specific[m], start * d);
    }
  }
  return out;
}

/** The point matrix in the contract's order (kind -> modality -> clip) and its per-point fields. */
function points(f: ClipFeatures, kinds: readonly (0 | 1)[], split: SplitData, indices: readonly number[]) {
  const { n, d } = f;
  const total = kinds.length * 3 * n;
  const data = new Float32Array(total * d);
  const modality = new Uint8Array(total);
  const kind = new Uint8Array(total);
  const clip = new Int32Array(total);
  const label = new Float32Array(total);
  let p = 0;
  for (const k of kinds) {
    MODALITIES.forEach((m, mi) => {
      data.set((k === 0 ? f.common : f.specific)[m], p * d);
      for (let i = 0; i < n; i++, p++) {
        modality[p] = mi;
        kind[p] = k;
        clip[p] = indices[i];
        label[p] = split.labels[indices[i]];
      }
    });
  }
  return { data, total, modality, kind, clip, label };
}

/** Extracts, projects and scores the features of one model on one split. */
async function project(use: { model: DarModel; meta: CheckpointMeta }, split: SplitData, p: FeatureProjectionParams, checkpoint: string): Promise<FeatureProjection> {
  const indices = evenIndices(split.n, p.maxClips ?? 300);
  const f = await extract(use.model, use.meta.normaliser, split, indices);
  const pts = points(f, p.features === 'common' ? [0] : p.features === 'specific' ? [1] : [0, 1], split, indices);
  const pca = p.method === 'pca' ? pca2(pts.data, pts.total, f.d) : null;
  const xy = pca ?? umap2(pts.data, pts.total, f.d);
  return {
    checkpoint,
    split: p.split,
    method: p.method,
    features: p.features,
    x: xy.x,
    y: xy.y,
    modality: pts.modality,
    kind: pts.kind,
    clip: pts.clip,
    label: pts.label,
    clips: Int32Array.from(indices),
    clipIds: indices.map((i) => split.ids[i]),
    explained: pca ? pca.explained : null,
    scores: decouplingScores(f.common, f.specific, f.n, f.d),
  };
}

/** Computes feature projections for the open dataset. */
export class FeatureSpaceService {
  constructor(
    private readonly workbench: WorkbenchView,
    private readonly ready: () => Promise<BackendInfo>,
  ) {}

  /** The 2-D map and decoupling scores (see FeatureProjection in contract/training-methods.ts). */
  async featureProjection(params: unknown): Promise<FeatureProjection> {
    const p = projectionParams(params);
    const count = p.maxClips! * (p.features === 'both' ? 6 : 3);
    if (p.method === 'umap' && count > UMAP_MAX_POINTS) {
      throw new DarError('ARG_INVALID', `maxClips: UMAP maps at most ${UMAP_MAX_POINTS} points, and ${p.maxClips} clips of ${p.features} features are ${count}; use fewer clips or PCA`);
    }
    await this.workbench.open();
    const wanted = p.checkpoint === undefined ? undefined : resolve(p.checkpoint);
    let own: { model: SentimentModel; meta: CheckpointMeta } | null = null;
    if (wanted !== undefined && wanted !== this.workbench.now()?.checkpoint?.path) {
      await this.ready();
      own = await loadModel(wanted);
    }
    try {
      const { dataset, checkpoint } = this.workbench.now()!;
      const use = own ?? (checkpoint && (wanted === undefined || wanted === checkpoint.path) ? checkpoint : null);
      if (!use) throw new DarError('NO_CHECKPOINT', 'featureProjection needs a model: open a checkpoint or name one');
      checkDatasetMatches(use.meta, dataset);
      const model = darModelOf(use.model, 'the feature space');
      const run = (): Promise<FeatureProjection> => project({ model, meta: use.meta }, dataset.splits[p.split], p, wanted ?? checkpoint!.path);
      // The open model is leased: an open meanwhile frees it only after these awaited reads.
      return await (own ? run() : this.workbench.lease(use.model, run));
    } finally {
      own?.model.dispose();
    }
  }
}
