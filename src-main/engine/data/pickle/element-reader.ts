import { DarError } from '../../errors';
import type { DtypeInfo } from './dtype';

/** Reads one array element at a byte offset of a DataView. */
export type ElementReader = (dv: DataView, offset: number) => number | string;

/** Reads one element of the dtype at a byte offset. */
export function elementReader(info: DtypeInfo): ElementReader {
  const le = info.littleEndian;
  switch (info.name) {
    case 'float16':
      return (dv, o) => halfToFloat(dv.getUint16(o, le));
    case 'float32':
      return (dv, o) => dv.getFloat32(o, le);
    case 'float64':
      return (dv, o) => dv.getFloat64(o, le);
    case 'int8':
      return (dv, o) => dv.getInt8(o);
    case 'int16':
      return (dv, o) => dv.getInt16(o, le);
    case 'int32':
      return (dv, o) => dv.getInt32(o, le);
    case 'uint8':
      return (dv, o) => dv.getUint8(o);
    case 'bool':
      return (dv, o) => (dv.getUint8(o) !== 0 ? 1 : 0);
    case 'uint16':
      return (dv, o) => dv.getUint16(o, le);
    case 'uint32':
      return (dv, o) => dv.getUint32(o, le);
    case 'int64':
    case 'uint64':
      return int64Reader(le, info.name === 'int64');
    default:
      return unicodeReader(info.itemsize / 4, le);
  }
}

function int64Reader(le: boolean, signed: boolean): ElementReader {
  return (dv, o) => {
    const lo = dv.getUint32(le ? o : o + 4, le);
    const hi = signed ? dv.getInt32(le ? o + 4 : o, le) : dv.getUint32(le ? o + 4 : o, le);
    return hi * 4294967296 + lo;
  };
}

function unicodeReader(chars: number, le: boolean): ElementReader {
  return (dv, o) => {
    let end = chars;
    while (end > 0 && dv.getUint32(o + 4 * (end - 1), le) === 0) end--;
    const points: number[] = [];
    for (let i = 0; i < end; i++) {
      const cp = dv.getUint32(o + 4 * i, le);
      if (cp > 0x10ffff) throw new DarError('PICKLE_MALFORMED', `unicode array holds an invalid code point ${cp}`);
      points.push(cp);
    }
    return String.fromCodePoint(...points);
  };
}

/** IEEE 754 half precision to a number. */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}
