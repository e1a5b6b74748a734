/**
 * The worker's side of StudioAnnotationMethods: the project file of whichever dataset is open,
 * `<studio home>/projects/<dataset fingerprint>.sqlite` (the fingerprint hashes what the data is,
 * so a moved or re-exported corpus keeps its annotations). The store is synchronous and fsyncs
 * every edit before the call answers; it is reopened when another dataset is opened.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  AnnotationsExport,
  AnnotationsInfo,
  AnnotationSummary,
  AnnotationUndoResult,
  ClipAnnotationView,
  CheckpointRef,
  EditOutcome,
  StudioAnnotationEdit,
  StudioAnnotationMethods,
  StudioImportReport,
} from '#contract/annotations';
import type { ClipRef } from '#contract/api';
import type { Dataset, SplitName } from '#contract/dataset';
import type { EngineWorkerData } from '#contract/worker-protocol';
import { AnnotationStore } from '../../engine/annotations/annotation-store';
import { DarError } from '../../engine/errors';
import { datasetFingerprint } from '../../engine/train/fingerprint';
import type { WorkbenchService } from '../workbench/workbench-service';
import type { WorkbenchView } from '../workbench/workbench-state';
import { annotationEdit, exportParams, importParams } from './annotation-params';
import { clipRef, object } from '../params';
import { folderName, studioHome } from '../studio-home';

const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];

/** The annotations file of a dataset inside a studio home. */
export function projectFile(home: string, fingerprint: string): string {
  return join(home, 'projects', `${fingerprint}.sqlite`);
}

/** What the annotation service needs from the worker around it. */
export interface AnnotationDeps {
  workbench: WorkbenchView;
  /** The workbench's explain, which a probe runs. */
  explain: WorkbenchService['explain'];
  shell: Pick<EngineWorkerData, 'studioHome'>;
  env?: NodeJS.ProcessEnv;
  /** Clock for timestamps (tests pin it). */
  now?: () => Date;
}

interface Project {
  dataset: Dataset;
  key: string;
  store: AnnotationStore;
  /** Clip id -> split and text, for CSV exports and for spotting imported clips the dataset lacks. */
  clips: Map<string, { mode: SplitName; text: string }>;
}

/** The annotation methods over the open dataset's project file; one per worker. */
export class AnnotationsService {
  private project: Project | null = null;
  private readonly checkpointPrints = new Map<string, string>();

  constructor(private readonly deps: AnnotationDeps) {}

  /** The open dataset's project, opening (or reopening, after openDataset) its file as needed. */
  private async current(): Promise<Project> {
    const { dataset } = await this.deps.workbench.open();
    // Synchronous from here on: concurrent calls resume one at a time and see the same project.
    if (this.project?.dataset === dataset) return this.project;
    const key = datasetFingerprint(dataset);
    if (this.project?.key === key) return (this.project = { ...this.project, dataset });
    this.close();
    const file = projectFile(studioHome(this.deps.shell, this.deps.env), key);
    const store = AnnotationStore.openOrRecover(file, { dataset: key, now: this.deps.now });
    this.project = { dataset, key, store, clips: clipIndex(dataset) };
    return this.project;
  }

  private async clip(params: unknown): Promise<{ p: Project; ref: ClipRef; clipId: string }> {
    const p = await this.current();
    const ref = clipRef(params, (split) => p.dataset.splits[split].n);
    return { p, ref, clipId: p.dataset.splits[ref.split].ids[ref.index] };
  }

  /** A clip's annotation and the undo state. */
  async getAnnotation(params: unknown): Promise<ClipAnnotationView> {
    const { p, ref, clipId } = await this.clip(params);
    return { ref, annotation: p.store.get(clipId), history: p.store.undoState() };
  }

  /** Applies one edit to one clip (saved before it answers). */
  async editAnnotation(params: unknown): Promise<ClipAnnotationView> {
    const edit = annotationEdit(object(params).edit);
    const { p, ref, clipId } = await this.clip(params);
    const outcome = edit.kind === 'saveProbe' ? await this.saveProbe(p, ref, clipId, edit) : p.store.apply({ ...edit, clipId });
    return { ref, annotation: outcome.annotation, history: p.store.undoState(), edit: outcome.edit };
  }

