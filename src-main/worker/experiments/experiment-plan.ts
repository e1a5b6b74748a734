/**
 * The experiment sets one click queues: the paper's Table 1 (DAR and the baselines, each under
 * the same masking), Table 2 (DAR and its ablations) and Table 3 (the training missing rate k
 * from 0, the "no missing-data training" baseline, to 0.5). One job per variant and training
 * seed; each trains, then runs the robustness sweep.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SplitName } from '#contract/dataset';
import type { PresetName } from '#contract/worker-protocol';
import type { ExperimentJob, ExperimentKind, ModelHyper } from '#contract/training-methods';
import type { Ablation, ModelKind, TrainConfig, TrainMode } from '#contract/model';
import { availableModelKinds } from '../../engine/model/registry';
import { validateTrainConfig } from '../../engine/train/config';
import { fileTimestamp, folderName } from '../studio-home';

/** One variant of an experiment set. */
export interface Variant {
  key: string;
  label: string;
  /** Replaces the base config's ablations (ablation set) or its k (k sweep). */
  ablations?: Ablation[];
  k?: number;
  /** Table 1: the model this variant trains, and its training mode. */
  modelKind?: ModelKind;
  mode?: TrainMode;
}

/** Table 1's rows are named as the paper names the models. */
const MODEL_WORDS: Record<ModelKind, string> = { dar: 'DAR', misa: 'MISA', 'self-mm': 'Self-MM', lnln: 'LNLN' };

/** Table 1: every model this engine trains (DAR first), under each mode (one mode: key = the kind). */
export function modelVariants(modes: readonly TrainMode[]): Variant[] {
  return availableModelKinds().flatMap((kind) =>
    modes.map((mode) => ({
      key: modes.length > 1 ? `${kind}-${mode}` : kind,
      label: modes.length > 1 ? `${MODEL_WORDS[kind]} (${mode})` : MODEL_WORDS[kind],
      ablations: [],
      modelKind: kind,
      mode,
    })),
  );
}

/** Table 2: the full model, then each loss term dropped. */
export const ABLATION_SET: readonly Variant[] = [
  { key: 'full', label: 'full DAR', ablations: [] },
  { key: 'no_sim', label: 'w/o L_sim', ablations: ['no_sim'] },
  { key: 'no_diff', label: 'w/o L_diff', ablations: ['no_diff'] },
  { key: 'no_sim_diff', label: 'w/o L_sim and L_diff', ablations: ['no_sim_diff'] },
  { key: 'no_recon', label: 'w/o L_recon', ablations: ['no_recon'] },
  { key: 'no_boot', label: 'w/o bootstrap loss', ablations: ['no_boot'] },
];

/** Table 3's training missing rates (the same k for every modality). */
export const K_SWEEP: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5];

/** The variants of an experiment set (Table 1's modes: the base config's mode when none are given). */
export function variants(kind: ExperimentKind, modes: readonly TrainMode[] = []): readonly Variant[] {
  if (kind === 'models') return modelVariants(modes);
  if (kind === 'ablations') return ABLATION_SET;
  return K_SWEEP.map((k) => ({ key: `k${k}`, label: k === 0 ? 'k = 0 (no missing-data training)' : `k = ${k}`, k }));
}

/** What every job of one click shares. */
export interface PlanBase {
  kind: ExperimentKind;
  dataset: string;
  datasetName: string;
  preset: PresetName | null;
  model: Partial<ModelHyper>;
  /** The resolved training config (preset, overrides, epochs) the variants start from. */
  train: TrainConfig;
  seeds: number[];
  /** Table 1's training modes [train.mode]. */
  modes?: TrainMode[];
  evalSeeds: number[];
  split: SplitName;
  runsRoot: string;
}

/** A fresh experiment id (and its folder name), e.g. 2024-06-07T14-03-09-ablations. */
export function experimentId(base: PlanBase, date: Date): string {
  const dir = join(base.runsRoot, folderName(base.datasetName));
  const stem = `${fileTimestamp(date)}-${base.kind}`;
  for (let i = 1; ; i++) {
    const id = i === 1 ? stem : `${stem}-${i}`;
    if (!existsSync(join(dir, id))) return id;
  }
}

/** The jobs of one click, pending, in the order they will run (variant, then seed). */
export function planJobs(base: PlanBase, date = new Date()): ExperimentJob[] {
  const experiment = experimentId(base, date);
  const dir = join(base.runsRoot, folderName(base.datasetName), experiment);
  const createdAt = date.toISOString();
  return variants(base.kind, base.modes ?? [base.train.mode]).flatMap((v) =>
    base.seeds.map((seed): ExperimentJob => {
      const train: TrainConfig = {
        ...base.train, seed, ...(v.ablations ? { ablations: v.ablations } : {}), ...(v.k !== undefined ? { k: { l: v.k, a: v.k, v: v.k } } : {}), ...(v.mode ? { mode: v.mode } : {}),
      };
      validateTrainConfig(train);
      const name = `${v.key}-s${seed}`;
      return {
        id: `${experiment}:${name}`,
        experiment,
        kind: base.kind,
        variant: v.key,
        ...(v.modelKind ? { modelKind: v.modelKind } : {}),
        label: base.seeds.length > 1 ? `${v.label} (seed ${seed})` : v.label,
        dataset: base.dataset,
        datasetName: base.datasetName,
        preset: base.preset,
        // DAR's hyperparameters from the form; a baseline trains at its own (MMSA's) defaults.
        model: !v.modelKind || v.modelKind === 'dar' ? base.model : {},
        train,
        split: base.split,
        evalSeeds: base.evalSeeds,
        checkpoint: join(dir, `${name}.safetensors`),
        state: 'pending',
        createdAt,
        startedAt: null,
        finishedAt: null,
        training: null,
        report: null,
        error: null,
      };
    }),
  );
}
