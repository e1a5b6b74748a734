import { DarError, shapeStr } from '../../errors';
import type { RandomAccess } from './byte-reader';
import type { DtypeInfo } from './dtype';
import type { LazySlice } from './lazy-slice';
import { streamSlice } from './lazy-slice';
import type { ElementReader } from './element-reader';
import { elementReader } from './element-reader';
import type { NdArray, NdData, NdDtypeName, PyValue } from './py-value';

/** Where lazy payloads are streamed from. */
export interface ArrayIo {
  access: RandomAccess;
  chunkSize: number;
}

/** An array's element bytes: in memory, or a lazy file slice of type 'bytes'. */
export type ArrayBytes = Uint8Array | LazySlice;

type NumericData = Float32Array | Int32Array | Float64Array | Uint8Array;

/**
 * Builds an ndarray from its element bytes (or, for object arrays, its item list), writing each
 * payload once into its final typed array in C order. Float payloads end as Float32Array with
 * non-finite values replaced by 0 and counted.
 */
export function decodeNdArray<L>(
  info: DtypeInfo,
  shape: number[],
  fortran: boolean,
  raw: ArrayBytes | PyValue<L>[],
  io: ArrayIo,
): NdArray<L> {
  const count = elementCount(shape);
  const what = `ndarray ${shapeStr(shape)} of ${info.name}`;
  if (info.name === 'object') {
    if (!Array.isArray(raw) || raw.length !== count) {
      throw new DarError('PICKLE_MALFORMED', `${what}: expected a list of ${count} items`);
    }
    return { kind: 'ndarray', dtype: 'object', shape, data: raw, nonfinite: 0 };
  }
  if (Array.isArray(raw)) throw new DarError('PICKLE_MALFORMED', `${what}: expected bytes, got a list`);
  checkByteLength(raw, count * info.itemsize, what);
  const data = allocate(info.name, count, what);
  const cOrder = !fortran || shape.filter((s) => s > 1).length <= 1;
  let nonfinite = -1;
  if (cOrder && info.littleEndian && isDirect(info.name)) nonfinite = copyDirect(raw, data as NumericData, io);
  else streamElements(raw, info, shape, cOrder, data, io, what);
  if (nonfinite < 0) nonfinite = data instanceof Float32Array ? zeroNonFinite(data) : 0;
  return { kind: 'ndarray', dtype: info.name, shape, data, nonfinite };
}

/** Number of elements of a shape, checked to be a list of non-negative integers. */
export function elementCount(shape: number[]): number {
  let n = 1;
  for (const s of shape) {
    if (!Number.isSafeInteger(s) || s < 0) throw new DarError('PICKLE_MALFORMED', `ndarray shape ${shapeStr(shape)} is not valid`);
    n *= s;
  }
  if (!Number.isSafeInteger(n)) throw new DarError('PICKLE_MALFORMED', `ndarray shape ${shapeStr(shape)} is too large`);
  return n;
}

/** Replaces ±inf and NaN by 0; returns how many there were. */
export function zeroNonFinite(data: Float32Array): number {
  // Non-finite float32 values are exactly those whose exponent bits are all ones; integer
  // tests on the bits are the fastest scan over multi-GB arrays.
  const bits = new Int32Array(data.buffer, data.byteOffset, data.length);
  let bad = 0;
  for (let i = 0; i < bits.length; i++) {
    if ((bits[i] & 0x7f800000) === 0x7f800000) {
      bits[i] = 0;
      bad++;
    }
  }
  return bad;
}

function checkByteLength(raw: ArrayBytes, expected: number, what: string): void {
  const length = raw instanceof Uint8Array ? raw.length : raw.length;
  // A UTF-8 source (protocol 2) holds each latin-1 byte in one or two bytes.
  const ok = raw instanceof Uint8Array || raw.source === 'raw' ? length === expected : length >= expected && length <= 2 * expected;
  if (!ok) throw new DarError('PICKLE_MALFORMED', `${what} needs ${expected} bytes of data, the pickle has ${length}`);
}

function allocate(name: NdDtypeName, count: number, what: string): NdData {
  try {
    switch (name) {
      case 'float16':
      case 'float32':
      case 'float64':
        return new Float32Array(count);
      case 'int8':
      case 'int16':
      case 'int32':
      case 'uint16':
        return new Int32Array(count);
      case 'int64':
      case 'uint32':
      case 'uint64':
        return new Float64Array(count);
      case 'uint8':
      case 'bool':
        return new Uint8Array(count);
      default:
        return new Array<string>(count).fill('');
    }
  } catch {
    throw new DarError('PICKLE_UNSUPPORTED', `${what} is too large to hold in memory`);
  }
}

function isDirect(name: NdDtypeName): boolean {
  return name === 'float32' || name === 'int32' || name === 'uint8' || name === 'bool';
}

/**
 * Same element type and layout as the output: the file bytes go straight into it. Lazy float32
 * payloads are read in pieces and each piece is scanned for non-finite values while it is still
 * in cache (one pass over memory instead of two); returns that count, or -1 if not scanned.
 */
