import { readFile } from 'node:fs/promises';
import { DarError, shapeStr } from '../../errors';
import { floatToHalf, halvesToFloats } from './npy-half';
import { parseNpyHeader } from './npy-header';

/** Dtypes {@link encodeNpy} can write. */
export type NpyEncodeDtype = '<f4' | '<f2' | '<f8' | '<i4' | '|u1';

/** Typed arrays {@link encodeNpy} accepts. */
export type NpyInput = Float32Array | Float64Array | Int32Array | Uint8Array;

/** A parsed .npy array, always in C (row-major) order. */
export interface NpyArray {
  /** File or member name, for messages. */
  name: string;
  shape: number[];
  /** The dtype as the file declared it, e.g. '>f8', '<i2', '|b1'. */
  dtype: string;
  /** Float, signed int, unsigned int or bool. */
  kind: 'f' | 'i' | 'u' | 'b';
  /**
   * The values: Float32Array for every float dtype; Int32Array for ints and bools that fit
   * 32 bits; Float64Array for u4, i8 and u8 (exact up to 2^53).
   */
  data: Float32Array | Int32Array | Float64Array;
  /** NaN and +-Inf values in the data (left as they are). */
  nonfinite: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const HOST_LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SUPPORTED = new Set(['f2', 'f4', 'f8', 'i1', 'i2', 'i4', 'i8', 'u1', 'u2', 'u4', 'u8', 'b1']);

/** Reads a whole file, answering a missing or unreadable one with a coded error. */
export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DarError('FILE_NOT_FOUND', `no such file: ${path}`);
    throw new DarError('FILE_UNREADABLE', `cannot read ${path}: ${(err as Error).message}`);
  }
}

/** Reads a .npy file. */
export async function readNpy(path: string): Promise<NpyArray> {
  return parseNpy(await readBytes(path), path);
}

/**
 * Parses .npy bytes (format 1.0, 2.0 or 3.0); `name` labels errors. Little-endian float32 and
 * int32 data may be returned as a view sharing `bytes`' memory (no copy).
 */
export function parseNpy(bytes: Uint8Array, name = '<npy>'): NpyArray {
  const malformed = (why: string): DarError => new DarError('NPY_MALFORMED', `${name}: ${why}`);
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw malformed('not a .npy file (bad magic)');
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (major !== 1 && major !== 2 && major !== 3) {
    throw new DarError('NPY_UNSUPPORTED', `${name}: .npy format version ${major}.${bytes[7]} is not supported`);
  }
  const headerStart = major === 1 ? 10 : 12;
  if (bytes.length < headerStart) throw malformed('truncated header');
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const dataStart = headerStart + headerLen;
  if (bytes.length < dataStart) throw malformed(`truncated header (${headerLen} bytes declared)`);
  const headerBytes = bytes.subarray(headerStart, dataStart);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const header = parseNpyHeader(text, name);
  const { littleEndian, kind, size } = parseDescr(header.descr, name);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const expected = count * size;
  const actual = bytes.length - dataStart;
  if (actual < expected) {
    throw malformed(`truncated: shape ${shapeStr(header.shape)} ${header.descr} needs ${expected} bytes, got ${actual}`);
  }
  if (actual > expected) {
    throw malformed(`size mismatch: shape ${shapeStr(header.shape)} ${header.descr} needs ${expected} bytes, got ${actual}`);
  }
  const swap = size > 1 && littleEndian !== HOST_LITTLE;
  let raw = bytes.subarray(dataStart, dataStart + expected);
  // Typed-array views need aligned offsets, and byte swaps must not touch the input: copy then.
  if (swap || raw.byteOffset % size !== 0) {
    raw = new Uint8Array(raw); // not .slice(): on a Node Buffer that is a view, not a copy
    if (swap) swapBytes(raw, size);
  }
  let data = decode(raw, kind, size, count);
  if (header.fortranOrder && header.shape.length > 1) data = fortranToC(data, header.shape);
  return { name, shape: header.shape, dtype: header.descr, kind, data, nonfinite: data instanceof Float32Array ? countNonFinite(data) : 0 };
}

/** Splits a descr like '<f4' into byte order, kind and item size; rejects what we cannot read. */
function parseDescr(descr: string, name: string): { littleEndian: boolean; kind: NpyArray['kind']; size: number } {
  const m = /^([<>|=])?([a-zA-Z])(\d+)$/.exec(descr);
  if (!m || !SUPPORTED.has(`${m[2]}${m[3]}`)) {
    const what = descr.includes('O') ? 'object (pickled) arrays' : `dtype '${descr}'`;
    throw new DarError('NPY_UNSUPPORTED', `${name}: ${what} not supported (expected a float, int, uint or bool dtype)`);
  }
  const littleEndian = m[1] === '>' ? false : m[1] === '=' ? HOST_LITTLE : true;
  return { littleEndian, kind: m[2] as NpyArray['kind'], size: Number(m[3]) };
}

