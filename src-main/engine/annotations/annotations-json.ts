/** Annotations as JSON: everything, probes included (the format of {@link AnnotationsFile}). */
import type { AnnotationsFile, ClipAnnotation, Probe } from '#contract/annotations';
import { DarError } from '../errors';
import type { ImportRow } from './import-plan';
import { checkUniqueClips } from './import-plan';
import { checkClipId, checkLabel, checkNotes, checkProbe, checkTags } from './validate';
import { isRecord } from '../guards';

/** The JSON export text (pretty-printed: people diff and read these). */
export function formatAnnotationsJson(dataset: string, clips: readonly ClipAnnotation[], exportedAt: string): string {
  const file: AnnotationsFile = { format: 'dar-annotations', version: 1, dataset, exportedAt, clips: [...clips] };
  return JSON.stringify(file, null, 2) + '\n';
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** The line of each clip object, found by its "clipId" key; empty when they cannot be matched up. */
function clipLines(text: string, count: number): number[] {
  const offsets = [...text.matchAll(/"clipId"\s*:/g)].map((m) => m.index ?? 0);
  if (offsets.length !== count) return [];
  const lines: number[] = [];
  let line = 1;
  let from = 0;
  for (const at of offsets) {
    for (let i = from; i < at; i++) if (text.charCodeAt(i) === 10) line++;
    from = at;
    lines.push(line);
  }
  return lines;
}


function parseText(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    const where = pos ? `line ${lineAt(text, Number(pos[1]))}: ` : '';
    throw new DarError('ANNOTATIONS_INVALID', `${name}: ${where}not valid JSON (${message})`);
  }
}

/** Parses and checks an annotations JSON export; problems are ANNOTATIONS_INVALID naming the clip and its line. */
export function parseAnnotationsJson(text: string, name: string): { dataset: string; rows: ImportRow[] } {
  const raw = parseText(text, name);
  const bad = (why: string): DarError => new DarError('ANNOTATIONS_INVALID', `${name}: ${why}`);
  if (!isRecord(raw) || raw.format !== 'dar-annotations') throw bad(`line 1: not a DAR annotations export (expected "format": "dar-annotations")`);
  if (raw.version !== 1) throw bad(`annotations format version ${JSON.stringify(raw.version)} is not supported (expected 1)`);
  if (typeof raw.dataset !== 'string') throw bad(`"dataset" must be a string`);
  if (!Array.isArray(raw.clips)) throw bad(`"clips" must be a list`);
  const lines = clipLines(text, raw.clips.length);
  const rows = raw.clips.map((clip: unknown, i): ImportRow => {
    const where = lines.length > 0 ? `clips[${i}] (line ${lines[i]})` : `clips[${i}]`;
    try {
      return { ...parseClip(clip), where };
    } catch (err) {
      if (err instanceof DarError) throw bad(`${where}: ${err.message}`);
      throw err;
    }
  });
  checkUniqueClips(rows, name);
  return { dataset: raw.dataset, rows };
}

function parseClip(clip: unknown): Omit<ImportRow, 'where'> {
  if (!isRecord(clip)) throw new DarError('ANNOTATIONS_INVALID', `expected a clip object`);
  const probes = Array.isArray(clip.probes) ? clip.probes.map((p: unknown, k) => checkProbe(p, `probes[${k}]`)) : undefined;
  if (probes === undefined && clip.probes !== undefined) throw new DarError('ANNOTATIONS_INVALID', `probes: expected a list`);
  const names = new Set<string>();
  for (const p of probes ?? []) {
    if (names.has(p.name)) throw new DarError('ANNOTATIONS_INVALID', `probes: the name '${p.name}' is used twice`);
    names.add(p.name);
  }
  return {
    clipId: checkClipId(clip.clipId, 'clipId'),
    label: clip.label === undefined ? undefined : checkLabel(clip.label),
    tags: clip.tags === undefined ? undefined : checkTags(clip.tags),
    notes: clip.notes === undefined ? undefined : checkNotes(clip.notes),
    probes: probes?.sort((a: Probe, b: Probe) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}