function copyDirect(raw: ArrayBytes, data: NumericData, io: ArrayIo): number {
  const target = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (raw instanceof Uint8Array) target.set(raw);
  else if (raw.source === 'raw') {
    const piece = Math.max(io.chunkSize, 1 << 20) & ~7;
    let nonfinite = 0;
    for (let at = 0; at < raw.length; at += piece) {
      const n = Math.min(piece, raw.length - at);
      const got = io.access.readAt(target, at, n, raw.offset + at);
      if (got < n) throw new DarError('PICKLE_TRUNCATED', `pickle truncated inside the payload at offset ${raw.offset + at + got}`);
      if (data instanceof Float32Array) nonfinite += zeroNonFinite(data.subarray(at / 4, (at + n) / 4));
    }
    return data instanceof Float32Array ? nonfinite : -1;
  } else {
    let at = 0;
    const produced = streamSlice(io.access, raw, io.chunkSize, (chunk) => {
      if (at + chunk.length > target.length) return;
      target.set(chunk, at);
      at += chunk.length;
    });
    checkProduced(produced, target.length, raw.offset);
  }
  return -1;
}

function checkProduced(produced: number, expected: number, offset: number): void {
  if (produced !== expected) {
    throw new DarError('PICKLE_MALFORMED', `array data at offset ${offset} decodes to ${produced} bytes, expected ${expected}`);
  }
}

/** Decodes element by element (byte swapping, widening, Fortran order), chunk by chunk. */
function streamElements(
  raw: ArrayBytes,
  info: DtypeInfo,
  shape: number[],
  cOrder: boolean,
  data: NdData,
  io: ArrayIo,
  what: string,
): void {
  // Zero-width elements (numpy 'U0') carry no bytes: the strings are already ''.
  if (info.itemsize === 0) return;
  const sink = new ElementSink(info, shape, cOrder, data);
  if (raw instanceof Uint8Array) sink.push(raw);
  else checkProduced(streamSlice(io.access, raw, io.chunkSize, (c) => sink.push(c)), sink.expectedBytes, raw.offset);
  if (!sink.complete) throw new DarError('PICKLE_MALFORMED', `${what}: data ended early`);
}

/** Receives element bytes in arbitrary pieces and writes each element to its C-order slot. */
class ElementSink {
  readonly expectedBytes: number;
  private readonly read: ElementReader;
  private readonly carry: Uint8Array;
  private carryLen = 0;
  private written = 0;
  private readonly order: FortranOrder | null;

  constructor(
    private readonly info: DtypeInfo,
    shape: number[],
    private readonly cOrder: boolean,
    private readonly data: NdData,
  ) {
    this.read = elementReader(info);
    this.carry = new Uint8Array(Math.max(1, info.itemsize));
    this.expectedBytes = data.length * info.itemsize;
    this.order = cOrder ? null : new FortranOrder(shape);
  }

  get complete(): boolean {
    return this.written === this.data.length;
  }

  push(chunk: Uint8Array): void {
    const size = this.info.itemsize;
    let i = 0;
    if (this.carryLen > 0) {
      i = Math.min(size - this.carryLen, chunk.length);
      this.carry.set(chunk.subarray(0, i), this.carryLen);
      this.carryLen += i;
      if (this.carryLen < size) return;
      this.run(this.carry, 1);
      this.carryLen = 0;
    }
    const whole = Math.min(Math.floor((chunk.length - i) / size), this.data.length - this.written);
    if (whole > 0) this.run(chunk.subarray(i, i + whole * size), whole);
    const rest = chunk.subarray(i + whole * size);
    if (this.written < this.data.length) {
      this.carry.set(rest.subarray(0, size));
      this.carryLen = Math.min(rest.length, size);
    }
  }

  private run(bytes: Uint8Array, n: number): void {
    if (this.cOrder && this.info.littleEndian && this.setView(bytes, n)) return;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = this.data as { [i: number]: number | string };
    const size = this.info.itemsize;
    for (let k = 0; k < n; k++) {
      const index = this.order ? this.order.next() : this.written + k;
      out[index] = this.read(dv, k * size);
    }
    this.written += n;
  }

  /** Native-layout elements via a typed view, when the bytes are aligned for one. */
  private setView(bytes: Uint8Array, n: number): boolean {
    const View = VIEWS[this.info.name];
    if (!View || bytes.byteOffset % this.info.itemsize !== 0) return false;
    (this.data as NumericData).set(new View(bytes.buffer, bytes.byteOffset, n), this.written);
    this.written += n;
    return true;
  }
}

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<number>;
const VIEWS: Partial<Record<NdDtypeName, ViewCtor>> = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
};

/** Yields, for elements stored in Fortran order, each one's C-order index. */
class FortranOrder {
  private readonly idx: number[];
  private readonly stride: number[];
  private c = 0;

  constructor(private readonly shape: number[]) {
    this.idx = shape.map(() => 0);
    this.stride = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  }

  next(): number {
    const at = this.c;
    for (let d = 0; d < this.shape.length; d++) {
      this.idx[d]++;
      this.c += this.stride[d];
      if (this.idx[d] < this.shape[d]) break;
      this.c -= this.stride[d] * this.shape[d];
      this.idx[d] = 0;
    }
    return at;
  }
}
