/**
 * The safetensors format (huggingface/safetensors), F32 only: an 8-byte little-endian header
 * length N, N bytes of JSON header `{name: {dtype, shape, data_offsets: [begin, end]},
 * "__metadata__": {string: string}}` padded with spaces to 8-byte alignment, then the data
 * buffer the offsets point into. Tensors are laid out in name order and must cover the buffer
 * exactly (the reference reader rejects holes and overlaps, and so do we).
 */
import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { DarError } from '../errors';
import { atomicWrite } from './atomic-write';
import { isRecord } from '../guards';

/** One float32 tensor as the engine holds it, row-major. */
export interface TensorData {
  data: Float32Array;
  shape: number[];
}

/** Tensors by (dotted) name. */
export type TensorMap = Map<string, TensorData>;

/** The decoded content of a safetensors file. */
export interface SafetensorsContent {
  tensors: TensorMap;
  /** The header's `__metadata__` (string to string, as the format requires). */
  metadata: Record<string, string>;
}

const METADATA_KEY = '__metadata__';
/** The reference implementation's header size limit; also guards against absurd lengths. */
const MAX_HEADER = 100_000_000;

function malformed(what: string, msg: string): DarError {
  return new DarError('CHECKPOINT_MALFORMED', `${what}: ${msg}`);
}

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function checkLittleEndian(): void {
  // Float32Array views are in platform byte order, the format is little-endian.
  if (endianness() !== 'LE') throw new DarError('INTERNAL', 'safetensors: big-endian platforms are not supported');
}

function checkTensor(name: string, t: TensorData): void {
  if (!name || name === METADATA_KEY) throw new DarError('ARG_INVALID', `safetensors: invalid tensor name "${name}"`);
  if (!t.shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw new DarError('ARG_INVALID', `safetensors tensor ${name}: shape [${t.shape.join(',')}] must hold non-negative integers`);
  }
  if (elementCount(t.shape) !== t.data.length) {
    throw new DarError('ARG_INVALID', `safetensors tensor ${name}: shape [${t.shape.join(',')}] needs ${elementCount(t.shape)} values, got ${t.data.length}`);
  }
}

/** Encodes tensors (sorted by name) and string metadata as chunks to write one after another. */
export function encodeSafetensors(tensors: TensorMap, metadata: Record<string, string> = {}): Uint8Array[] {
  checkLittleEndian();
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header[METADATA_KEY] = metadata;
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    checkTensor(name, t);
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + bytes.byteLength] };
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const padded = Math.ceil(json.byteLength / 8) * 8;
  if (padded > json.byteLength) json = Buffer.concat([json, Buffer.alloc(padded - json.byteLength, 0x20)]);
  const prefix = Buffer.alloc(8);
  prefix.writeBigUInt64LE(BigInt(json.byteLength));
  return [prefix, json, ...chunks];
}

interface Entry {
  name: string;
  shape: number[];
  begin: number;
  end: number;
}


function parseMetadata(value: unknown, what: string): Record<string, string> {
  if (!isRecord(value)) throw malformed(what, `${METADATA_KEY} must be an object of strings`);
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw malformed(what, `${METADATA_KEY}.${k} must be a string, got ${typeof v}`);
  }
  return value as Record<string, string>;
}

function parseEntry(name: string, raw: unknown, what: string): Entry {
  const where = `tensor ${name}`;
  if (!isRecord(raw)) throw malformed(what, `${where}: expected {dtype, shape, data_offsets}`);
  if (raw.dtype !== 'F32') throw malformed(what, `${where}: dtype ${JSON.stringify(raw.dtype)} is not supported (expected "F32")`);
  const { shape, data_offsets: offsets } = raw;
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && s >= 0)) {
    throw malformed(what, `${where}: shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw malformed(what, `${where}: data_offsets ${JSON.stringify(offsets)} is not [begin, end]`);
  }
  const [begin, end] = offsets as number[];
  if (end < begin) throw malformed(what, `${where}: data_offsets [${begin}, ${end}] end before they begin`);
  const bytes = elementCount(shape as number[]) * 4;
  if (end - begin !== bytes) {
    throw malformed(what, `${where}: shape [${shape.join(',')}] x 4 = ${bytes} bytes, but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, shape: shape as number[], begin, end };
}

