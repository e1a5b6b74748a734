/**
 * The browser host's wire format, shared by the engine thread and the host (Node) and the
 * renderer (browser). It is runtime code in contract/ (beside the method table and MODALITIES)
 * because the bytes on the socket are part of the contract, so both ends must run the very same
 * code. Pure and dependency-free (DataView, TextEncoder only).
 *
 * Transport: one WebSocket at `ws://127.0.0.1:PORT/ws?token=TOKEN` (the page's own origin and
 * the token from its URL); every message is ONE binary frame:
 *   requests `{ id, method, params }`, responses `{ id, result }` (a Result), events `{ event }`,
 *   and for explain a preview `{ id, preview }` (its two predictions) ahead of the response.
 *
 * Frame layout (little-endian; every platform we run on is):
 *   u32 headerLength | header: UTF-8 JSON | zero padding to 8 | array bytes, each 8-aligned
 * The header is `{ "message": M, "arrays": [[offset, byteLength], ...] }` where M is the message
 * with each typed array replaced by `{ "$ta": k, "type": "Float32Array" }` and offsets count from
 * the frame's first byte. Typed arrays thus travel as raw bytes, never as JSON number arrays.
 * Equal arrays (same type and bytes) may share one entry; each decodes as an array of its own.
 * Memo frames (the host's explain answers) add `"memo": n` to the header, and an entry
 * `[-1 - j, byteLength]` stands for entry j of the previous memo frame on the connection
 * (n entries); see WireMemo. Plain objects must not have a "$ta" key of their own.
 */

/** The typed array classes that cross the wire, by name. */
const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
} as const;

/** Name of a typed array type the codec carries. */
export type TypedArrayName = keyof typeof TYPED_ARRAYS;

/** Any typed array the codec carries. */
export type WireTypedArray = InstanceType<(typeof TYPED_ARRAYS)[TypedArrayName]>;

/** A request from the page to the host. */
export interface WireRequest {
  id: number;
  method: string;
  params: unknown;
}

/** The host's answer to one request (`result` is a contract Result). */
export interface WireResponse {
  id: number;
  result: unknown;
}

/** An engine event pushed to every connected page. */
export interface WireEvent {
  event: unknown;
}

/** The predictions of an answer sent ahead of it (see StudioPreviews in api.ts). */
export interface WirePreview {
  id: number;
  preview: unknown;
}

/** Any message on the socket. */
export type WireMessage = WireRequest | WireResponse | WireEvent | WirePreview;

/** The socket path of the browser host (plus `?token=`). */
export const WIRE_SOCKET_PATH = '/ws';

/** A malformed frame or a value the codec cannot carry. */
export class WireCodecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireCodecError';
  }
}

const ALIGN = 8;
const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;

function typedArrayName(value: ArrayBufferView): TypedArrayName {
  // The tag, not the constructor: Node's Buffer is a Uint8Array, and it works across realms.
  const name = Object.prototype.toString.call(value).slice(8, -1);
  if (!(name in TYPED_ARRAYS)) throw new WireCodecError(`cannot encode a ${name}: only typed arrays (${Object.keys(TYPED_ARRAYS).join(', ')})`);
  return name as TypedArrayName;
}

/** The header bytes and the array table; offsets depend on the header's length and back, so iterate. */
function layout(json: string, arrays: readonly ArrayBufferView[], refs: readonly number[], memo: string): { header: Uint8Array; table: [number, number][] } {
  const encoder = new TextEncoder();
  let header = encoder.encode(`{"message":${json},"arrays":[]${memo}}`);
  for (let pass = 0; pass < 8; pass++) {
    let offset = align(4 + header.length);
    const table = arrays.map((a, k): [number, number] => {
      if (refs[k] >= 0) return [-1 - refs[k], a.byteLength];
      const entry: [number, number] = [offset, a.byteLength];
      offset = align(offset + a.byteLength);
      return entry;
    });
    const next = encoder.encode(`{"message":${json},"arrays":${JSON.stringify(table)}${memo}}`);
    if (next.length === header.length) return { header: next, table };
    header = next;
  }
  throw new WireCodecError('header layout did not settle');
}

function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  const n = a.byteLength;
  if (n !== b.byteLength) return false;
  // Word-wise where both allow it (the usual case: arrays own their buffers), else byte-wise.
  const words = n % 4 === 0 && a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0;
  const x = words ? new Int32Array(a.buffer, a.byteOffset, n / 4) : new Uint8Array(a.buffer, a.byteOffset, n);
  const y = words ? new Int32Array(b.buffer, b.byteOffset, n / 4) : new Uint8Array(b.buffer, b.byteOffset, n);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Most arrays of the same type and length compared against one another before giving up. */
