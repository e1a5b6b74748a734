/**
 * The project's annotations: a SQLite file (better-sqlite3, synchronous; it runs in the engine
 * worker) holding per clip a label, tags, notes and saved probes, plus the operations log that
 * makes undo and redo survive restarts.
 *
 * Durability: WAL journal, synchronous=FULL, one transaction per edit. A commit is in the WAL
 * and fsynced before the call returns, so killing the process (or the power) at any moment
 * loses at most the edit in flight, and the file itself is never left half-written: SQLite
 * ignores a torn WAL tail on the next open. The file is integrity-checked on open.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Database } from 'better-sqlite3';
import type {
  AnnotationClipContext,
  AnnotationEdit,
  ClipAnnotation,
  EditKind,
  EditOutcome,
  ImportOptions,
  ImportReport,
  OpenReport,
  Probe,
  UndoOutcome,
  UndoState,
} from '#contract/annotations';
import { atomicWrite } from '../checkpoint/atomic-write';
import { DarError } from '../errors';
import { formatAnnotationsCsv, parseAnnotationsCsv } from './annotations-csv';
import { formatAnnotationsJson, parseAnnotationsJson } from './annotations-json';
import type { FieldRef, FieldValue } from './clip-fields';
import { ClipFields } from './clip-fields';
import { EditLog } from './edit-log';
import type { ImportRow } from './import-plan';
import { planImport } from './import-plan';
import type { IntegrityCheck } from './open-database';
import { moveAside, openDatabase, sqliteError } from './open-database';
import { SCHEMA_VERSION } from './schema';
import { checkClipId, checkLabel, checkNotes, checkProbe, checkTag } from './validate';

/** Options of {@link AnnotationStore.open}. */
export interface AnnotationStoreOptions {
  /** The dataset the clip ids belong to: its fingerprint (preferred) or path. Default 'default'. */
  dataset?: string;
  /** `quick_check` (default) or the slower full `integrity_check` on open. */
  check?: IntegrityCheck;
  /** Clock for timestamps (tests pin it). */
  now?: () => Date;
}

/** A probe to save; `createdAt` defaults to now. */
export type ProbeInput = Omit<Probe, 'createdAt'> & { createdAt?: string };

/** One project's annotations file, scoped to one dataset. */
export class AnnotationStore {
  private readonly fields: ClipFields;
  private readonly log: EditLog;
  private closed = false;

  private constructor(
    private readonly db: Database,
    readonly report: OpenReport,
    readonly dataset: string,
    private readonly now: () => Date,
  ) {
    this.fields = new ClipFields(db, dataset, report.path);
    this.log = new EditLog(db, this.fields, report.path);
  }

  /** Opens (creating if absent) a store; a corrupt file is ANNOTATIONS_CORRUPT and left untouched. */
  static open(file: string, options: AnnotationStoreOptions = {}): AnnotationStore {
    const opened = openDatabase(file, options.check);
    const { created, fromVersion, journalMode } = opened;
    const report: OpenReport = { path: file, created, fromVersion, version: SCHEMA_VERSION, journalMode };
    return new AnnotationStore(opened.db, report, options.dataset ?? 'default', options.now ?? (() => new Date()));
  }

  /**
   * Opens a store; if the file is corrupt, moves it aside as `<file>.corrupt-<timestamp>`
   * (never deleting or overwriting it) and starts a fresh one. `report.recovered` says so.
   */
  static openOrRecover(file: string, options: AnnotationStoreOptions = {}): AnnotationStore {
    try {
      return AnnotationStore.open(file, options);
    } catch (err) {
      if (!(err instanceof DarError) || err.code !== 'ANNOTATIONS_CORRUPT') throw err;
      const movedTo = moveAside(file, (options.now ?? (() => new Date()))());
      const store = AnnotationStore.open(file, options);
      store.report.recovered = { movedTo, reason: err.message };
      return store;
    }
  }

  /** Everything annotated on one clip (an empty annotation for a clip never annotated). */
  get(clipId: string): ClipAnnotation {
    return this.run(() => this.fields.get(checkClipId(clipId)));
  }

  /** Every annotated clip of the dataset, sorted by clip id. */
  list(): ClipAnnotation[] {
    return this.run(() => this.fields.list());
  }

  /** Sets (or with null clears) the clip's sentiment label on the -3..3 scale. */
  setLabel(clipId: string, label: number | null): EditOutcome {
    return this.edit('setLabel', clipId, (id) => [[{ clipId: id, field: 'label', key: '' }, checkLabel(label)]]);
  }

  /** Adds a tag (trimmed); adding one the clip has is a no-op. */
  addTag(clipId: string, tag: string): EditOutcome {
    return this.edit('addTag', clipId, (id) => [[{ clipId: id, field: 'tag', key: checkTag(tag) }, true]]);
  }

  /** Removes a tag; removing one the clip lacks is a no-op. */
  removeTag(clipId: string, tag: string): EditOutcome {
    return this.edit('removeTag', clipId, (id) => [[{ clipId: id, field: 'tag', key: checkTag(tag) }, false]]);
  }

  /** Replaces the clip's notes. */
  setNotes(clipId: string, notes: string): EditOutcome {
    return this.edit('setNotes', clipId, (id) => [[{ clipId: id, field: 'notes', key: '' }, checkNotes(notes)]]);
  }

