import { DarError } from '../../errors';
import { int32LE, longLE, narrowInt, uintLE } from './byte-reader';
import { latin1Decode } from './lazy-slice';
import type { Machine, OpHandler } from './machine';
import { OP } from './opcodes';

/** Opcodes that push one scalar, string or bytes value. */

function sized(width: number, what: string): (m: Machine) => number {
  return (m) => uintLE(m.reader.bytes(width), `${what} length`);
}

const len1 = sized(1, 'short');
const len4 = sized(4, '4-byte');
const len8 = sized(8, '8-byte');

function textInt(m: Machine, s: string): number | bigint {
  const body = s.endsWith('L') ? s.slice(0, -1) : s;
  if (!/^[+-]?\d+$/.test(body)) throw m.misuse(`holds ${JSON.stringify(s)}, not an integer`);
  return narrowInt(BigInt(body));
}

function textFloat(m: Machine, s: string): number {
  const t = s.trim().toLowerCase();
  const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN, '-nan': NaN };
  if (t in special) return special[t];
  const v = Number(t);
  if (t === '' || Number.isNaN(v)) throw m.misuse(`holds ${JSON.stringify(s)}, not a float`);
  return v;
}

/** Python 2 `str` repr as written by protocol 0: quoted, with backslash escapes. */
function quotedString(m: Machine, s: string): string {
  const q = s[0];
  if (s.length < 2 || (q !== "'" && q !== '"') || s[s.length - 1] !== q) throw m.misuse('holds an unquoted string');
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };
  return s.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (all, e: string) => {
    if (e[0] === 'x' && e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    return simple[e] ?? all;
  });
}

/** Protocol 0 `raw-unicode-escape` text: only \uXXXX and \UXXXXXXXX are escapes. */
function rawUnicode(s: string): string {
  return s.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, u4?: string, u8?: string) =>
    String.fromCodePoint(parseInt((u4 ?? u8) as string, 16)),
  );
}

/** Handlers by opcode. */
export const VALUE_OPS: [number, OpHandler][] = [
  [OP.NONE, (m) => m.push(null)],
  [OP.NEWTRUE, (m) => m.push(true)],
  [OP.NEWFALSE, (m) => m.push(false)],
  [OP.BININT, (m) => m.push(int32LE(m.reader.bytes(4)))],
  [OP.BININT1, (m) => m.push(m.reader.byte())],
  [OP.BININT2, (m) => m.push(uintLE(m.reader.bytes(2), 'BININT2'))],
  [OP.LONG1, (m) => m.push(longLE(m.reader.bytes(len1(m))))],
  [OP.LONG4, (m) => m.push(longLE(m.reader.bytes(len4(m))))],
  [OP.BINFLOAT, (m) => {
    const b = m.reader.bytes(8);
    m.push(new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, false));
  }],
  [OP.INT, (m) => {
    const s = m.reader.line();
    m.push(s === '01' ? true : s === '00' ? false : textInt(m, s));
  }],
  [OP.LONG, (m) => m.push(textInt(m, m.reader.line()))],
  [OP.FLOAT, (m) => m.push(textFloat(m, m.reader.line()))],
  [OP.STRING, (m) => m.push(quotedString(m, m.reader.line()))],
  [OP.UNICODE, (m) => m.push(rawUnicode(m.reader.line()))],
  [OP.SHORT_BINSTRING, (m) => m.push(latin1Decode(m.reader.bytes(len1(m))))],
  [OP.BINSTRING, (m) => {
    const n = int32LE(m.reader.bytes(4));
    if (n < 0) throw new DarError('PICKLE_MALFORMED', `BINSTRING at offset ${m.reader.opOffset} has negative length`);
    m.push(m.payload(n, 'raw', 'str'));
  }],
  [OP.SHORT_BINUNICODE, (m) => m.push(m.payload(len1(m), 'utf8', 'str'))],
  [OP.BINUNICODE, (m) => m.push(m.payload(len4(m), 'utf8', 'str'))],
  [OP.BINUNICODE8, (m) => m.push(m.payload(len8(m), 'utf8', 'str'))],
  [OP.SHORT_BINBYTES, (m) => m.push(m.payload(len1(m), 'raw', 'bytes'))],
  [OP.BINBYTES, (m) => m.push(m.payload(len4(m), 'raw', 'bytes'))],
  [OP.BINBYTES8, (m) => m.push(m.payload(len8(m), 'raw', 'bytes'))],
  [OP.BYTEARRAY8, (m) => m.push(m.payload(len8(m), 'raw', 'bytes'))],
];
