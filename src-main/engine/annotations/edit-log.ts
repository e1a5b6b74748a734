/**
 * The operations log behind undo and redo. Each edit is a row in `edits` with its steps in
 * `edit_steps`: which field changed and its value before and after (JSON). Undo writes the
 * "before" values back (last step first) and marks the edit undone; redo writes "after" again.
 * A new edit drops the undone ones (the redo branch), as every editor does. Everything lives
 * in the file, so undo survives a restart.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { EditKind, EditSummary, UndoOutcome, UndoState } from '#contract/annotations';
import { DarError } from '../errors';
import type { ClipFields, FieldName, FieldRef, FieldValue } from './clip-fields';
import { checkLabel, checkNotes, checkProbe } from './validate';

/** Edits kept per dataset; older ones can no longer be undone. */
export const MAX_HISTORY = 1000;

interface EditRow {
  id: number;
  kind: EditKind;
  clip_id: string | null;
  at: string;
}

interface StepRow {
  clip_id: string;
  field: FieldName;
  key: string;
  before: string;
  after: string;
}

function summary(row: EditRow): EditSummary {
  return { id: row.id, kind: row.kind, clipId: row.clip_id, at: row.at };
}

/** The operations log of one dataset in one store. */
export class EditLog {
  private readonly s: Record<string, Statement>;

  constructor(
    private readonly db: Database,
    private readonly fields: ClipFields,
    private readonly file: string,
    private readonly maxHistory = MAX_HISTORY,
  ) {
    const q = (sql: string): Statement => db.prepare(sql);
    this.s = {
      dropRedo: q('DELETE FROM edits WHERE dataset = ? AND undone = 1'),
      insert: q('INSERT INTO edits (dataset, kind, clip_id, at) VALUES (?, ?, ?, ?)'),
      step: q('INSERT INTO edit_steps (edit_id, seq, clip_id, field, key, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      trim: q(`DELETE FROM edits WHERE dataset = ? AND id <= (
                 SELECT id FROM edits WHERE dataset = ? ORDER BY id DESC LIMIT 1 OFFSET ?)`),
      lastDone: q('SELECT id, kind, clip_id, at FROM edits WHERE dataset = ? AND undone = 0 ORDER BY id DESC LIMIT 1'),
      firstUndone: q('SELECT id, kind, clip_id, at FROM edits WHERE dataset = ? AND undone = 1 ORDER BY id ASC LIMIT 1'),
      steps: q('SELECT clip_id, field, key, before, after FROM edit_steps WHERE edit_id = ? ORDER BY seq'),
      mark: q('UPDATE edits SET undone = ? WHERE id = ?'),
    };
  }

  /**
   * Applies `changes` in order as one logged edit and returns it with the clips it changed, or
   * null when no field actually changes (nothing is logged then, and the redo branch survives).
   * Run inside a transaction.
   */
  record(kind: EditKind, clipId: string | null, changes: readonly [FieldRef, FieldValue][], at: string): UndoOutcome | null {
    const steps: { ref: FieldRef; before: string; after: string }[] = [];
    for (const [ref, value] of changes) {
      const before = JSON.stringify(this.fields.read(ref));
      const after = JSON.stringify(value);
      if (before === after) continue;
      this.fields.write(ref, value, at);
      steps.push({ ref, before, after });
    }
    if (steps.length === 0) return null;
    const { dataset } = this.fields;
    this.s.dropRedo.run(dataset);
    const id = Number(this.s.insert.run(dataset, kind, clipId, at).lastInsertRowid);
    steps.forEach(({ ref, before, after }, seq) => this.s.step.run(id, seq, ref.clipId, ref.field, ref.key, before, after));
    this.s.trim.run(dataset, dataset, this.maxHistory);
    return { edit: { id, kind, clipId, at }, clipIds: [...new Set(steps.map((s) => s.ref.clipId))] };
  }

  /** Reverts the latest edit not yet undone; null when there is none. */
  undo(at: string): UndoOutcome | null {
    return this.db.transaction(() => {
      const row = this.s.lastDone.get(this.fields.dataset) as EditRow | undefined;
      if (!row) return null;
      const steps = (this.s.steps.all(row.id) as StepRow[]).reverse();
      for (const step of steps) this.fields.write(refOf(step), this.parse(step, step.before, row.id), at);
      this.s.mark.run(1, row.id);
      return { edit: summary(row), clipIds: clipIdsOf(steps) };
    })();
  }

  /** Re-applies the earliest undone edit; null when there is none. */
  redo(at: string): UndoOutcome | null {
    return this.db.transaction(() => {
      const row = this.s.firstUndone.get(this.fields.dataset) as EditRow | undefined;
      if (!row) return null;
      const steps = this.s.steps.all(row.id) as StepRow[];
      for (const step of steps) this.fields.write(refOf(step), this.parse(step, step.after, row.id), at);
      this.s.mark.run(0, row.id);
      return { edit: summary(row), clipIds: clipIdsOf(steps) };
    })();
  }

  /** The edits undo and redo would act on next. */
  state(): UndoState {
    const undo = this.s.lastDone.get(this.fields.dataset) as EditRow | undefined;
    const redo = this.s.firstUndone.get(this.fields.dataset) as EditRow | undefined;
    return { undo: undo ? summary(undo) : null, redo: redo ? summary(redo) : null };
  }

  /** A logged value, checked as strictly as a fresh edit: a damaged log must not write garbage. */
  private parse(step: StepRow, json: string, editId: number): FieldValue {
    try {
      const value: unknown = JSON.parse(json);
      switch (step.field) {
        case 'label': return checkLabel(value);
        case 'notes': return checkNotes(value);
        case 'tag':
          if (typeof value !== 'boolean') throw new Error(`tag step holds ${json}`);
          return value;
        case 'probe': return value === null ? null : checkProbe(value);
      }
      throw new Error(`unknown field '${String(step.field)}'`);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new DarError('ANNOTATIONS_CORRUPT', `${this.file}: edit ${editId} in the operations log is unreadable (${why})`);
    }
  }
}

function refOf(step: StepRow): FieldRef {
  return { clipId: step.clip_id, field: step.field, key: step.key };
}

function clipIdsOf(steps: readonly StepRow[]): string[] {
  return [...new Set(steps.map((s) => s.clip_id))];
}
