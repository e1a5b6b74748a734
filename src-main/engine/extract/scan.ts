/**
 * Finds the videos of a folder to extract: files at the top (`talk.mp4` -> video_id "talk",
 * clip_id "0") and one level down, as in MMSA's Raw (`talk/3.mp4` -> "talk", "3"); each with
 * the transcript beside it that has the same name (.json, then .srt, .vtt, .txt).
 */
import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { DarError } from '../errors';
import { TRANSCRIPT_EXTENSIONS } from './transcript';

/** Extensions taken as video (ffmpeg decides later whether it can read the file). */
export const VIDEO_EXTENSIONS = ['.mp4', '.m4v', '.mov', '.mkv', '.webm', '.avi', '.mpg', '.mpeg', '.ts', '.mts', '.flv', '.wmv', '.ogv', '.3gp'];

/** One video to extract. */
export interface SourceVideo {
  file: string;
  /** Path relative to the videos folder (what reports show). */
  name: string;
  videoId: string;
  clipId: string;
  bytes: number;
  /** The transcript beside it, or null. */
  transcript: string | null;
}

/** A name safe as a clip-folder id: no separators, no "$_$", never "." or "..". */
export function safeId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/\$_\$/g, '_');
  return id === '' || id === '.' || id === '..' ? `_${id}` : id;
}

const isVideo = (e: Dirent): boolean => e.isFile() && !e.name.startsWith('.') && VIDEO_EXTENSIONS.includes(path.extname(e.name).toLowerCase());

function transcriptFor(file: string, names: ReadonlySet<string>): string | null {
  const stem = path.basename(file, path.extname(file));
  const found = TRANSCRIPT_EXTENSIONS.map((ext) => stem + ext).find((n) => names.has(n));
  return found ? path.join(path.dirname(file), found) : null;
}

async function listDir(dir: string): Promise<Dirent[]> {
  return (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The videos of `folder`, sorted by path; ids made unique ("-2", "-3" ... on a clash). */
export async function scanVideos(folder: string): Promise<SourceVideo[]> {
  const root = path.resolve(folder);
  const info = await stat(root).catch(() => undefined);
  if (!info?.isDirectory()) throw new DarError('FILE_NOT_FOUND', `no such folder: ${root}`);
  const found: Array<{ file: string; videoId: string; clipId: string; names: Set<string> }> = [];
  const top = await listDir(root);
  const topNames = new Set(top.map((e) => e.name));
  for (const e of top) {
    if (isVideo(e)) found.push({ file: path.join(root, e.name), videoId: safeId(path.parse(e.name).name), clipId: '0', names: topNames });
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const inner = await listDir(path.join(root, e.name));
    const innerNames = new Set(inner.map((i) => i.name));
    for (const i of inner.filter(isVideo)) {
      found.push({ file: path.join(root, e.name, i.name), videoId: safeId(e.name), clipId: safeId(path.parse(i.name).name), names: innerNames });
    }
  }
  const used = new Set<string>();
  const out: SourceVideo[] = [];
  for (const f of found) {
    let clipId = f.clipId;
    for (let k = 2; used.has(`${f.videoId}$_$${clipId}`); k++) clipId = `${f.clipId}-${k}`;
    used.add(`${f.videoId}$_$${clipId}`);
    const bytes = (await stat(f.file)).size;
    out.push({ file: f.file, name: path.relative(root, f.file), videoId: f.videoId, clipId, bytes, transcript: transcriptFor(f.file, f.names) });
  }
  return out;
}