  /** Runs the masks on the open model and saves the probe with what it produced. */
  private async saveProbe(p: Project, ref: ClipRef, clipId: string, edit: Extract<StudioAnnotationEdit, { kind: 'saveProbe' }>): Promise<EditOutcome> {
    const before = (await this.deps.workbench.open()).checkpoint;
    if (!before) throw new DarError('NO_CHECKPOINT', 'a probe records what the model predicted: open a checkpoint first');
    const explanation = await this.deps.explain({ ...ref, masks: edit.masks });
    const checkpoint: CheckpointRef = { path: before.path, fingerprint: await this.checkpointPrint(before.path) };
    const now = await this.deps.workbench.open();
    if (now.checkpoint !== before || this.project !== p) {
      throw new DarError('ARG_INVALID', 'the dataset or model changed while the probe ran; save it again');
    }
    const predictions = { masked: explanation.masked.yHat, complete: explanation.complete.yHat };
    return p.store.saveProbe(clipId, { name: edit.name, masks: edit.masks, predictions, checkpoint });
  }

  /** sha256 of the checkpoint file's bytes, cached per path, size and modification time. */
  private async checkpointPrint(path: string): Promise<string> {
    const { size, mtimeMs } = await stat(path);
    const cacheKey = `${path}\n${size}\n${mtimeMs}`;
    let print = this.checkpointPrints.get(cacheKey);
    if (!print) {
      const hash = createHash('sha256');
      for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
      print = `sha256:${hash.digest('hex')}`;
      this.checkpointPrints.set(cacheKey, print);
    }
    return print;
  }

  /** Reverts the project's latest edit. */
  async undoAnnotation(): Promise<AnnotationUndoResult> {
    const { store } = await this.current();
    return { outcome: store.undo(), history: store.undoState() };
  }

  /** Re-applies the latest undone edit. */
  async redoAnnotation(): Promise<AnnotationUndoResult> {
    const { store } = await this.current();
    return { outcome: store.redo(), history: store.undoState() };
  }

  /** Which clips are annotated, for the library. */
  async annotationSummary(): Promise<AnnotationSummary> {
    const { store } = await this.current();
    const clips = store.list().map((a) => ({ clipId: a.clipId, label: a.label, tags: a.tags.length, probes: a.probes.length, hasNotes: a.notes !== '' }));
    return { clips };
  }

  /** The annotations as CSV (annotated clips, dataset order, MMSA columns filled) or JSON. */
  async exportAnnotations(params: unknown): Promise<AnnotationsExport> {
    const { format } = exportParams(params);
    const p = await this.current();
    const annotated = new Set(p.store.list().map((a) => a.clipId));
    const base = folderName(p.dataset.info.name);
    if (format === 'json') return { format, fileName: `${base}-annotations.json`, text: p.store.exportJson(), clips: annotated.size };
    const context = [...p.clips].filter(([id]) => annotated.has(id)).map(([clipId, c]) => ({ clipId, ...c }));
    return { format, fileName: `${base}-annotations.csv`, text: p.store.exportCsv(context), clips: annotated.size };
  }

  /** Imports CSV or JSON text as one undoable edit. */
  async importAnnotations(params: unknown): Promise<StudioImportReport> {
    const { text, format, replace } = importParams(params);
    const p = await this.current();
    const report = format === 'csv' ? p.store.importCsv(text, { replace }) : p.store.importJson(text, { replace });
    const unknownClips = p.store.list().filter((a) => !p.clips.has(a.clipId)).length;
    return { ...report, unknownClips };
  }

  /** The project file and how it opened. */
  async annotationsInfo(): Promise<AnnotationsInfo> {
    const { key, store } = await this.current();
    const open = { ...store.report };
    return { dataset: key, open, integrity: open.recovered ? 'recovered' : 'ok', annotatedClips: store.list().length };
  }

  /** Closes the project file (the next call reopens it). */
  close(): void {
    this.project?.store.close();
    this.project = null;
  }
}

function clipIndex(dataset: Dataset): Project['clips'] {
  const clips: Project['clips'] = new Map();
  for (const mode of SPLITS) {
    const s = dataset.splits[mode];
    s.ids.forEach((id, i) => clips.set(id, { mode, text: s.rawText[i] ?? '' }));
  }
  return clips;
}

/** A handler per method; params arrive unchecked from a page. */
export type AnnotationHandlers = { [M in keyof StudioAnnotationMethods]: (params: never) => Promise<StudioAnnotationMethods[M][1]> };

/** The routing entries of every StudioAnnotationMethod. */
export function annotationHandlers(a: AnnotationsService): AnnotationHandlers {
  return {
    getAnnotation: (p) => a.getAnnotation(p),
    editAnnotation: (p) => a.editAnnotation(p),
    undoAnnotation: () => a.undoAnnotation(),
    redoAnnotation: () => a.redoAnnotation(),
    annotationSummary: () => a.annotationSummary(),
    exportAnnotations: (p) => a.exportAnnotations(p),
    importAnnotations: (p) => a.importAnnotations(p),
    annotationsInfo: () => a.annotationsInfo(),
  };
}