  /** Saves a probe, replacing any probe of the same name on this clip. */
  saveProbe(clipId: string, probe: ProbeInput): EditOutcome {
    return this.edit('saveProbe', clipId, (id) => {
      const clean = checkProbe({ ...probe, createdAt: probe.createdAt ?? this.stamp() });
      return [[{ clipId: id, field: 'probe', key: clean.name }, clean]];
    });
  }

  /** Deletes the clip's probe of that name; deleting one that does not exist is a no-op. */
  deleteProbe(clipId: string, name: string): EditOutcome {
    return this.edit('deleteProbe', clipId, (id) => [[{ clipId: id, field: 'probe', key: String(name) }, null]]);
  }

  /** Applies an edit given as data (what crosses the worker boundary). */
  apply(edit: AnnotationEdit): EditOutcome {
    switch (edit.kind) {
      case 'setLabel': return this.setLabel(edit.clipId, edit.label);
      case 'addTag': return this.addTag(edit.clipId, edit.tag);
      case 'removeTag': return this.removeTag(edit.clipId, edit.tag);
      case 'setNotes': return this.setNotes(edit.clipId, edit.notes);
      case 'saveProbe': return this.saveProbe(edit.clipId, edit.probe);
      case 'deleteProbe': return this.deleteProbe(edit.clipId, edit.name);
    }
    throw new DarError('ARG_INVALID', `unknown annotation edit '${String((edit as { kind: unknown }).kind)}'`);
  }

  /** Reverts the latest edit (also one made before a restart); null when there is nothing to undo. */
  undo(): UndoOutcome | null {
    return this.run(() => this.log.undo(this.stamp()));
  }

  /** Re-applies the latest undone edit; null when there is nothing to redo. */
  redo(): UndoOutcome | null {
    return this.run(() => this.log.redo(this.stamp()));
  }

  /** What undo and redo would act on next. */
  undoState(): UndoState {
    return this.run(() => this.log.state());
  }

  /** MMSA-style label.csv text (see formatAnnotationsCsv); `context` fills text and mode. */
  exportCsv(context?: readonly AnnotationClipContext[]): string {
    return formatAnnotationsCsv(this.list(), context);
  }

  /** JSON text of every annotation of the dataset, probes included. */
  exportJson(): string {
    return formatAnnotationsJson(this.dataset, this.list(), this.stamp());
  }

  /** Imports CSV text in one transaction (all or nothing) as one undoable edit. */
  importCsv(text: string, options: ImportOptions & { name?: string } = {}): ImportReport {
    const rows = parseAnnotationsCsv(text, options.name ?? '<annotations.csv>');
    return this.importRows('csv', rows, options.replace ?? false);
  }

  /** Imports a JSON export in one transaction (all or nothing) as one undoable edit. */
  importJson(text: string, options: ImportOptions & { name?: string } = {}): ImportReport {
    const { rows } = parseAnnotationsJson(text, options.name ?? '<annotations.json>');
    return this.importRows('json', rows, options.replace ?? false);
  }

  /** Writes an export atomically; the format follows the extension (.csv, else JSON). */
  async exportToFile(file: string, context?: readonly AnnotationClipContext[]): Promise<void> {
    const text = extname(file).toLowerCase() === '.csv' ? this.exportCsv(context) : this.exportJson();
    await atomicWrite(file, [new TextEncoder().encode(text)]);
  }

  /** Imports a .csv or .json file. */
  async importFromFile(file: string, options: ImportOptions = {}): Promise<ImportReport> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new DarError(code === 'ENOENT' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE', `${file}: ${(err as Error).message}`);
    }
    const csv = extname(file).toLowerCase() === '.csv';
    return csv ? this.importCsv(text, { ...options, name: file }) : this.importJson(text, { ...options, name: file });
  }

  /** Closes the file (SQLite checkpoints the WAL into it); later calls fail with ARG_INVALID. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private importRows(format: ImportReport['format'], rows: readonly ImportRow[], replace: boolean): ImportReport {
    return this.run(() =>
      this.db.transaction((): ImportReport => {
        const outcome = this.log.record('import', null, planImport(this.fields, rows, replace), this.stamp());
        return { format, clips: rows.length, changed: outcome?.clipIds.length ?? 0, edit: outcome?.edit ?? null };
      })(),
    );
  }

  private edit(kind: EditKind, clipId: string, changes: (id: string) => [FieldRef, FieldValue][]): EditOutcome {
    return this.run(() => {
      const id = checkClipId(clipId);
      const planned = changes(id);
      return this.db.transaction((): EditOutcome => {
        const outcome = this.log.record(kind, id, planned, this.stamp());
        return { edit: outcome?.edit ?? null, annotation: this.fields.get(id) };
      })();
    });
  }

  private stamp(): string {
    return this.now().toISOString();
  }

  /** Runs a store operation: refuses a closed store and turns SQLite failures into coded errors. */
  private run<T>(fn: () => T): T {
    if (this.closed) throw new DarError('ARG_INVALID', `${this.report.path}: the annotations store is closed`);
    try {
      return fn();
    } catch (err) {
      throw sqliteError(err, this.report.path);
    }
  }
}
