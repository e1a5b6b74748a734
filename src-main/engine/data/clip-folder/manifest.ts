import { join } from 'node:path';
import type { Modality, PerModality, SplitName } from '#contract/dataset';
import { MODALITIES } from '#contract/dataset';
import { DarError } from '../../errors';
import { parseCsvRecords } from '../feature-files/csv';
import type { CsvRecord } from '../feature-files/csv';
import type { FeatureLayout } from '../feature-files/frames';
import { readBytes } from '../feature-files/npy';

/** One clip of a clip folder's label.csv. */
export interface ManifestRow {
  videoId: string;
  clipId: string;
  text: string;
  label: number;
  mode: SplitName;
  /** 1-based line of label.csv the row starts on. */
  line: number;
}

/** The optional dataset.json of a clip folder, checked. */
export interface ClipFolderMeta {
  name?: string;
  synthetic: boolean;
  description?: string;
  seqLen?: Partial<PerModality<number>>;
  audioLayout?: FeatureLayout;
  visionColumns?: string[];
}

const REQUIRED = ['video_id', 'clip_id', 'text', 'label', 'mode'] as const;
const MODES: readonly string[] = ['train', 'valid', 'test'];
/** Longest seqLen dataset.json may ask for: far past any corpus, short of a padding that cannot be allocated. */
const MAX_SEQ_LEN = 100_000;

/** Reads `<root>/label.csv`. */
export async function readManifest(root: string): Promise<ManifestRow[]> {
  const path = join(root, 'label.csv');
  let bytes: Uint8Array;
  try {
    bytes = await readBytes(path);
  } catch (err) {
    if (err instanceof DarError && err.code === 'FILE_NOT_FOUND') {
      throw new DarError('MANIFEST_MALFORMED', `${root}: no label.csv (a clip folder needs one with columns ${REQUIRED.join(', ')})`);
    }
    throw err;
  }
  return parseManifest(new TextDecoder().decode(bytes), path);
}

/** Parses an MMSA-FET style label.csv: header required, column order free, extra columns ignored. */
export function parseManifest(text: string, name: string): ManifestRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsvRecords(text, name);
  } catch (err) {
    if (err instanceof DarError) throw new DarError('MANIFEST_MALFORMED', err.message);
    throw err;
  }
  if (records.length === 0) throw new DarError('MANIFEST_MALFORMED', `${name}: empty, expected a header with ${REQUIRED.join(', ')}`);
  const header = records[0].fields.map((h) => h.trim().toLowerCase());
  const missing = REQUIRED.filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new DarError('MANIFEST_MALFORMED', `${name}: line 1: missing column(s) ${missing.join(', ')}; header has ${header.join(', ')}`);
  }
  const col = Object.fromEntries(REQUIRED.map((c) => [c, header.indexOf(c)])) as Record<(typeof REQUIRED)[number], number>;
  const seen = new Map<string, number>();
  return records.slice(1).map((r) => {
    const bad = (why: string): DarError => new DarError('MANIFEST_MALFORMED', `${name}: line ${r.line}: ${why}`);
    if (r.fields.length !== header.length) throw bad(`expected ${header.length} fields (as the header), got ${r.fields.length}`);
    const videoId = r.fields[col.video_id].trim();
    const clipId = r.fields[col.clip_id].trim();
    for (const [what, id] of [['video_id', videoId], ['clip_id', clipId]]) {
      if (id === '' || id === '.' || id === '..' || /[/\\]/.test(id)) throw bad(`bad ${what} '${id}'`);
    }
    const labelText = r.fields[col.label].trim();
    const label = labelText === '' ? Number.NaN : Number(labelText);
    if (!Number.isFinite(label) || Math.abs(label) > 3) throw bad(`label must be a number in [-3, 3], got '${labelText}'`);
    const mode = r.fields[col.mode].trim().toLowerCase();
    if (!MODES.includes(mode)) throw bad(`mode must be train, valid or test, got '${r.fields[col.mode]}'`);
    const id = `${videoId}$_$${clipId}`;
    const first = seen.get(id);
    if (first !== undefined) throw bad(`clip ${id} repeats line ${first}`);
    seen.set(id, r.line);
    return { videoId, clipId, text: r.fields[col.text], label, mode: mode as SplitName, line: r.line };
  });
}

/** Reads and checks `<root>/dataset.json`; absent means all defaults. */
export async function readDatasetJson(root: string): Promise<ClipFolderMeta> {
  const path = join(root, 'dataset.json');
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(await readBytes(path)));
  } catch (err) {
    if (err instanceof DarError && err.code === 'FILE_NOT_FOUND') return { synthetic: false };
    if (err instanceof DarError) throw err;
    throw new DarError('MANIFEST_MALFORMED', `${path}: not valid JSON (${(err as Error).message})`);
  }
  return checkMeta(raw, path);
}

/** Validates the parsed dataset.json field by field. */
export function checkMeta(raw: unknown, path: string): ClipFolderMeta {
  const bad = (why: string): DarError => new DarError('MANIFEST_MALFORMED', `${path}: ${why}`);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw bad('expected a JSON object');
  const o = raw as Record<string, unknown>;
  const optString = (key: string): string | undefined => {
    if (o[key] === undefined) return undefined;
    if (typeof o[key] !== 'string') throw bad(`'${key}' must be a string`);
    return o[key];
  };
  if (o.synthetic !== undefined && typeof o.synthetic !== 'boolean') throw bad("'synthetic' must be true or false");
  const meta: ClipFolderMeta = { name: optString('name'), synthetic: o.synthetic === true, description: optString('description') };
  if (o.seqLen !== undefined) meta.seqLen = checkSeqLen(o.seqLen, bad);
  const layout = optString('audioLayout');
  if (layout !== undefined && layout !== 'time-major' && layout !== 'feature-major') {
    throw bad(`'audioLayout' must be "time-major" or "feature-major", got "${layout}"`);
  }
  meta.audioLayout = layout;
  if (o.visionColumns !== undefined) {
    if (!Array.isArray(o.visionColumns) || o.visionColumns.some((c) => typeof c !== 'string') || o.visionColumns.length === 0) {
      throw bad("'visionColumns' must be a non-empty list of column names");
    }
    meta.visionColumns = o.visionColumns as string[];
  }
  return meta;
}

function checkSeqLen(value: unknown, bad: (why: string) => DarError): Partial<PerModality<number>> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad("'seqLen' must be an object {l, a, v}");
  const out: Partial<PerModality<number>> = {};
  for (const [key, n] of Object.entries(value)) {
    if (!MODALITIES.includes(key as Modality)) throw bad(`'seqLen' has unknown modality '${key}' (use l, a, v)`);
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_SEQ_LEN) {
      throw bad(`'seqLen.${key}' must be a positive integer up to ${MAX_SEQ_LEN}, got ${JSON.stringify(n)}`);
    }
    out[key as Modality] = n;
  }
  return out;
}
