/**
 * Guards for everything that enters the annotations store (edits, imports, rows read back):
 * each returns the clean value or throws ANNOTATIONS_INVALID naming `where` and what was wrong.
 */
import type { ModalityMask } from '#contract/api';
import type { PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import type { CheckpointRef, Probe } from '#contract/annotations';
import { DarError } from '../errors';
import { isRecord } from '../guards';

/** Longest notes text kept (characters); a runaway paste should not bloat the project file. */
export const MAX_NOTES = 100_000;
/** Longest tag, probe name and checkpoint field (characters). */
export const MAX_NAME = 200;
/** Most segments in one modality's mask. */
export const MAX_SEGMENTS = 10_000;


/** The clip-id separator of MMSA ids ("video$_$clip"). */
export const ID_SEPARATOR = '$_$';

function invalid(where: string, why: string): DarError {
  return new DarError('ANNOTATIONS_INVALID', `${where}: ${why}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 40 ? value.slice(0, 40) + '...' : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) return String(value);
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}


/** An MMSA clip id "video$_$clip" with both parts non-empty. */
export function checkClipId(value: unknown, where = 'clip id'): string {
  if (typeof value !== 'string') throw invalid(where, `expected a string "video$_$clip", got ${describe(value)}`);
  const cut = value.indexOf(ID_SEPARATOR);
  if (cut <= 0 || cut + ID_SEPARATOR.length >= value.length || /[\r\n]/.test(value) || value.length > 2 * MAX_NAME) {
    throw invalid(where, `expected an MMSA id "video$_$clip", got ${describe(value)}`);
  }
  return value;
}

/** A label on the -3..3 scale, or null for "not labelled". */
export function checkLabel(value: unknown, where = 'label'): number | null {
  if (value === null) return null;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < -3 || value > 3) {
    throw invalid(where, `expected a number in [-3, 3] or null, got ${describe(value)}`);
  }
  return value === 0 ? 0 : value; // -0 would survive JSON as 0 anyway; keep equality simple
}

/** A tag: trimmed, non-empty, no ';' (the CSV separator) and no line breaks. */
export function checkTag(value: unknown, where = 'tag'): string {
  if (typeof value !== 'string') throw invalid(where, `expected a string, got ${describe(value)}`);
  const tag = value.trim();
  if (tag === '' || tag.length > MAX_NAME || /[;\r\n]/.test(tag)) {
    throw invalid(where, `expected 1..${MAX_NAME} characters without ';' or line breaks, got ${describe(value)}`);
  }
  return tag;
}

/** Tags as a sorted list of distinct checked tags. */
export function checkTags(value: unknown, where = 'tags'): string[] {
  if (!Array.isArray(value)) throw invalid(where, `expected a list of strings, got ${describe(value)}`);
  return [...new Set(value.map((t, i) => checkTag(t, `${where}[${i}]`)))].sort();
}

/** Notes: any text up to MAX_NOTES characters. */
export function checkNotes(value: unknown, where = 'notes'): string {
  if (typeof value !== 'string') throw invalid(where, `expected a string, got ${describe(value)}`);
  if (value.length > MAX_NOTES) throw invalid(where, `${value.length} characters, at most ${MAX_NOTES}`);
  return value;
}

function checkName(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_NAME) {
    throw invalid(where, `expected a non-empty string of at most ${MAX_NAME} characters, got ${describe(value)}`);
  }
  return value;
}

function checkFinite(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw invalid(where, `expected a finite number, got ${describe(value)}`);
  return value;
}

function checkMask(value: unknown, where: string): ModalityMask {
  if (!isRecord(value)) throw invalid(where, `expected {segments, whole}, got ${describe(value)}`);
  if (typeof value.whole !== 'boolean') throw invalid(`${where}.whole`, `expected true or false, got ${describe(value.whole)}`);
  const { segments } = value;
  if (!Array.isArray(segments) || segments.length > MAX_SEGMENTS) {
    throw invalid(`${where}.segments`, `expected a list of at most ${MAX_SEGMENTS} {start, end}, got ${describe(segments)}`);
  }
  const clean = segments.map((s: unknown, i) => {
    const at = `${where}.segments[${i}]`;
    if (!isRecord(s)) throw invalid(at, `expected {start, end}, got ${describe(s)}`);
    const start = checkFinite(s.start, `${at}.start`);
    const end = checkFinite(s.end, `${at}.end`);
    if (start < 0 || end <= start) throw invalid(at, `expected 0 <= start < end seconds, got [${start}, ${end}]`);
    return { start, end };
  });
  return { segments: clean, whole: value.whole };
}

function checkCheckpoint(value: unknown, where: string): CheckpointRef {
  if (!isRecord(value)) throw invalid(where, `expected {path, fingerprint}, got ${describe(value)}`);
  if (typeof value.path !== 'string' || value.path === '') throw invalid(`${where}.path`, `expected a non-empty string, got ${describe(value.path)}`);
  return { path: value.path, fingerprint: checkName(value.fingerprint, `${where}.fingerprint`) };
}

/** A whole probe, copied into a fresh object (nothing the caller holds is kept). */
export function checkProbe(value: unknown, where = 'probe'): Probe {
  if (!isRecord(value)) throw invalid(where, `expected a probe object, got ${describe(value)}`);
  const name = checkName(value.name, `${where}.name`);
  if (!isRecord(value.masks)) throw invalid(`${where}.masks`, `expected {l, a, v}, got ${describe(value.masks)}`);
  const masksIn = value.masks;
  const masks = Object.fromEntries(MODALITIES.map((m) => [m, checkMask(masksIn[m], `${where}.masks.${m}`)])) as PerModality<ModalityMask>;
  const p = value.predictions;
  if (!isRecord(p)) throw invalid(`${where}.predictions`, `expected {masked, complete}, got ${describe(p)}`);
  const predictions = { masked: checkFinite(p.masked, `${where}.predictions.masked`), complete: checkFinite(p.complete, `${where}.predictions.complete`) };
  const createdAt = value.createdAt;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) {
    throw invalid(`${where}.createdAt`, `expected an ISO 8601 time, got ${describe(createdAt)}`);
  }
  return { name, masks, predictions, checkpoint: checkCheckpoint(value.checkpoint, `${where}.checkpoint`), createdAt };
}
