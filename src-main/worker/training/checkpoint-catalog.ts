/**
 * The checkpoints the studio knows: every run in the runs folder, the demo model and the
 * workbench's open checkpoint, each described from its header and the files beside it (run
 * record, resume sidecar, saved sweep); and opening one in the workbench.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import type { DatasetOverview } from '#contract/api';
import type { Dataset } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { CheckpointEntry, CheckpointList } from '#contract/training-methods';
import type { ModelConfig } from '#contract/model';
import { DarError, toErrorInfo } from '../../engine/errors';
import type { WorkbenchView } from '../workbench/workbench-state';
import type { TrainingService } from './training-service';
import { checkpointParams, noParams } from './training-params';
import { readCheckpointHeader, readRobustnessRecord, readRunRecord, readSidecarHeader } from './checkpoint-sidecars';

/** How deep below the runs folder checkpoints are looked for (runs/<dataset>/<experiment>/x). */
const SCAN_DEPTH = 3;

/** Checkpoint files (not sidecars, not temp files) under `dir`, up to `depth` folders down. */
export async function findCheckpoints(dir: string, depth = SCAN_DEPTH): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = join(dir, e.name);
    if (e.isDirectory() && depth > 0) out.push(...(await findCheckpoints(full, depth - 1)));
    else if (e.isFile() && e.name.endsWith('.safetensors') && !e.name.endsWith('.resume.safetensors')) out.push(full);
  }
  return out;
}

/** True when a dataset has the dims and lengths a model was built for. */
export function fits(config: ModelConfig, dataset: Dataset): boolean {
  return MODALITIES.every((m) => config.inputDims[m] === dataset.info.dims[m] && config.seqLen[m] === dataset.info.seqLen[m]);
}

/** What the catalog needs from the worker around it. */
export interface CatalogDeps {
  workbench: WorkbenchView;
  /** Opens a dataset with a checkpoint in the workbench. */
  openInWorkbench(params: { path: string; checkpoint: string }): Promise<DatasetOverview>;
  /** Where the demo model is kept (listed when it exists). */
  demoModel: string;
  training: Pick<TrainingService, 'runsRoot' | 'home' | 'runningCheckpoint'>;
}

/** Lists and opens checkpoints. */
export class CheckpointCatalog {
  constructor(private readonly deps: CatalogDeps) {}

  /** Every known checkpoint, newest first. */
  async listCheckpoints(params: unknown): Promise<CheckpointList> {
    noParams(params);
    const { dataset, checkpoint } = await this.deps.workbench.open();
    const sources = new Map<string, CheckpointEntry['source']>();
    for (const path of await findCheckpoints(this.deps.training.runsRoot)) sources.set(path, 'run');
    const demo = this.deps.demoModel;
    if (existsSync(demo)) sources.set(demo, 'demo');
    if (checkpoint && !sources.has(checkpoint.path)) sources.set(checkpoint.path, 'open');
    const unreadable: CheckpointList['unreadable'] = [];
    const entries = await Promise.all(
      [...sources].map(([path, source]) =>
        this.describe(path, source, dataset, checkpoint?.path ?? null).catch((err: unknown) => {
          unreadable.push({ path, error: toErrorInfo(err) });
          return null;
        }),
      ),
    );
    const checkpoints = entries.filter((e): e is CheckpointEntry => e !== null);
    checkpoints.sort((a, b) => (a.createdAt === b.createdAt ? a.path.localeCompare(b.path) : a.createdAt < b.createdAt ? 1 : -1));
    unreadable.sort((a, b) => a.path.localeCompare(b.path));
    return { runsRoot: this.deps.training.runsRoot, checkpoints, unreadable };
  }

  private async describe(path: string, source: CheckpointEntry['source'], dataset: Dataset, openPath: string | null): Promise<CheckpointEntry> {
    const [header, info, record, sidecar, robustness] = await Promise.all([
      readCheckpointHeader(path),
      stat(path),
      readRunRecord(path),
      readSidecarHeader(path).catch(() => null),
      readRobustnessRecord(path, this.deps.training.home).catch(() => null),
    ]);
    // The checkpoint's history stops at its selected epoch; the run's files know every epoch.
    const history = [header.history, sidecar?.history ?? [], record?.history ?? []].reduce((a, b) => (b.length > a.length ? b : a));
    const selected = history[header.selectedEpoch];
    const running = this.deps.training.runningCheckpoint() === path;
    return {
      path,
      name: basename(path),
      source,
      dataset: { ...header.dataset, path: record?.data ?? null },
      preset: record?.preset ?? null,
      modelKind: header.modelKind,
      model: header.config,
      train: header.train,
      selectedEpoch: header.selectedEpoch,
      selected: selected ? { valid: selected.valid, metrics: selected.validMetrics } : null,
      history,
      backend: header.backend,
      createdAt: header.createdAt || info.mtime.toISOString(),
      bytes: info.size,
      open: path === openPath,
      fitsOpenDataset: fits(header.config, dataset),
      running,
      resumable: sidecar && !running ? { epoch: sidecar.epoch, epochs: sidecar.train.epochs } : null,
      jobId: record?.jobId ?? null,
      robustness,
    };
  }

  /**
   * Makes a checkpoint the workbench's model: on `dataset` when given, else on the open dataset
   * when it fits, else on the dataset its run trained on. A mismatch is refused before anything
   * changes, so the workbench keeps its current model.
   */
  async openCheckpoint(params: unknown): Promise<DatasetOverview> {
    const p = checkpointParams(params, 'path');
    const path = resolve(p.path);
    const header = await readCheckpointHeader(path);
    let data = p.dataset !== undefined ? resolve(p.dataset) : undefined;
    if (data === undefined) {
      const { dataset } = await this.deps.workbench.open();
      const record = fits(header.config, dataset) ? null : await readRunRecord(path);
      if (fits(header.config, dataset)) data = dataset.info.path;
      else if (record) data = record.data;
      else throw new DarError('CHECKPOINT_MISMATCH', `${path} was trained on ${header.dataset.name}, whose dims or lengths differ from the open dataset ${dataset.info.name}; open that dataset with it`);
    }
    return this.deps.openInWorkbench({ path: data, checkpoint: path });
  }
}
