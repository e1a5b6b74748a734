import { constants as bufferConstants } from 'node:buffer';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { DarError } from '../../errors';
import { encodeNpy, parseNpy, readBytes } from './npy';
import type { NpyArray, NpyEncodeDtype, NpyInput } from './npy';

/** One array to write into an .npz file. */
export interface NpzEntry {
  data: NpyInput;
  shape: number[];
  dtype?: NpyEncodeDtype;
}

/** Options of {@link writeNpz}. */
export interface NpzWriteOptions {
  /** Deflate the members (np.savez_compressed); default false (np.savez). */
  compress?: boolean;
}

/** One member of a zip archive as its central directory describes it. */
interface ZipMember {
  name: string;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_LOCATOR64 = 0x07064b50;
const MAX_LENGTH = bufferConstants.MAX_LENGTH;
const DOS_DATE_1980 = 0x21; // 1980-01-01: fixed so that the same arrays give the same bytes

/** Reads every .npy member of an .npz file, keyed by name without ".npy". */
export async function readNpz(path: string): Promise<Map<string, NpyArray>> {
  return parseNpz(await readBytes(path), path);
}

/** Parses .npz bytes (stored or deflated members, zip64, data descriptors); `name` labels errors. */
export function parseNpz(bytes: Uint8Array, name = '<npz>'): Map<string, NpyArray> {
  const out = new Map<string, NpyArray>();
  for (const member of listMembers(bytes, name)) {
    if (!member.name.endsWith('.npy')) continue;
    const key = member.name.slice(0, -4);
    out.set(key, parseNpy(memberBytes(bytes, member, name), `${name}:${key}`));
  }
  return out;
}

function malformed(name: string, why: string): DarError {
  return new DarError('NPZ_MALFORMED', `${name}: not a valid .npz (zip) file: ${why}`);
}

/** Finds the end-of-central-directory record and walks the central directory. */
function listMembers(bytes: Uint8Array, name: string): ZipMember[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === SIG_EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw malformed(name, 'no end-of-central-directory record');
  let count = view.getUint16(eocd + 10, true);
  let cdOffset = view.getUint32(eocd + 16, true);
  if ((count === 0xffff || cdOffset === 0xffffffff) && eocd >= 20 && view.getUint32(eocd - 20, true) === SIG_LOCATOR64) {
    const z = Number(view.getBigUint64(eocd - 12, true));
    if (z + 56 > bytes.length || view.getUint32(z, true) !== SIG_EOCD64) throw malformed(name, 'bad zip64 end record');
    count = Number(view.getBigUint64(z + 32, true));
    cdOffset = Number(view.getBigUint64(z + 48, true));
  }
  const members: ZipMember[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== SIG_CENTRAL) throw malformed(name, `bad central directory entry ${i}`);
    const nameLen = view.getUint16(p + 28, true);
    const extraLen = view.getUint16(p + 30, true);
    const commentLen = view.getUint16(p + 32, true);
    if (view.getUint16(p + 8, true) & 1) throw malformed(name, 'encrypted members are not supported');
    const member: ZipMember = {
      name: new TextDecoder().decode(bytes.subarray(p + 46, p + 46 + nameLen)),
      method: view.getUint16(p + 10, true),
      crc: view.getUint32(p + 16, true),
      compressedSize: view.getUint32(p + 20, true),
      size: view.getUint32(p + 24, true),
      localOffset: view.getUint32(p + 42, true),
    };
    applyZip64Extra(view, p + 46 + nameLen, extraLen, member);
    members.push(member);
    p += 46 + nameLen + extraLen + commentLen;
  }
  return members;
}

/** Replaces 0xffffffff sizes/offset with the 64-bit values of a zip64 extra field. */
function applyZip64Extra(view: DataView, start: number, length: number, m: ZipMember): void {
  const end = Math.min(start + length, view.byteLength);
  for (let q = start; q + 4 <= end; ) {
    const id = view.getUint16(q, true);
    const size = view.getUint16(q + 2, true);
    if (id === 0x0001) {
      let r = q + 4;
      const next = (): number => {
        // The field may claim more bytes than the file has left: read only what is there.
        const v = r + 8 <= Math.min(q + 4 + size, view.byteLength) ? Number(view.getBigUint64(r, true)) : 0xffffffff;
        r += 8;
        return v;
      };
      // The field holds only the values whose 32-bit slot is saturated, in this order.
      if (m.size === 0xffffffff) m.size = next();
      if (m.compressedSize === 0xffffffff) m.compressedSize = next();
      if (m.localOffset === 0xffffffff) m.localOffset = next();
    }
    q += 4 + size;
  }
}