const MAX_SAME_CANDIDATES = 64;

/**
 * The frame's array table without repeats: typed arrays with the same type and bytes share one
 * entry (an explanation repeats many, e.g. an unmasked modality's corrupted features are its
 * complete ones), so the frame carries them once.
 */
class ArrayTable {
  readonly arrays: ArrayBufferView[] = [];
  private readonly byShape = new Map<string, number[]>();

  /** The entry index of `value`'s bytes, added unless an equal array is there already. */
  add(value: ArrayBufferView, type: TypedArrayName): number {
    const shape = `${type}:${value.byteLength}`;
    let same = this.byShape.get(shape);
    if (!same) this.byShape.set(shape, (same = []));
    for (const k of same) if (sameBytes(this.arrays[k], value)) return k;
    this.arrays.push(value);
    if (same.length < MAX_SAME_CANDIDATES) same.push(this.arrays.length - 1);
    return this.arrays.length - 1;
  }
}

/**
 * What one end of a connection keeps of the last frame sent with a memo: its array table. A
 * later memo frame may point at these instead of carrying equal bytes again (a mask edit's
 * answer repeats most of the previous one, e.g. the whole complete branch). Both ends update
 * it in frame order, so one memo per connection and direction, fresh on every (re)connect.
 */
export interface WireMemo {
  /** The bytes of each entry of the last memo frame: copies, so later changes to the message's arrays cannot skew them. */
  arrays: Uint8Array[];
  /** Their typed array types (kept by the sender only). */
  types?: TypedArrayName[];
}

/** An empty memo (a new connection). */
export function newWireMemo(): WireMemo {
  return { arrays: [] };
}

/** For each array of the frame, the memo entry with equal bytes, or -1 (the same position is tried first). */
function memoRefs(arrays: readonly ArrayBufferView[], memo: WireMemo | undefined): number[] {
  if (!memo) return arrays.map(() => -1);
  const byShape = new Map<string, number[]>();
  const types = memo.types ?? [];
  memo.arrays.forEach((a, j) => {
    const shape = `${types[j]}:${a.byteLength}`;
    const same = byShape.get(shape);
    if (!same) byShape.set(shape, [j]);
    else if (same.length < MAX_SAME_CANDIDATES) same.push(j);
  });
  return arrays.map((a, k) => {
    const prior = memo.arrays[k];
    if (prior && types[k] === typedArrayName(a) && sameBytes(prior, a)) return k;
    for (const j of byShape.get(`${typedArrayName(a)}:${a.byteLength}`) ?? []) if (sameBytes(memo.arrays[j], a)) return j;
    return -1;
  });
}

/**
 * Encodes a message (any JSON value with typed arrays anywhere inside) as one binary frame.
 * With a memo, arrays equal to ones of the previous memo frame are referred to, not carried,
 * and this frame becomes the memo; the receiver must decode with its own memo of the connection.
 */
export function encodeMessage(message: unknown, memo?: WireMemo): Uint8Array {
  const unique = new ArrayTable();
  const arrays = unique.arrays;
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    // The holder's own value: toJSON (e.g. Buffer's) has already run on `replaced`.
    const value = this[key];
    if (ArrayBuffer.isView(value)) {
      const type = typedArrayName(value);
      return { $ta: unique.add(value, type), type };
    }
    if (value instanceof ArrayBuffer) throw new WireCodecError('cannot encode a bare ArrayBuffer: wrap it in a Uint8Array');
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '$ta')) {
      throw new WireCodecError('cannot encode an object with its own "$ta" key (reserved for typed arrays)');
    }
    return replaced;
  });
  if (json === undefined) throw new WireCodecError('cannot encode undefined');
  const refs = memoRefs(arrays, memo);
  const { header, table } = layout(json, arrays, refs, memo ? `,"memo":${memo.arrays.length}` : '');
  const total = table.reduce((end, [offset, length]) => (offset >= 0 ? offset + length : end), 4 + header.length);
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  arrays.forEach((a, k) => {
    if (refs[k] < 0) out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), table[k][0]);
  });
  if (memo) {
    memo.arrays = arrays.map((a, k) => (refs[k] >= 0 ? memo.arrays[refs[k]] : new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice()));
    memo.types = arrays.map(typedArrayName);
  }
  return out;
}

function isPlaceholder(value: unknown): value is { $ta: number; type: TypedArrayName } {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return keys.length === 2 && typeof v.$ta === 'number' && typeof v.type === 'string';
}

interface Header {
  message: unknown;
  arrays: [number, number][];
  /** Present on memo frames: the size of the memo the sender referred to. */
  memo?: number;
}

