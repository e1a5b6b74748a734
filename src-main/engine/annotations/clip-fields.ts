/**
 * The annotations of one dataset as fields: a clip's label, notes, each tag (present or not) and
 * each probe (saved or not). Edits, undo, redo and imports all read and write through these
 * four kinds of field, which is what lets one operations log store "value before / after".
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClipAnnotation, Probe } from '#contract/annotations';
import { DarError } from '../errors';
import { checkProbe } from './validate';

/** Which part of a clip's annotation a step changes. */
export type FieldName = 'label' | 'notes' | 'tag' | 'probe';

/** One field: `key` is the tag or probe name ('' for label and notes). */
export interface FieldRef {
  clipId: string;
  field: FieldName;
  key: string;
}

/** A field's value: label number|null, notes string, tag present?, probe or null. */
export type FieldValue = number | string | boolean | Probe | null;

interface ClipRow {
  clip_id: string;
  label: number | null;
  notes: string;
  updated_at: string;
}

interface ProbeRow {
  name: string;
  masks: string;
  masked_prediction: number;
  complete_prediction: number;
  checkpoint_path: string;
  checkpoint_fp: string;
  created_at: string;
}

/** JavaScript's string order (UTF-16 units), not SQLite's byte order, so sorts agree everywhere. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const PROBE_COLUMNS = 'name, masks, masked_prediction, complete_prediction, checkpoint_path, checkpoint_fp, created_at';

/** Prepared reads and writes of one dataset's fields. */
export class ClipFields {
  private readonly s: Record<string, Statement>;

