/**
 * The robustness view's backend: the paper's sweep through exactly the engine path `dar eval`
 * takes (EngineService.evaluate), saved beside its first checkpoint (in the studio home when that
 * folder is read-only), and exports of a report as CSV or Markdown for the renderer to save.
 */
import { existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ExportedText, RobustnessRecord } from '#contract/training-methods';
import type { SplitName } from '#contract/dataset';
import { DarError } from '../../engine/errors';
import { robustnessCsv, robustnessMarkdown } from '../../engine/eval/report-export';
import type { EngineService, EvaluateOptions } from '../engine-service';
import type { TrainingService } from '../training/training-service';
import { exportParams, robustnessParams } from '../training/training-params';
import { readRobustnessRecord, writeRobustnessRecord } from '../training/checkpoint-sidecars';

/** One sweep, resolved. */
export interface SweepSpec {
  checkpoints: string[];
  dataset: string;
  split: SplitName;
  seeds?: number[];
}

/** Runs sweeps and exports reports. */
export class RobustnessService {
  constructor(
    private readonly engine: EngineService,
    private readonly training: TrainingService,
  ) {}

  /** The sweep of one or more checkpoints (averaged) on the open or a named dataset; saved and returned. */
  async runRobustness(params: unknown): Promise<RobustnessRecord> {
    const p = robustnessParams(params);
    const checkpoints = p.checkpoints.map((c) => resolve(c));
    for (const c of checkpoints) if (!existsSync(c)) throw new DarError('FILE_NOT_FOUND', `checkpoint: no such file ${c}`);
    const { path } = await this.training.dataset(p.dataset);
    return this.sweep({ checkpoints, dataset: path, split: p.split ?? 'test', seeds: p.seeds });
  }

  /** Runs a resolved sweep and saves it beside its first checkpoint, or in the studio home. */
  async sweep(spec: SweepSpec, options: EvaluateOptions = {}): Promise<RobustnessRecord> {
    const report = await this.engine.evaluate({ checkpoints: spec.checkpoints, data: spec.dataset, split: spec.split, seeds: spec.seeds }, options);
    const record: RobustnessRecord = {
      format: 'dar-robustness/1',
      checkpoints: spec.checkpoints,
      dataset: spec.dataset,
      split: spec.split,
      seeds: report.meta.seeds,
      createdAt: new Date().toISOString(),
      report,
    };
    await writeRobustnessRecord(record, this.training.home);
    return record;
  }

  /** A report (given, or saved beside a checkpoint) as CSV or Markdown text. */
  async exportRobustness(params: unknown): Promise<ExportedText> {
    const p = exportParams(params);
    let report = p.report;
    let stem = 'robustness';
    if (p.checkpoint !== undefined) {
      const file = resolve(p.checkpoint);
      const record = await readRobustnessRecord(file, this.training.home);
      if (!record) throw new DarError('FILE_NOT_FOUND', `${file}: no robustness report saved for it (run the sweep first)`);
      report = record.report;
      stem = `${basename(file).replace(/\.safetensors$/, '')}.robustness`;
    }
    if (p.format === 'csv') return { text: robustnessCsv(report!), fileName: `${stem}.csv`, mimeType: 'text/csv' };
    return { text: robustnessMarkdown(report!), fileName: `${stem}.md`, mimeType: 'text/markdown' };
  }
}