function parseHeader(bytes: Uint8Array): Header {
  if (bytes.byteLength < 4) throw new WireCodecError(`frame of ${bytes.byteLength} bytes: expected at least 4`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + length > bytes.byteLength) throw new WireCodecError(`header of ${length} bytes does not fit a ${bytes.byteLength}-byte frame`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + length)));
  } catch (err) {
    throw new WireCodecError(`header is not UTF-8 JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const h = header as { message?: unknown; arrays?: unknown; memo?: unknown } | null;
  if (!h || typeof h !== 'object' || !('message' in h) || !Array.isArray(h.arrays)) {
    throw new WireCodecError('header: expected { message, arrays }');
  }
  const memo = h.memo === undefined ? undefined : Number(h.memo);
  if (memo !== undefined && !(Number.isSafeInteger(memo) && memo >= 0)) throw new WireCodecError(`header: memo ${JSON.stringify(h.memo)} is not a count`);
  for (const entry of h.arrays) {
    const ok = Array.isArray(entry) && entry.length === 2 && entry.every((x) => Number.isSafeInteger(x)) && entry[1] >= 0;
    const inFrame = ok && (entry[0] >= 0 ? entry[0] + entry[1] <= bytes.byteLength : memo !== undefined && -1 - entry[0] < memo);
    if (!inFrame) throw new WireCodecError(`array entry ${JSON.stringify(entry)}: outside the ${bytes.byteLength}-byte frame`);
  }
  return { message: h.message, arrays: h.arrays as [number, number][], memo };
}

function makeArray(bytes: Uint8Array, entry: [number, number], type: TypedArrayName): WireTypedArray {
  const Ctor = TYPED_ARRAYS[type];
  const [offset, byteLength] = entry;
  if (byteLength % Ctor.BYTES_PER_ELEMENT !== 0) throw new WireCodecError(`${type} of ${byteLength} bytes: not a whole number of elements`);
  const start = bytes.byteOffset + offset;
  // A view when the receive buffer keeps the alignment (browsers), else a copy (Node's pooled Buffers).
  if (start % Ctor.BYTES_PER_ELEMENT === 0) return new Ctor(bytes.buffer as ArrayBuffer, start, byteLength / Ctor.BYTES_PER_ELEMENT);
  const copy = bytes.slice(offset, offset + byteLength);
  return new Ctor(copy.buffer, 0, byteLength / Ctor.BYTES_PER_ELEMENT);
}

/** The bytes of every table entry: this frame's own, or the memo's it refers to (checked against the memo). */
function entryBytes(bytes: Uint8Array, header: Header, memo: WireMemo | undefined): Uint8Array[] {
  if (header.memo !== undefined && (!memo || memo.arrays.length !== header.memo)) {
    throw new WireCodecError(`memo frame refers to a memo of ${header.memo} arrays; this end holds ${memo ? memo.arrays.length : 'none'}`);
  }
  return header.arrays.map(([offset, byteLength]) => {
    if (offset >= 0) return bytes.subarray(offset, offset + byteLength);
    const a = memo!.arrays[-1 - offset];
    if (a.byteLength !== byteLength) throw new WireCodecError(`memo entry ${-1 - offset} has ${a.byteLength} bytes, the frame says ${byteLength}`);
    return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  });
}

/**
 * Decodes one binary frame back into the message, typed arrays restored. A memo frame needs the
 * connection's memo (the one the sender encoded against) and replaces it.
 */
export function decodeMessage(frame: ArrayBuffer | ArrayBufferView, memo?: WireMemo): unknown {
  const bytes = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const header = parseHeader(bytes);
  const entries = entryBytes(bytes, header, memo);
  const used = new Set<number>();
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value === null || typeof value !== 'object') return value;
    if (isPlaceholder(value)) {
      if (!(value.type in TYPED_ARRAYS)) throw new WireCodecError(`unknown typed array type "${value.type}"`);
      const entry = entries[value.$ta];
      if (!entry) throw new WireCodecError(`typed array ${value.$ta}: no such entry (frame has ${entries.length})`);
      const array = makeArray(entry, [0, entry.byteLength], value.type);
      // Shared entries (equal arrays, or the memo's): a later use gets its own copy, so no two decoded arrays alias.
      if (used.has(value.$ta) || header.arrays[value.$ta][0] < 0) return array.slice();
      used.add(value.$ta);
      return array;
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revive(v);
    return out;
  };
  const message = revive(header.message);
  // The memo's own copies: nothing the caller does to the message can change what later frames refer to.
  if (header.memo !== undefined) memo!.arrays = entries.map((e) => e.slice());
  return message;
}
