import { DarError } from '../../errors';
import type { NdDtypeName, NpDtype, PyValue } from './py-value';
import { isTuple } from './py-value';

/** What the decoder needs to know about a supported dtype. */
export interface DtypeInfo {
  name: NdDtypeName;
  /** Bytes per element (for 'object', none: data comes as a list). */
  itemsize: number;
  littleEndian: boolean;
}

const NUMERIC: Record<string, NdDtypeName> = {
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  i1: 'int8',
  i2: 'int16',
  i4: 'int32',
  i8: 'int64',
  u1: 'uint8',
  u2: 'uint16',
  u4: 'uint32',
  u8: 'uint64',
  b1: 'bool',
};

/** `numpy.dtype(code, align, copy)`: the dtype object, byte order fixed later by BUILD. */
export function makeDtype<L>(args: PyValue<L>[]): NpDtype {
  const code = args[0];
  if (typeof code !== 'string') throw new DarError('PICKLE_MALFORMED', `numpy.dtype expects a type code string`);
  const m = /^([<>|=])?([a-zA-Z?])(\d*)$/.exec(code);
  const order = m?.[1];
  const body = m ? `${m[2]}${m[3]}` : code;
  const single = body === '?' || /^[biu]1$/.test(body) || body.startsWith('O');
  return {
    kind: 'dtype',
    code: body === '?' ? 'b1' : body,
    byteOrder: order === '>' ? '>' : order === '<' || order === '=' || !single ? '<' : '|',
    structured: false,
  };
}

/** Applies a dtype's pickled state `(version, byteorder, subarray, names, fields, ...)`. */
export function buildDtype<L>(dtype: NpDtype, state: PyValue<L>): void {
  if (!isTuple(state) || state.items.length < 5) throw new DarError('PICKLE_MALFORMED', `numpy.dtype state must be a tuple`);
  const order = state.items[1];
  if (order === '>') dtype.byteOrder = '>';
  else if (order === '<' || order === '=') dtype.byteOrder = '<';
  else if (order === '|') dtype.byteOrder = '|';
  else throw new DarError('PICKLE_MALFORMED', `numpy.dtype state has byte order ${String(order)}`);
  dtype.structured = state.items[2] !== null || state.items[3] !== null;
}

/** The decoder's view of a dtype, or PICKLE_UNSUPPORTED naming it. */
export function dtypeInfo(dtype: NpDtype): DtypeInfo {
  const numeric = NUMERIC[dtype.code];
  const littleEndian = dtype.byteOrder !== '>';
  if (!dtype.structured && numeric) return { name: numeric, itemsize: Number(dtype.code.slice(1)), littleEndian };
  if (!dtype.structured && /^U\d+$/.test(dtype.code)) {
    return { name: 'unicode', itemsize: 4 * Number(dtype.code.slice(1)), littleEndian };
  }
  if (!dtype.structured && /^O\d*$/.test(dtype.code)) return { name: 'object', itemsize: 0, littleEndian };
  const what = dtype.structured ? `structured dtype ${dtype.code}` : `dtype '${dtype.byteOrder}${dtype.code}'`;
  throw new DarError(
    'PICKLE_UNSUPPORTED',
    `numpy ${what} is not supported (float16/32/64, int8-64, uint8-64, bool, unicode, object are)`,
  );
}