/** The uncompressed, CRC-checked bytes of one member. */
function memberBytes(bytes: Uint8Array, m: ZipMember, name: string): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = m.localOffset;
  if (p + 30 > bytes.length || view.getUint32(p, true) !== SIG_LOCAL) throw malformed(name, `bad local header of ${m.name}`);
  // Sizes come from the central directory: with a data descriptor the local ones are zero.
  const start = p + 30 + view.getUint16(p + 26, true) + view.getUint16(p + 28, true);
  if (start + m.compressedSize > bytes.length) throw malformed(name, `member ${m.name} is truncated`);
  const raw = bytes.subarray(start, start + m.compressedSize);
  let data: Uint8Array;
  if (m.method === 0) data = raw;
  else if (m.method === 8) {
    try {
      // Stop at the declared size: a tiny deflate stream can expand a thousandfold (a zip bomb).
      data = inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(m.size, MAX_LENGTH)) });
    } catch (err) {
      throw malformed(name, `member ${m.name} does not inflate (${(err as Error).message})`);
    }
  } else throw malformed(name, `member ${m.name} uses compression method ${m.method} (only stored and deflate)`);
  if (data.length !== m.size) throw malformed(name, `member ${m.name}: expected ${m.size} bytes, got ${data.length}`);
  if (crc32(data) >>> 0 !== m.crc) throw malformed(name, `member ${m.name} fails its CRC check`);
  return data;
}

/** Encodes arrays as .npz bytes (the zip numpy's savez / savez_compressed writes). */
export function encodeNpz(entries: Record<string, NpzEntry>, options: NpzWriteOptions = {}): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const [key, entry] of Object.entries(entries)) {
    const npy = encodeNpy(entry.data, entry.shape, entry.dtype);
    const body = options.compress ? deflateRawSync(npy) : npy;
    const fileName = new TextEncoder().encode(`${key}.npy`);
    const fields = { method: options.compress ? 8 : 0, crc: crc32(npy) >>> 0, csize: body.length, size: npy.length };
    if (offset + body.length + 30 + fileName.length > 0xffffffff) {
      throw new DarError('ARG_INVALID', `encodeNpz: archive over 4 GB is not supported (${key})`);
    }
    locals.push(zipHeader(SIG_LOCAL, fileName, fields, offset), body);
    centrals.push(zipHeader(SIG_CENTRAL, fileName, fields, offset));
    offset += 30 + fileName.length + body.length;
  }
  const cdSize = centrals.reduce((a, c) => a + c.length, 0);
  const eocd = new Uint8Array(22);
  const v = new DataView(eocd.buffer);
  v.setUint32(0, SIG_EOCD, true);
  v.setUint16(8, centrals.length, true);
  v.setUint16(10, centrals.length, true);
  v.setUint32(12, cdSize, true);
  v.setUint32(16, offset, true);
  return concat([...locals, ...centrals, eocd]);
}

/** A local (30 bytes + name) or central (46 bytes + name) header. */
function zipHeader(
  sig: number,
  fileName: Uint8Array,
  f: { method: number; crc: number; csize: number; size: number },
  offset: number,
): Uint8Array {
  const central = sig === SIG_CENTRAL;
  const fixed = central ? 46 : 30;
  const out = new Uint8Array(fixed + fileName.length);
  const v = new DataView(out.buffer);
  const o = central ? 2 : 0; // central headers carry "version made by" first
  v.setUint32(0, sig, true);
  if (central) v.setUint16(4, 20, true);
  v.setUint16(4 + o, 20, true); // version needed: 2.0 (deflate)
  v.setUint16(6 + o, 0x0800, true); // names are UTF-8
  v.setUint16(8 + o, f.method, true);
  v.setUint16(12 + o, DOS_DATE_1980, true);
  v.setUint32(14 + o, f.crc, true);
  v.setUint32(18 + o, f.csize, true);
  v.setUint32(22 + o, f.size, true);
  v.setUint16(26 + o, fileName.length, true);
  if (central) v.setUint32(42, offset, true);
  out.set(fileName, fixed);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Writes an .npz file atomically (a temporary file in the same folder, then a rename),
 * creating the parent folder when needed.
 */
export async function writeNpz(path: string, entries: Record<string, NpzEntry>, options: NpzWriteOptions = {}): Promise<void> {
  const bytes = encodeNpz(entries, options);
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw new DarError('FILE_UNREADABLE', `cannot write ${path}: ${(err as Error).message}`);
  }
}