function swapBytes(raw: Uint8Array, size: number): void {
  for (let i = 0; i < raw.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = raw[a];
      raw[a] = raw[b];
      raw[b] = t;
    }
  }
}

/** Turns aligned host-order bytes into the output array type (f4 and i4 as views, no copy). */
function decode(raw: Uint8Array, kind: NpyArray['kind'], size: number, n: number): NpyArray['data'] {
  const buf = raw.buffer;
  const at = raw.byteOffset;
  switch (`${kind}${size}`) {
    case 'f2': return halvesToFloats(new Uint16Array(buf, at, n));
    case 'f4': return new Float32Array(buf, at, n);
    case 'f8': return Float32Array.from(new Float64Array(buf, at, n));
    case 'i1': return Int32Array.from(new Int8Array(buf, at, n));
    case 'i2': return Int32Array.from(new Int16Array(buf, at, n));
    case 'i4': return new Int32Array(buf, at, n);
    case 'u1': return Int32Array.from(raw);
    case 'u2': return Int32Array.from(new Uint16Array(buf, at, n));
    case 'b1': return Int32Array.from(raw, (b) => (b ? 1 : 0));
    case 'u4': return Float64Array.from(new Uint32Array(buf, at, n));
    case 'i8': return Float64Array.from(new BigInt64Array(buf, at, n), Number);
    default: return Float64Array.from(new BigUint64Array(buf, at, n), Number);
  }
}

/** Reorders column-major values into row-major order. */
function fortranToC<T extends NpyArray['data']>(src: T, shape: number[]): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const nd = shape.length;
  const fStride = new Array<number>(nd);
  for (let k = 0, s = 1; k < nd; k++) {
    fStride[k] = s;
    s *= shape[k];
  }
  const idx = new Array<number>(nd).fill(0);
  let f = 0;
  for (let c = 0; c < src.length; c++) {
    out[c] = src[f];
    // Advance the C-order counter (last axis fastest) and keep the Fortran offset in step.
    for (let k = nd - 1; k >= 0; k--) {
      idx[k]++;
      f += fStride[k];
      if (idx[k] < shape[k]) break;
      f -= fStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Takes Float32Array only: a monomorphic loop is several times faster over big arrays. */
function countNonFinite(data: Float32Array): number {
  let n = 0;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) n++;
  return n;
}

/** The dtype a typed array is written as when none is asked for. */
function defaultDtype(data: NpyInput): NpyEncodeDtype {
  if (data instanceof Float64Array) return '<f8';
  if (data instanceof Int32Array) return '<i4';
  if (data instanceof Uint8Array) return '|u1';
  return '<f4';
}

/** Encodes a typed array as a .npy v1.0 file in C order, converting to `dtype` when given. */
export function encodeNpy(data: NpyInput, shape: number[], dtype: NpyEncodeDtype = defaultDtype(data)): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (shape.some((s) => !Number.isSafeInteger(s) || s < 0) || count !== data.length) {
    throw new DarError('ARG_INVALID', `encodeNpy: shape ${shapeStr(shape)} holds ${count} values, data has ${data.length}`);
  }
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${dims}), }`;
  // numpy pads so that the data starts on a 64-byte boundary.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  if (header.length > 0xffff) throw new DarError('ARG_INVALID', `encodeNpy: header too long for format 1.0`);
  const size = Number(dtype.slice(2));
  const out = new Uint8Array(total + count * size);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  writeValues(view, total, data, dtype);
  return out;
}

function writeValues(view: DataView, offset: number, data: NpyInput, dtype: NpyEncodeDtype): void {
  const n = data.length;
  switch (dtype) {
    case '<f4': for (let i = 0; i < n; i++) view.setFloat32(offset + 4 * i, data[i], true); break;
    case '<f8': for (let i = 0; i < n; i++) view.setFloat64(offset + 8 * i, data[i], true); break;
    case '<f2': for (let i = 0; i < n; i++) view.setUint16(offset + 2 * i, floatToHalf(data[i]), true); break;
    case '<i4': for (let i = 0; i < n; i++) view.setInt32(offset + 4 * i, data[i], true); break;
    case '|u1': for (let i = 0; i < n; i++) view.setUint8(offset + i, data[i]); break;
  }
}
