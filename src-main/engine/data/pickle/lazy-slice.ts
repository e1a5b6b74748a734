import { DarError } from '../../errors';
import type { RandomAccess } from './byte-reader';
import type { PyValue } from './py-value';

/**
 * A large payload left in the file: read only when an array consumes it (streamed straight
 * into its typed array) or, failing that, materialised once at the end.
 * `source` says how the file bytes encode the value: 'raw' bytes, or 'utf8' text (BINUNICODE);
 * `type` says what the value is. Protocol 2 pickles wrap array bytes as
 * `_codecs.encode(<utf8 str>, 'latin1')`, which is a 'utf8' source of type 'bytes'.
 */
export interface LazySlice {
  kind: 'lazy';
  offset: number;
  length: number;
  source: 'raw' | 'utf8';
  type: 'bytes' | 'str';
}

/** True for a lazy slice. */
export function isLazy(v: unknown): v is LazySlice {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'lazy';
}

/** Reads the slice's value into memory: bytes or a string. */
export function materialise(access: RandomAccess, slice: LazySlice): Uint8Array | string {
  const raw = new Uint8Array(slice.length);
  access.readAt(raw, 0, slice.length, slice.offset);
  if (slice.type === 'str') {
    return slice.source === 'utf8' ? new TextDecoder().decode(raw) : latin1Decode(raw);
  }
  if (slice.source === 'raw') return raw;
  const state = { pending: -1 };
  const bytes = utf8ToLatin1(raw, state, raw.length);
  if (state.pending >= 0) throw new DarError('PICKLE_MALFORMED', `broken UTF-8 at the end of the string at offset ${slice.offset}`);
  return bytes;
}

/**
 * Streams the slice's bytes (after decoding, for 'utf8' sources) through `onChunk` in pieces
 * of at most `chunkSize` bytes. Chunks are views into one scratch buffer: copy what you keep.
 * Returns the number of bytes produced.
 */
export function streamSlice(
  access: RandomAccess,
  slice: LazySlice,
  chunkSize: number,
  onChunk: (chunk: Uint8Array) => void,
): number {
  const scratch = new Uint8Array(Math.max(8, Math.min(chunkSize, slice.length)));
  const state = { pending: -1 };
  let produced = 0;
  for (let done = 0; done < slice.length; ) {
    const want = Math.min(scratch.length, slice.length - done);
    const got = access.readAt(scratch, 0, want, slice.offset + done);
    if (got < want) throw new DarError('PICKLE_TRUNCATED', `pickle truncated inside the payload at offset ${slice.offset}`);
    done += got;
    const n = slice.source === 'raw' ? got : utf8ToLatin1(scratch, state, got).length;
    produced += n;
    onChunk(scratch.subarray(0, n));
  }
  if (state.pending >= 0) throw new DarError('PICKLE_MALFORMED', `broken UTF-8 at the end of the string at offset ${slice.offset}`);
  return produced;
}

/** Latin-1 encoding of a string (what `_codecs.encode(s, 'latin1')` returns). */
export function latin1Encode(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0xff) throw new DarError('PICKLE_MALFORMED', `_codecs.encode(..., 'latin1'): character U+${c.toString(16)} is not latin-1`);
    out[i] = c;
  }
  return out;
}

/** Latin-1 decoding of bytes (protocol 0-2 byte strings). */
export function latin1Decode(b: Uint8Array): string {
  const parts: string[] = [];
  for (let i = 0; i < b.length; i += 8192) parts.push(String.fromCharCode(...b.subarray(i, i + 8192)));
  return parts.join('');
}

/**
 * Decodes UTF-8 text whose characters are all latin-1 into those bytes, in place (the output is
 * never longer than the input). `state.pending` carries a lead byte split across chunks.
 */
function utf8ToLatin1(buf: Uint8Array, state: { pending: number }, length: number): Uint8Array {
  let out = 0;
  let i = 0;
  if (state.pending >= 0 && length > 0) {
    buf[out++] = joinPair(state.pending, buf[i++]);
    state.pending = -1;
  }
  while (i < length) {
    const b = buf[i++];
    if (b < 0x80) buf[out++] = b;
    else if (i < length) buf[out++] = joinPair(b, buf[i++]);
    else state.pending = b;
  }
  return buf.subarray(0, out);
}

function joinPair(lead: number, cont: number): number {
  if ((lead !== 0xc2 && lead !== 0xc3) || (cont & 0xc0) !== 0x80) {
    throw new DarError('PICKLE_MALFORMED', "_codecs.encode(..., 'latin1'): the string holds characters outside latin-1");
  }
  return ((lead & 0x1f) << 6) | (cont & 0x3f);
}

/** A value while unpickling: containers may still hold lazy slices. */
export type RawValue = PyValue<LazySlice>;
