/**
 * The browser host's wire format, shared by the host (Node) and the renderer (browser). This is
 * the one runtime file in contract/: the bytes on the socket are part of the contract, so both
 * ends must run the very same code. Pure and dependency-free (DataView, TextEncoder only).
 *
 * Transport: one WebSocket at `ws://127.0.0.1:PORT/ws?token=TOKEN` (the page's own origin and
 * the token from its URL); every message is ONE binary frame:
 *   requests `{ id, method, params }`, responses `{ id, result }` (a Result), events `{ event }`.
 *
 * Frame layout (little-endian; every platform we run on is):
 *   u32 headerLength | header: UTF-8 JSON | zero padding to 8 | array bytes, each 8-aligned
 * The header is `{ "message": M, "arrays": [[offset, byteLength], ...] }` where M is the message
 * with each typed array replaced by `{ "$ta": k, "type": "Float32Array" }` and offsets count from
 * the frame's first byte. Typed arrays thus travel as raw bytes, never as JSON number arrays.
 * Plain objects must not have a "$ta" key of their own (the encoder refuses them).
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

/** Any message on the socket. */
export type WireMessage = WireRequest | WireResponse | WireEvent;

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
function layout(json: string, arrays: readonly ArrayBufferView[]): { header: Uint8Array; table: [number, number][] } {
  const encoder = new TextEncoder();
  let header = encoder.encode(`{"message":${json},"arrays":[]}`);
  for (let pass = 0; pass < 8; pass++) {
    let offset = align(4 + header.length);
    const table = arrays.map((a): [number, number] => {
      const entry: [number, number] = [offset, a.byteLength];
      offset = align(offset + a.byteLength);
      return entry;
    });
    const next = encoder.encode(`{"message":${json},"arrays":${JSON.stringify(table)}}`);
    if (next.length === header.length) return { header: next, table };
    header = next;
  }
  throw new WireCodecError('header layout did not settle');
}

/** Encodes a message (any JSON value with typed arrays anywhere inside) as one binary frame. */
export function encodeMessage(message: unknown): Uint8Array {
  const arrays: ArrayBufferView[] = [];
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key: string, replaced: unknown) {
    // The holder's own value: toJSON (e.g. Buffer's) has already run on `replaced`.
    const value = this[key];
    if (ArrayBuffer.isView(value)) {
      const type = typedArrayName(value);
      arrays.push(value);
      return { $ta: arrays.length - 1, type };
    }
    if (value instanceof ArrayBuffer) throw new WireCodecError('cannot encode a bare ArrayBuffer: wrap it in a Uint8Array');
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && Object.prototype.hasOwnProperty.call(value, '$ta')) {
      throw new WireCodecError('cannot encode an object with its own "$ta" key (reserved for typed arrays)');
    }
    return replaced;
  });
  if (json === undefined) throw new WireCodecError('cannot encode undefined');
  const { header, table } = layout(json, arrays);
  const last = table[table.length - 1];
  const total = last ? last[0] + last[1] : 4 + header.length;
  const out = new Uint8Array(total);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  arrays.forEach((a, k) => out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), table[k][0]));
  return out;
}

function isPlaceholder(value: unknown): value is { $ta: number; type: TypedArrayName } {
  if (value === null || typeof value !== 'object') return false;
  const keys = Object.keys(value);
  const v = value as Record<string, unknown>;
  return keys.length === 2 && typeof v.$ta === 'number' && typeof v.type === 'string';
}

function parseHeader(bytes: Uint8Array): { message: unknown; arrays: [number, number][] } {
  if (bytes.byteLength < 4) throw new WireCodecError(`frame of ${bytes.byteLength} bytes: expected at least 4`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  if (4 + length > bytes.byteLength) throw new WireCodecError(`header of ${length} bytes does not fit a ${bytes.byteLength}-byte frame`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(4, 4 + length)));
  } catch (err) {
    throw new WireCodecError(`header is not UTF-8 JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const h = header as { message?: unknown; arrays?: unknown } | null;
  if (!h || typeof h !== 'object' || !('message' in h) || !Array.isArray(h.arrays)) {
    throw new WireCodecError('header: expected { message, arrays }');
  }
  for (const entry of h.arrays) {
    const ok = Array.isArray(entry) && entry.length === 2 && entry.every((x) => Number.isSafeInteger(x) && x >= 0);
    if (!ok || entry[0] + entry[1] > bytes.byteLength) throw new WireCodecError(`array entry ${JSON.stringify(entry)}: outside the ${bytes.byteLength}-byte frame`);
  }
  return { message: h.message, arrays: h.arrays as [number, number][] };
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

/** Decodes one binary frame back into the message, typed arrays restored. */
export function decodeMessage(frame: ArrayBuffer | ArrayBufferView): unknown {
  const bytes = frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
  const { message, arrays } = parseHeader(bytes);
  const revive = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(revive);
    if (value === null || typeof value !== 'object') return value;
    if (isPlaceholder(value)) {
      if (!(value.type in TYPED_ARRAYS)) throw new WireCodecError(`unknown typed array type "${value.type}"`);
      const entry = arrays[value.$ta];
      if (!entry) throw new WireCodecError(`typed array ${value.$ta}: no such entry (frame has ${arrays.length})`);
      return makeArray(bytes, entry, value.type);
    }
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = revive(v);
    return out;
  };
  return revive(message);
}