  constructor(
    db: Database,
    readonly dataset: string,
    private readonly file: string,
  ) {
    const q = (sql: string): Statement => db.prepare(sql);
    const clip = 'dataset = ? AND clip_id = ?';
    this.s = {
      clip: q(`SELECT clip_id, label, notes, updated_at FROM clips WHERE ${clip}`),
      clips: q('SELECT clip_id, label, notes, updated_at FROM clips WHERE dataset = ?'),
      tags: q(`SELECT tag FROM tags WHERE ${clip}`),
      hasTag: q(`SELECT 1 FROM tags WHERE ${clip} AND tag = ?`),
      probes: q(`SELECT ${PROBE_COLUMNS} FROM probes WHERE ${clip}`),
      probe: q(`SELECT ${PROBE_COLUMNS} FROM probes WHERE ${clip} AND name = ?`),
      touch: q(`INSERT INTO clips (dataset, clip_id, label, notes, updated_at) VALUES (?, ?, NULL, '', ?)
                ON CONFLICT (dataset, clip_id) DO UPDATE SET updated_at = excluded.updated_at`),
      setLabel: q(`UPDATE clips SET label = ? WHERE ${clip}`),
      setNotes: q(`UPDATE clips SET notes = ? WHERE ${clip}`),
      addTag: q('INSERT OR IGNORE INTO tags (dataset, clip_id, tag) VALUES (?, ?, ?)'),
      removeTag: q(`DELETE FROM tags WHERE ${clip} AND tag = ?`),
      putProbe: q(`INSERT OR REPLACE INTO probes (dataset, clip_id, ${PROBE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      removeProbe: q(`DELETE FROM probes WHERE ${clip} AND name = ?`),
      // A clip with nothing left is removed, so an undone first edit leaves no trace in list().
      prune: q(`DELETE FROM clips WHERE ${clip} AND label IS NULL AND notes = ''
                AND NOT EXISTS (SELECT 1 FROM tags t WHERE t.dataset = clips.dataset AND t.clip_id = clips.clip_id)
                AND NOT EXISTS (SELECT 1 FROM probes p WHERE p.dataset = clips.dataset AND p.clip_id = clips.clip_id)`),
    };
  }

  /** The current value of a field (defaults for a clip never annotated). */
  read(ref: FieldRef): FieldValue {
    const { dataset } = this;
    switch (ref.field) {
      case 'label': return (this.s.clip.get(dataset, ref.clipId) as ClipRow | undefined)?.label ?? null;
      case 'notes': return (this.s.clip.get(dataset, ref.clipId) as ClipRow | undefined)?.notes ?? '';
      case 'tag': return this.s.hasTag.get(dataset, ref.clipId, ref.key) !== undefined;
      case 'probe': {
        const row = this.s.probe.get(dataset, ref.clipId, ref.key) as ProbeRow | undefined;
        return row ? this.probeFromRow(row, ref.clipId) : null;
      }
    }
  }

  /** Sets a field (the caller has validated `value`) and stamps the clip's updated time. */
  write(ref: FieldRef, value: FieldValue, at: string): void {
    const { dataset } = this;
    const { clipId, key } = ref;
    this.s.touch.run(dataset, clipId, at);
    if (ref.field === 'label') this.s.setLabel.run(value as number | null, dataset, clipId);
    else if (ref.field === 'notes') this.s.setNotes.run(value as string, dataset, clipId);
    else if (ref.field === 'tag') {
      if (value === true) this.s.addTag.run(dataset, clipId, key);
      else this.s.removeTag.run(dataset, clipId, key);
    } else if (value === null) this.s.removeProbe.run(dataset, clipId, key);
    else {
      const p = value as Probe;
      const masks = JSON.stringify(p.masks);
      this.s.putProbe.run(dataset, clipId, key, masks, p.predictions.masked, p.predictions.complete, p.checkpoint.path, p.checkpoint.fingerprint, p.createdAt);
    }
    this.s.prune.run(dataset, clipId);
  }

  /** Everything annotated on one clip (an empty annotation when there is none). */
  get(clipId: string): ClipAnnotation {
    const row = this.s.clip.get(this.dataset, clipId) as ClipRow | undefined;
    return row ? this.fromRow(row) : { clipId, label: null, tags: [], notes: '', probes: [], updatedAt: null };
  }

  /** Every annotated clip of the dataset, by clip id. */
  list(): ClipAnnotation[] {
    const rows = (this.s.clips.all(this.dataset) as ClipRow[]).sort((x, y) => compare(x.clip_id, y.clip_id));
    return rows.map((row) => this.fromRow(row));
  }

  /** The fields of a whole annotation, as (field, value) pairs. */
  static fieldsOf(a: ClipAnnotation): [FieldRef, FieldValue][] {
    const { clipId } = a;
    return [
      [{ clipId, field: 'label', key: '' }, a.label],
      [{ clipId, field: 'notes', key: '' }, a.notes],
      ...a.tags.map((tag): [FieldRef, FieldValue] => [{ clipId, field: 'tag', key: tag }, true]),
      ...a.probes.map((p): [FieldRef, FieldValue] => [{ clipId, field: 'probe', key: p.name }, p]),
    ];
  }

  private fromRow(row: ClipRow): ClipAnnotation {
    const clipId = row.clip_id;
    const tags = (this.s.tags.all(this.dataset, clipId) as { tag: string }[]).map((t) => t.tag).sort(compare);
    const probes = (this.s.probes.all(this.dataset, clipId) as ProbeRow[]).sort((x, y) => compare(x.name, y.name));
    return { clipId, label: row.label, tags, notes: row.notes, probes: probes.map((p) => this.probeFromRow(p, clipId)), updatedAt: row.updated_at };
  }

  private probeFromRow(row: ProbeRow, clipId: string): Probe {
    try {
      return checkProbe({
        name: row.name,
        masks: JSON.parse(row.masks),
        predictions: { masked: row.masked_prediction, complete: row.complete_prediction },
        checkpoint: { path: row.checkpoint_path, fingerprint: row.checkpoint_fp },
        createdAt: row.created_at,
      });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new DarError('ANNOTATIONS_CORRUPT', `${this.file}: probe '${row.name}' of clip ${clipId} is unreadable (${why})`);
    }
  }
}
