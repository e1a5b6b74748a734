/**
 * Annotations as an MMSA-style label.csv: video_id, clip_id, text, label, mode (filled from the
 * dataset when the caller gives it), then tags (';'-joined) and notes. Probes do not fit a
 * table; they travel in the JSON export only.
 */
import type { AnnotationClipContext, ClipAnnotation } from '#contract/annotations';
import { DarError } from '../errors';
import type { CsvRecord } from '../data/feature-files/csv';
import { formatCsvRow, parseCsvRecords } from '../data/feature-files/csv';
import type { ImportRow } from './import-plan';
import { checkUniqueClips } from './import-plan';
import { ID_SEPARATOR, checkClipId, checkLabel, checkNotes, checkTag } from './validate';

/** The export's columns, in order. */
export const CSV_COLUMNS = ['video_id', 'clip_id', 'text', 'label', 'mode', 'tags', 'notes'] as const;

/** Columns an import reads the annotation from; at least one must be present. */
const ANNOTATION_COLUMNS = ['label', 'tags', 'notes'] as const;

function splitId(clipId: string): [string, string] {
  const cut = clipId.indexOf(ID_SEPARATOR);
  return [clipId.slice(0, cut), clipId.slice(cut + ID_SEPARATOR.length)];
}

/**
 * The CSV text: one row per clip of `context` (the dataset's clips, in its order) when given,
 * then every other annotated clip; only annotated clips without a context.
 */
export function formatAnnotationsCsv(clips: readonly ClipAnnotation[], context: readonly AnnotationClipContext[] = []): string {
  const byId = new Map(clips.map((c) => [c.clipId, c]));
  const known = new Map(context.map((c) => [c.clipId, c]));
  const ids = [...known.keys(), ...clips.map((c) => c.clipId).filter((id) => !known.has(id))];
  const lines = [formatCsvRow(CSV_COLUMNS)];
  for (const id of ids) {
    const a = byId.get(id);
    const ctx = known.get(id);
    const [videoId, clipId] = splitId(id);
    const label = a?.label === null || a?.label === undefined ? '' : String(a.label);
    lines.push(formatCsvRow([videoId, clipId, ctx?.text ?? '', label, ctx?.mode ?? '', a?.tags.join(';') ?? '', a?.notes ?? '']));
  }
  return lines.join('\n') + '\n';
}

function invalid(name: string, line: number, why: string): DarError {
  return new DarError('ANNOTATIONS_INVALID', `${name}: line ${line}: ${why}`);
}

/**
 * Parses and checks an annotations CSV (header required, column order free, extra columns such
 * as text and mode ignored). An empty label cell clears the label; a missing column leaves that
 * field as it is. Every problem is ANNOTATIONS_INVALID naming the line.
 */
export function parseAnnotationsCsv(text: string, name: string): ImportRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text, name);
  } catch (err) {
    if (err instanceof DarError) throw new DarError('ANNOTATIONS_INVALID', err.message);
    throw err;
  }
  if (records.length === 0) throw new DarError('ANNOTATIONS_INVALID', `${name}: empty, expected a header with video_id, clip_id and label, tags or notes`);
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const col = (c: string): number => header.indexOf(c);
  const missing = ['video_id', 'clip_id'].filter((c) => col(c) < 0);
  if (missing.length > 0) throw invalid(name, records[0].line, `missing column(s) ${missing.join(', ')}; header has ${header.join(', ')}`);
  if (!ANNOTATION_COLUMNS.some((c) => col(c) >= 0)) throw invalid(name, records[0].line, `no label, tags or notes column: nothing to import`);
  const rows = records.slice(1).map((r) => parseRow(r, header, name));
  checkUniqueClips(rows, name);
  return rows;
}

function parseRow(r: CsvRecord, header: readonly string[], name: string): ImportRow {
  const at = (why: string): DarError => invalid(name, r.line, why);
  if (r.fields.length !== header.length) throw at(`expected ${header.length} fields (as the header), got ${r.fields.length}`);
  const cell = (c: string): string | undefined => (header.includes(c) ? r.fields[header.indexOf(c)] : undefined);
  try {
    const row: ImportRow = { clipId: checkClipId(`${cell('video_id')?.trim()}${ID_SEPARATOR}${cell('clip_id')?.trim()}`, 'video_id, clip_id'), where: `line ${r.line}` };
    const label = cell('label')?.trim();
    if (label !== undefined) row.label = label === '' ? null : checkLabel(Number(label), `label '${label}'`);
    const tags = cell('tags');
    if (tags !== undefined) row.tags = [...new Set(tags.split(';').filter((t) => t.trim() !== '').map((t) => checkTag(t)))].sort();
    const notes = cell('notes');
    if (notes !== undefined) row.notes = checkNotes(notes);
    return row;
  } catch (err) {
    // The validators name the field; the line is what the user needs to find it.
    if (err instanceof DarError) throw at(err.message);
    throw err;
  }
}
