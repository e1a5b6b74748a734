/**
 * Deterministic input mutations for fuzzing the file readers: bit flips, byte edits,
 * insertions, deletions, truncations, splices of two valid files, extreme numbers written into
 * text and binary headers, and very long lines. Every choice comes from the seeded Rng, so a
 * (seed, case) pair always rebuilds the same input.
 */
import type { Rng } from '../../src-main/engine/rng';

/** A mutated input and how it was made (for reproducing a failure). */
export interface Mutant {
  bytes: Uint8Array;
  how: string;
}

/** Numbers a header or cell may be given to break size arithmetic: huge, negative, not numbers. */
export const EXTREME_TEXT = [
  '1099511627776', // 2^40
  '18446744073709551616', // 2^64
  '9007199254740993', // 2^53 + 1
  '4294967296',
  '-1',
  '-9223372036854775808',
  '0',
  '-0',
  'NaN',
  'nan',
  'inf',
  '-inf',
  '1e309',
  '1e-320',
  '99999999999999999999999999999999999999',
  '0x7fffffff',
  '1.5',
  '',
] as const;

/** Little-endian words for binary size and offset fields. */
const EXTREME_WORDS: readonly bigint[] = [0n, 1n, 0x7fn, 0xffn, 0x7fffn, 0xffffn, 0x7fffffffn, 0xffffffffn, 1n << 40n, (1n << 63n) - 1n, (1n << 64n) - 1n];

/** Fills for very long lines: digits, separators, quotes and nesting readers recurse on. */
const LONG_FILLS = ['9', ',', '"', ' ', '(', '[', '{', '0,', '\\', 'a'];

const pick = <T>(rng: Rng, items: readonly T[]): T => items[rng.int(items.length)];

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length - remove + insert.length);
  out.set(bytes.subarray(0, at), 0);
  out.set(insert, at);
  out.set(bytes.subarray(at + remove), at + insert.length);
  return out;
}

function randomBytes(rng: Rng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(256);
  return out;
}

/** A position, favouring the first and last 128 bytes, where headers and zip directories live. */
function position(rng: Rng, length: number): number {
  if (length === 0) return 0;
  const edge = Math.min(length, 128);
  const where = rng.int(3);
  return where === 0 ? rng.int(edge) : where === 1 ? length - 1 - rng.int(edge) : rng.int(length);
}

type Op = (rng: Rng, b: Uint8Array, other: Uint8Array) => Mutant;

const OPS: readonly Op[] = [
  function bitFlips(rng, b) {
    const out = Uint8Array.from(b);
    const n = 1 + rng.int(8);
    for (let k = 0; k < n && out.length > 0; k++) out[position(rng, out.length)] ^= 1 << rng.int(8);
    return { bytes: out, how: `flip ${n} bits` };
  },
  function setBytes(rng, b) {
    const out = Uint8Array.from(b);
    const at = position(rng, out.length);
    const n = 1 + rng.int(4);
    for (let k = 0; k < n && at + k < out.length; k++) out[at + k] = pick(rng, [0, 0xff, 0x7f, 0x80, rng.int(256)]);
    return { bytes: out, how: `set ${n} bytes at ${at}` };
  },
  function insert(rng, b) {
    const at = position(rng, b.length + 1);
    const from = position(rng, b.length);
    const chunk = rng.int(2) === 0 ? randomBytes(rng, 1 + rng.int(64)) : b.slice(from, from + 1 + rng.int(256));
    return { bytes: splice(b, at, 0, chunk), how: `insert ${chunk.length} bytes at ${at}` };
  },
  function remove(rng, b) {
    const at = position(rng, b.length);
    const n = Math.min(b.length - at, 1 + rng.int(rng.int(2) === 0 ? 16 : Math.max(1, b.length >> 2)));
    return { bytes: splice(b, at, n, new Uint8Array(0)), how: `delete ${n} bytes at ${at}` };
  },
  function truncate(rng, b) {
    const at = rng.int(b.length + 1);
    return { bytes: b.slice(0, at), how: `truncate to ${at}` };
  },
  function spliceTwo(rng, b, other) {
    const a = rng.int(b.length + 1);
    const o = rng.int(other.length + 1);
    const out = new Uint8Array(a + other.length - o);
    out.set(b.subarray(0, a), 0);
    out.set(other.subarray(o), a);
    return { bytes: out, how: `splice ${a} bytes + other from ${o}` };
  },
  extremeText,
  function extremeWord(rng, b) {
    const out = Uint8Array.from(b);
    const width = pick(rng, [2, 4, 8]);
    if (out.length < width) return { bytes: out, how: 'word too wide' };
    const at = Math.min(position(rng, out.length), out.length - width);
    let w = pick(rng, EXTREME_WORDS);
    for (let k = 0; k < width; k++, w >>= 8n) out[at + k] = Number(w & 0xffn);
    return { bytes: out, how: `extreme ${width}-byte word at ${at}` };
  },
  function longLine(rng, b) {
    const fill = pick(rng, LONG_FILLS);
    const n = pick(rng, [1000, 65_537, 300_000]);
    const at = position(rng, b.length + 1);
    return { bytes: splice(b, at, 0, new TextEncoder().encode(fill.repeat(Math.ceil(n / fill.length)))), how: `insert ${n} x '${fill}' at ${at}` };
  },
];