/** Offsets must tile the data buffer: in range, no overlap, no hole, nothing left over. */
function checkLayout(entries: Entry[], dataLength: number, what: string): void {
  const sorted = [...entries].sort((x, y) => x.begin - y.begin || x.end - y.end);
  let pos = 0;
  let prev: Entry | undefined;
  for (const e of sorted) {
    if (e.end > dataLength) {
      throw malformed(what, `truncated or out of range: tensor ${e.name} ends at data byte ${e.end}, the data buffer has ${dataLength} bytes`);
    }
    if (e.begin < pos) throw malformed(what, `data_offsets of tensors ${prev!.name} and ${e.name} overlap`);
    if (e.begin > pos) throw malformed(what, `hole in the data buffer: bytes ${pos}..${e.begin} belong to no tensor (before ${e.name})`);
    pos = e.end;
    prev = e;
  }
  if (pos !== dataLength) throw malformed(what, `${dataLength - pos} trailing bytes after the last tensor`);
}

function readHeader(bytes: Uint8Array, what: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.byteLength < 8) throw malformed(what, `truncated: ${bytes.byteLength} bytes, shorter than the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER)) throw malformed(what, `header length ${n} is larger than ${MAX_HEADER}`);
  const len = Number(n);
  if (8 + len > bytes.byteLength) throw malformed(what, `truncated: header length ${len} exceeds the ${bytes.byteLength - 8} bytes after it`);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + 8, len).toString('utf8');
  if (!text.startsWith('{')) throw malformed(what, 'bad header JSON: it must start with "{"');
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    throw malformed(what, `bad header JSON: ${(err as Error).message}`);
  }
  if (!isRecord(header)) throw malformed(what, 'bad header JSON: expected an object');
  return { header, dataStart: 8 + len };
}

/** Decodes and fully validates a safetensors file's bytes; `what` names the file in errors. */
export function decodeSafetensors(bytes: Uint8Array, what: string): SafetensorsContent {
  checkLittleEndian();
  const { header, dataStart } = readHeader(bytes, what);
  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(raw, what);
    else entries.push(parseEntry(name, raw, what));
  }
  checkLayout(entries, bytes.byteLength - dataStart, what);
  const tensors: TensorMap = new Map();
  for (const e of entries.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))) {
    const data = new Float32Array((e.end - e.begin) / 4);
    // Copy byte-wise: a foreign writer's offsets need not be 4-byte aligned in the file.
    new Uint8Array(data.buffer).set(bytes.subarray(dataStart + e.begin, dataStart + e.end));
    tensors.set(e.name, { data, shape: e.shape });
  }
  return { tensors, metadata };
}

/** Writes a safetensors file atomically (a crash never leaves a partial file under `file`). */
export async function writeSafetensors(file: string, content: SafetensorsContent): Promise<void> {
  await atomicWrite(file, encodeSafetensors(content.tensors, content.metadata));
}

/** Reads and validates a safetensors file; FILE_NOT_FOUND / FILE_UNREADABLE / CHECKPOINT_MALFORMED. */
export async function readSafetensors(file: string): Promise<SafetensorsContent> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DarError('FILE_NOT_FOUND', `${file}: no such file`);
    throw new DarError('FILE_UNREADABLE', `${file}: ${(err as Error).message}`);
  }
  return decodeSafetensors(bytes, file);
}

/** Model weights by dotted name, as ParamStore.exportWeights() gives them. */
export type WeightMap = Map<string, TensorData>;

/** A checkpoint: weights plus JSON metadata (config, normaliser, fingerprint, history, ...). */
export interface Checkpoint<M extends object = Record<string, unknown>> {
  weights: WeightMap;
  /** Each top-level value is stored as its JSON text (safetensors metadata is string to string). */
  metadata: M;
}

/** Metadata values as JSON text; undefined values are left out, as JSON.stringify does for objects. */
export function encodeMetadata(metadata: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    const json = JSON.stringify(value);
    if (json !== undefined) out[key] = json;
  }
  return out;
}

/** The inverse of encodeMetadata; a value that is not JSON (another writer's) stays the raw string. */
export function decodeMetadata(raw: Record<string, string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(raw)) {
    try {
      out[key] = JSON.parse(text);
    } catch {
      out[key] = text;
    }
  }
  return out;
}

/** Writes a model checkpoint atomically: weights as F32 tensors, metadata values as JSON. */
export async function writeCheckpoint(file: string, checkpoint: Checkpoint<object>): Promise<void> {
  await writeSafetensors(file, { tensors: checkpoint.weights, metadata: encodeMetadata(checkpoint.metadata) });
}

/** Reads and validates a model checkpoint; metadata values come back JSON-parsed. */
export async function readCheckpoint(file: string): Promise<Checkpoint & { rawMetadata: Record<string, string> }> {
  const { tensors, metadata } = await readSafetensors(file);
  return { weights: tensors, metadata: decodeMetadata(metadata), rawMetadata: metadata };
}
