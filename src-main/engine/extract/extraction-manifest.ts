/**
 * `extraction.json`, the manifest of an extracted clip folder: per modality the extractor (id,
 * version, settings) and every feature column's name, and per source video what became of it.
 * Written atomically after clips (resume reads it back) and last of all at the end of a run;
 * the clip-folder reader takes the extractor stamps from it into DatasetInfo.
 *
 * ```
 * { "format": "dar-extraction/1", "source": "/abs/videos", "updatedAt": "...",
 *   "extractors": { "l"|"a"|"v": { "id", "version", "settings", "columns": [..] } },
 *   "clips": [{ "id": "talk$_$0", "file": "talk.mp4", "bytes", "mtimeMs", "status": "written"|"failed",
 *               "error"?: { "code", "message" }, "notes": [..], "text", "duration",
 *               "frames": { "l", "a", "v" }, "transcript": { "file", "wordTiming" } | null }] }
 * ```
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ErrorInfo } from '#contract/errors';
import type { ExtractorStamp, ExtractorStamps } from '#contract/extract';
import type { Modality, PerModality } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { atomicWrite } from '../checkpoint/atomic-write';
import { DarError } from '../errors';
import type { WordTiming } from './transcript';

/** The manifest's file name inside the clip folder. */
export const MANIFEST_FILE = 'extraction.json';
/** Its format tag. */
export const MANIFEST_FORMAT = 'dar-extraction/1';

/** An extractor as the manifest records it: its stamp and its columns. */
export interface ManifestExtractor extends ExtractorStamp {
  columns: string[];
}

/** What became of one source video. */
export interface ManifestClip {
  id: string;
  file: string;
  bytes: number;
  mtimeMs: number;
  status: 'written' | 'failed';
  error?: ErrorInfo;
  notes: string[];
  text: string;
  duration: number;
  frames: PerModality<number>;
  transcript: { file: string; wordTiming: WordTiming } | null;
}

/** The whole manifest. */
export interface ExtractionManifest {
  format: typeof MANIFEST_FORMAT;
  source: string;
  updatedAt: string;
  extractors: PerModality<ManifestExtractor>;
  clips: ManifestClip[];
}

/** Writes the manifest atomically (a reader never sees half of it). */
export async function writeManifest(root: string, manifest: ExtractionManifest): Promise<void> {
  const text = JSON.stringify({ ...manifest, updatedAt: new Date().toISOString() }, null, 1);
  await atomicWrite(path.join(root, MANIFEST_FILE), [Buffer.from(text)]);
}

function isStamp(x: unknown): x is ManifestExtractor {
  const e = x as ManifestExtractor | null;
  return !!e && typeof e.id === 'string' && typeof e.version === 'string' && typeof e.settings === 'object' && e.settings !== null && Array.isArray(e.columns);
}

/** The manifest of a clip folder, null when it has none; MANIFEST_MALFORMED when it is damaged. */
export async function readManifestFile(root: string): Promise<ExtractionManifest | null> {
  const file = path.join(root, MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return null;
  let raw: ExtractionManifest;
  try {
    raw = JSON.parse(text) as ExtractionManifest;
  } catch (err) {
    throw new DarError('MANIFEST_MALFORMED', `${file}: not valid JSON (${(err as Error).message})`);
  }
  if (raw?.format !== MANIFEST_FORMAT || !Array.isArray(raw.clips) || !MODALITIES.every((m) => isStamp(raw.extractors?.[m]))) {
    throw new DarError('MANIFEST_MALFORMED', `${file}: not a ${MANIFEST_FORMAT} manifest`);
  }
  return raw;
}

/** The stamps (without columns) of a manifest: what checkpoints record. */
export function stampsOf(extractors: PerModality<ManifestExtractor>): ExtractorStamps {
  const one = (m: Modality): ExtractorStamp => ({ id: extractors[m].id, version: extractors[m].version, settings: extractors[m].settings });
  return { l: one('l'), a: one('a'), v: one('v') };
}

/** The extractor stamps of a clip folder, or undefined when its features were not extracted here. */
export async function readExtractorStamps(root: string): Promise<ExtractorStamps | undefined> {
  const manifest = await readManifestFile(root);
  return manifest ? stampsOf(manifest.extractors) : undefined;
}
