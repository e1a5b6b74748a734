/**
 * label.csv of an extracted folder. The user labels later, so a new clip gets label 0 and
 * `labelled` = 0 (the loader reads label, mode and ignores extra columns; 0 is in its [-3, 3]).
 * A rerun keeps whatever the user changed (label, mode, text, labelled) for clips already there.
 * Modes: every split gets a clip as soon as there are three, then clips go where the 70/15/15
 * target is furthest behind, in an order fixed by a hash of the id (stable across reruns).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { SplitName } from '#contract/dataset';
import { atomicWrite } from '../checkpoint/atomic-write';
import { formatCsv, parseCsvRecords } from '../data/feature-files/csv';

const HEADER = ['video_id', 'clip_id', 'text', 'label', 'mode', 'labelled'] as const;
const SPLITS: readonly SplitName[] = ['train', 'valid', 'test'];
const TARGET: Record<SplitName, number> = { train: 0.7, valid: 0.15, test: 0.15 };

/** One row as written. */
export interface LabelRow {
  videoId: string;
  clipId: string;
  text: string;
  label: string;
  mode: string;
  labelled: string;
}

/** The rows of an existing label.csv by clip id (empty when there is none or it cannot be read). */
export async function readLabelRows(root: string): Promise<Map<string, LabelRow>> {
  const text = await readFile(path.join(root, 'label.csv'), 'utf8').catch(() => null);
  const rows = new Map<string, LabelRow>();
  if (text === null) return rows;
  const records = parseCsvRecords(text, 'label.csv');
  const header = records[0]?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  const get = (fields: string[], name: string): string => fields[header.indexOf(name)] ?? '';
  for (const { fields } of records.slice(1)) {
    const row: LabelRow = { videoId: get(fields, 'video_id'), clipId: get(fields, 'clip_id'), text: get(fields, 'text'), label: get(fields, 'label') || '0', mode: get(fields, 'mode'), labelled: get(fields, 'labelled') || '1' };
    rows.set(`${row.videoId}$_$${row.clipId}`, row);
  }
  return rows;
}

const hashOf = (id: string): string => createHash('sha256').update(id).digest('hex');

/** Picks the split for the next clip given the counts so far. */
export function nextSplit(counts: Record<SplitName, number>): SplitName {
  const empty = SPLITS.find((s) => counts[s] === 0);
  if (empty) return empty;
  const n = counts.train + counts.valid + counts.test + 1;
  return SPLITS.reduce((best, s) => (TARGET[s] * n - counts[s] > TARGET[best] * n - counts[best] ? s : best));
}

/** The rows for `clips` (id -> transcript text): kept rows as they were, new ones placed and unlabelled. */
export function labelRows(clips: ReadonlyArray<{ id: string; text: string }>, kept: ReadonlyMap<string, LabelRow>): LabelRow[] {
  const counts: Record<SplitName, number> = { train: 0, valid: 0, test: 0 };
  const out = new Map<string, LabelRow>();
  for (const c of clips) {
    const row = kept.get(c.id);
    if (!row || !SPLITS.includes(row.mode as SplitName)) continue;
    out.set(c.id, row);
    counts[row.mode as SplitName]++;
  }
  const fresh = clips.filter((c) => !out.has(c.id)).sort((a, b) => (hashOf(a.id) < hashOf(b.id) ? -1 : 1));
  for (const c of fresh) {
    const mode = nextSplit(counts);
    counts[mode]++;
    const cut = c.id.indexOf('$_$');
    out.set(c.id, { videoId: c.id.slice(0, cut), clipId: c.id.slice(cut + 3), text: c.text, label: '0', mode, labelled: '0' });
  }
  return clips.map((c) => out.get(c.id)).filter((r): r is LabelRow => r !== undefined);
}

/** Writes label.csv atomically. */
export async function writeLabelCsv(root: string, rows: readonly LabelRow[]): Promise<void> {
  const body = rows.map((r) => [r.videoId, r.clipId, r.text, r.label, r.mode, r.labelled]);
  await atomicWrite(path.join(root, 'label.csv'), [Buffer.from(formatCsv([[...HEADER], ...body]))]);
}
