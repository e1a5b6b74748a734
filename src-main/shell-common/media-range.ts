/**
 * Byte ranges of a video file for the shells' media routes (the browser host's /media and
 * Electron's dar-media: protocol), so <video> can seek. It never sees a URL, only a file path
 * the worker resolved.
 */
import { createReadStream } from 'node:fs';
import type { ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ClipRef } from '#contract/api';
import type { MediaFile } from '#contract/worker-protocol';

const CLIP_PATH = /^\/(train|valid|test)\/(0|[1-9][0-9]{0,8})$/;

/**
 * The clip a media path names: exactly `/<split>/<index>` (raw, undecoded), else null. Both
 * shells' media URLs end in this (`/media/train/3`, `dar-media://clip/train/3`); the URL only
 * ever selects a clip of the open dataset, the file path comes from the worker.
 */
export function clipOfMediaPath(path: string): ClipRef | null {
  const m = CLIP_PATH.exec(path);
  return m ? { split: m[1] as ClipRef['split'], index: Number(m[2]) } : null;
}

/** A parsed Range header: the whole file (absent/ignored), one range, or unsatisfiable. */
export type ByteRange = { kind: 'all' } | { kind: 'range'; start: number; end: number } | { kind: 'bad' };

/**
 * Parses a Range header against a file of `size` bytes (RFC 9110): `bytes=a-b`, `bytes=a-`,
 * `bytes=-n`; other units and multi-range requests are ignored (whole file); a malformed or
 * unsatisfiable byte range is refused.
 */
export function parseByteRange(header: string | null | undefined, size: number): ByteRange {
  if (!header) return { kind: 'all' };
  const m = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!m) return { kind: 'all' };
  if (m[1].includes(',')) return { kind: 'all' };
  const spec = /^(\d*)-(\d*)$/.exec(m[1].trim());
  if (!spec || (spec[1] === '' && spec[2] === '')) return { kind: 'bad' };
  if (spec[1] === '') {
    const suffix = Number(spec[2]);
    if (suffix === 0 || size === 0) return { kind: 'bad' };
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(spec[1]);
  const end = spec[2] === '' ? size - 1 : Math.min(Number(spec[2]), size - 1);
  if (start >= size || end < start) return { kind: 'bad' };
  return { kind: 'range', start, end };
}

/** What to answer a media request with: status, headers and (unless HEAD or refused) the bytes. */
export interface MediaReply {
  status: 200 | 206 | 416;
  headers: Record<string, string>;
  body: ReadStream | null;
}

/** Opens the reply for a media file and a Range header (the stream is created only when needed). */
export async function mediaReply(file: MediaFile, rangeHeader: string | null | undefined, head: boolean): Promise<MediaReply> {
  const { size } = await stat(file.path);
  const range = parseByteRange(rangeHeader, size);
  const common = { 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' };
  if (range.kind === 'bad') {
    return { status: 416, headers: { ...common, 'Content-Range': `bytes */${size}`, 'Content-Length': '0' }, body: null };
  }
  const [start, end] = range.kind === 'range' ? [range.start, range.end] : [0, size - 1];
  const headers: Record<string, string> = { ...common, 'Content-Type': file.contentType, 'Content-Length': String(Math.max(0, end - start + 1)) };
  if (range.kind === 'range') headers['Content-Range'] = `bytes ${start}-${end}/${size}`;
  const body = head || size === 0 ? null : createReadStream(file.path, { start, end });
  return { status: range.kind === 'range' ? 206 : 200, headers, body };
}
