import type { ClipAnnotation, Probe } from '#contract/annotations';
import type { FieldRef, FieldValue } from './clip-fields';
import { ClipFields } from './clip-fields';
import { DarError } from '../errors';

/** One clip of an import file, checked; an absent field is left as the store has it. */
export interface ImportRow {
  clipId: string;
  /** Where the clip is in the file ("line 7", "clips[3] (line 42)"), for messages. */
  where: string;
  label?: number | null;
  tags?: string[];
  notes?: string;
  probes?: Probe[];
}

const EMPTY = (clipId: string): ClipAnnotation => ({ clipId, label: null, tags: [], notes: '', probes: [], updatedAt: null });

/** Refuses a file that names a clip twice: which row should win is the user's call, not ours. */
export function checkUniqueClips(rows: readonly ImportRow[], name: string): void {
  const seen = new Map<string, string>();
  for (const row of rows) {
    const first = seen.get(row.clipId);
    if (first !== undefined) throw new DarError('ANNOTATIONS_INVALID', `${name}: ${row.where}: clip ${row.clipId} repeats ${first}`);
    seen.set(row.clipId, row.where);
  }
}

/**
 * The field changes that turn the store into "file merged in" (or, with `replace`, "only the
 * file"): every field of every clip involved, unchanged ones included (the log skips those).
 */
export function planImport(fields: ClipFields, rows: readonly ImportRow[], replace: boolean): [FieldRef, FieldValue][] {
  const current = new Map(fields.list().map((a) => [a.clipId, a]));
  const target = new Map<string, ClipAnnotation>();
  if (replace) for (const id of current.keys()) target.set(id, EMPTY(id));
  for (const row of rows) {
    const base = target.get(row.clipId) ?? current.get(row.clipId) ?? EMPTY(row.clipId);
    target.set(row.clipId, {
      ...base,
      label: row.label !== undefined ? row.label : base.label,
      tags: row.tags ?? base.tags,
      notes: row.notes ?? base.notes,
      probes: row.probes ?? base.probes,
    });
  }
  const changes: [FieldRef, FieldValue][] = [];
  for (const [clipId, next] of target) {
    const now = current.get(clipId) ?? EMPTY(clipId);
    // Fields the target lacks but the store has must be cleared: list them with "absent" values.
    const cleared: [FieldRef, FieldValue][] = [
      ...now.tags.filter((t) => !next.tags.includes(t)).map((tag): [FieldRef, FieldValue] => [{ clipId, field: 'tag', key: tag }, false]),
      ...now.probes
        .filter((p) => !next.probes.some((q) => q.name === p.name))
        .map((p): [FieldRef, FieldValue] => [{ clipId, field: 'probe', key: p.name }, null]),
    ];
    changes.push(...cleared, ...ClipFields.fieldsOf(next));
  }
  return changes;
}
