import { DarError } from '../../errors';
import { narrowInt } from './byte-reader';
import { buildDtype, dtypeInfo, makeDtype } from './dtype';
import type { LazySlice, RawValue } from './lazy-slice';
import { isLazy, latin1Encode, materialise } from './lazy-slice';
import type { ArrayBytes, ArrayIo } from './ndarray-decode';
import { decodeNdArray } from './ndarray-decode';
import { elementReader, halfToFloat } from './element-reader';
import type { NdArray, NpDtype } from './py-value';
import { isDtype, isGlobal, isNdArray, isTuple, pyTypeName } from './py-value';

/** The constructors numpy pickles call, as our own functions over decoded values. */

/** `numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b')`: an empty array BUILD fills in. */
export function reconstruct(args: RawValue[]): RawValue {
  const cls = args[0];
  if (!isGlobal(cls) || cls.module !== 'numpy' || cls.name !== 'ndarray') {
    throw new DarError('PICKLE_UNSAFE', `_reconstruct may only build numpy.ndarray, got ${pyTypeName(cls)}`);
  }
  const empty: NdArray<LazySlice> = { kind: 'ndarray', dtype: 'uint8', shape: [0], data: new Uint8Array(0), nonfinite: 0 };
  return empty;
}

/** ndarray.__setstate__((version, shape, dtype, is_fortran, rawdata)) as BUILD applies it. */
export function setArrayState(target: NdArray<LazySlice>, state: RawValue, io: ArrayIo): void {
  if (!isTuple(state) || (state.items.length !== 4 && state.items.length !== 5)) {
    throw new DarError('PICKLE_MALFORMED', `ndarray state must be a (version, shape, dtype, is_fortran, data) tuple`);
  }
  const [shapeV, dtype, fortran, raw] = state.items.slice(state.items.length - 4);
  if (!isDtype(dtype)) throw new DarError('PICKLE_MALFORMED', `ndarray state holds ${pyTypeName(dtype)} where a dtype belongs`);
  const shape = intTuple(shapeV, 'ndarray shape');
  const info = dtypeInfo(dtype);
  const data = Array.isArray(raw) ? raw : arrayBytes(raw, 'ndarray data');
  Object.assign(target, decodeNdArray(info, shape, fortran === true || fortran === 1, data, io));
}

/** `numpy.core.numeric._frombuffer(buffer, dtype, shape, order)` (protocol 5). */
export function fromBuffer(args: RawValue[], io: ArrayIo): RawValue {
  const [buf, dtype, shapeV, order] = args;
  if (args.length !== 4 || !isDtype(dtype)) throw new DarError('PICKLE_MALFORMED', `_frombuffer expects (buffer, dtype, shape, order)`);
  if (order !== 'C' && order !== 'F') throw new DarError('PICKLE_MALFORMED', `_frombuffer order must be 'C' or 'F', got ${String(order)}`);
  const info = dtypeInfo(dtype);
  if (info.name === 'object') throw new DarError('PICKLE_MALFORMED', `_frombuffer cannot hold an object array`);
  return decodeNdArray(info, intTuple(shapeV, '_frombuffer shape'), order === 'F', arrayBytes(buf, '_frombuffer buffer'), io);
}

/** `numpy.core.multiarray.scalar(dtype, bytes)`: a numpy scalar becomes a plain value. */
export function scalar(args: RawValue[], io: ArrayIo): RawValue {
  const [dtype, payload] = args;
  if (!isDtype(dtype)) throw new DarError('PICKLE_MALFORMED', `numpy scalar expects a dtype, got ${pyTypeName(dtype)}`);
  const info = dtypeInfo(dtype);
  if (info.name === 'object') return payload;
  const src = arrayBytes(payload, 'numpy scalar');
  const bytes = src instanceof Uint8Array ? src : (materialise(io.access, src) as Uint8Array);
  if (bytes.length !== info.itemsize) {
    throw new DarError('PICKLE_MALFORMED', `numpy ${info.name} scalar needs ${info.itemsize} bytes, got ${bytes.length}`);
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  if (info.name === 'int64') return narrowInt(dv.getBigInt64(0, info.littleEndian));
  if (info.name === 'uint64') return narrowInt(dv.getBigUint64(0, info.littleEndian));
  if (info.name === 'bool') return bytes[0] !== 0;
  if (info.name === 'float16') return halfToFloat(dv.getUint16(0, info.littleEndian));
  return elementReader(info)(dv, 0);
}

/** `numpy.dtype(code, align, copy)`. */
export function dtype(args: RawValue[]): RawValue {
  return makeDtype(args);
}

/** BUILD on a value we constructed: only arrays and dtypes take a state. */
export function applyState(target: RawValue, state: RawValue, io: ArrayIo): void {
  if (isNdArray(target)) setArrayState(target, state, io);
  else if (isDtype(target)) buildDtype(target as NpDtype, plainItems(state, io));
  else throw new DarError('PICKLE_UNSUPPORTED', `BUILD on a ${pyTypeName(target)} is not supported`);
}

function plainItems(state: RawValue, io: ArrayIo): RawValue {
  if (!isTuple(state)) return state;
  return { kind: 'tuple', items: state.items.map((v) => (isLazy(v) ? materialise(io.access, v) : v)) };
}

/** Array bytes from bytes, a latin-1 str (Python 2 pickles) or a lazy slice. */
function arrayBytes(v: RawValue, what: string): ArrayBytes {
  if (v instanceof Uint8Array) return v;
  if (typeof v === 'string') return latin1Encode(v);
  if (isLazy(v)) return { ...v, type: 'bytes' };
  throw new DarError('PICKLE_MALFORMED', `${what} must be bytes, got ${pyTypeName(v)}`);
}

function intTuple(v: RawValue, what: string): number[] {
  const items = isTuple(v) ? v.items : Array.isArray(v) ? v : typeof v === 'number' ? [v] : null;
  if (!items || !items.every((x) => typeof x === 'number' && Number.isInteger(x))) {
    throw new DarError('PICKLE_MALFORMED', `${what} must be a tuple of ints, got ${pyTypeName(v)}`);
  }
  return items as number[];
}