/** Runs of ASCII digits (and dots): header sizes, shapes, cells, JSON numbers. */
function numberRuns(b: Uint8Array, limit = Number.POSITIVE_INFINITY): [number, number][] {
  const runs: [number, number][] = [];
  for (let i = 0; i < b.length && runs.length < limit; ) {
    if (b[i] >= 0x30 && b[i] <= 0x39) {
      const start = i;
      while (i < b.length && ((b[i] >= 0x30 && b[i] <= 0x39) || b[i] === 0x2e)) i++;
      runs.push([start, i]);
    } else i++;
  }
  return runs;
}

function replaceRun(b: Uint8Array, [start, end]: [number, number], value: string): Mutant {
  return { bytes: splice(b, start, end - start, new TextEncoder().encode(value)), how: `number at ${start} -> '${value}'` };
}

/** Replaces one number by an extreme one. */
function extremeText(rng: Rng, b: Uint8Array): Mutant {
  const runs = numberRuns(b);
  if (runs.length === 0) return { bytes: Uint8Array.from(b), how: 'no number to replace' };
  return replaceRun(b, pick(rng, runs), pick(rng, EXTREME_TEXT));
}

/** The extremes the sweep writes into every number: sizes past any buffer, negative, not a number. */
const SWEEP_VALUES = ['1099511627776', '4294967296', '-1', 'NaN', '1e309', '99999999999999999999', '0'] as const;

/**
 * The sweep: each of the first `perSeed` numbers of a seed replaced by each SWEEP_VALUE, in a
 * fixed order, so that a size field no random draw happens to hit is still tried.
 */
export function sweepCount(seed: Uint8Array, perSeed: number): number {
  return numberRuns(seed, perSeed).length * SWEEP_VALUES.length;
}

/** Sweep case `k` of a seed (0 <= k < sweepCount). */
export function sweepCase(seed: Uint8Array, perSeed: number, k: number): Mutant {
  const runs = numberRuns(seed, perSeed);
  return replaceRun(seed, runs[Math.floor(k / SWEEP_VALUES.length)], SWEEP_VALUES[k % SWEEP_VALUES.length]);
}

/** One to three mutations of `seed` (splices draw on `other`, another valid file of the format). */
export function mutate(rng: Rng, seed: Uint8Array, other: Uint8Array): Mutant {
  let bytes = seed;
  const how: string[] = [];
  const rounds = 1 + (rng.int(4) === 0 ? 1 + rng.int(2) : 0);
  for (let k = 0; k < rounds; k++) {
    const m = pick(rng, OPS)(rng, bytes, other);
    bytes = m.bytes;
    how.push(m.how);
  }
  return { bytes, how: how.join('; ') };
}
