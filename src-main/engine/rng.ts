/**
 * Seeded random numbers: xoshiro128** (Blackman & Vigna, public domain) on 32-bit integer ops,
 * seeded by hashing (seed, ...streams) with SplitMix32-style mixing, so that (seed, epoch) and
 * (seed, epoch, purpose) give independent, reproducible streams.
 */
import { DarError } from './errors';

/** A seeded generator; every method advances the same underlying xoshiro128** stream. */
export interface Rng {
  /** Next raw 32-bit output as an unsigned integer in [0, 2^32). */
  nextUint32(): number;
  /** Uniform float in [0, 1) with 53 random bits (consumes two raw outputs). */
  next(): number;
  /** Standard normal N(0, 1) (Marsaglia polar method; the spare value is cached). */
  normal(): number;
  /** Unbiased integer in 0..n-1 for an integer 1 <= n <= 2^32 (rejection sampling). */
  int(n: number): number;
  /** Fisher–Yates shuffle in place. */
  shuffle<T>(arr: T[]): void;
}

/** The 128-bit xoshiro state as four unsigned 32-bit words. */
export type RngState = readonly [number, number, number, number];

const GOLDEN = 0x9e3779b9;
const TWO_32 = 4294967296;

/** Murmur3's 32-bit finaliser: a bijection with full avalanche, the SplitMix32 output step. */
function fmix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function checkSeedPart(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) throw new DarError('ARG_INVALID', `rng ${what}: expected a safe integer, got ${x}`);
}

/**
 * The xoshiro state for (seed, ...streams): every input (low and high 32-bit halves) is
 * absorbed into a 32-bit hash, then four SplitMix32 steps from that hash fill the state.
 * Exposed so the C reference can pin the derivation.
 */
export function seedState(seed: number, ...streams: number[]): RngState {
  const parts = [seed, ...streams];
  let h = fmix32(GOLDEN ^ parts.length);
  parts.forEach((x, i) => {
    checkSeedPart(x, i === 0 ? 'seed' : `stream ${i}`);
    const lo = x >>> 0;
    const hi = Math.floor(x / TWO_32) >>> 0;
    h = fmix32((h + GOLDEN) ^ lo);
    h = fmix32((h + GOLDEN) ^ hi);
  });
  const s: number[] = [];
  for (let k = 0; k < 4; k++) {
    h = (h + GOLDEN) >>> 0;
    s.push(fmix32(h));
  }
  // An all-zero state would stay zero forever; fmix32 being a bijection makes this near-impossible.
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;
  return [s[0], s[1], s[2], s[3]];
}

/** A generator for (seed, ...streams); equal arguments give equal streams. */
export function createRng(seed: number, ...streams: number[]): Rng {
  return createRngFromState(seedState(seed, ...streams));
}

/** The raw xoshiro128** step function over its own copy of the state. */
function xoshiro128ss(state: RngState): () => number {
  let s0 = state[0] >>> 0;
  let s1 = state[1] >>> 0;
  let s2 = state[2] >>> 0;
  let s3 = state[3] >>> 0;
  if ((s0 | s1 | s2 | s3) === 0) throw new DarError('ARG_INVALID', 'rng state: must not be all zero');
  return () => {
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
}

/** Marsaglia's polar method over `next`, caching the second value of each pair. */
function polarNormal(next: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * next() - 1;
      const v = 2 * next() - 1;
      const q = u * u + v * v;
      if (q > 0 && q < 1) {
        const f = Math.sqrt((-2 * Math.log(q)) / q);
        spare = v * f;
        return u * f;
      }
    }
  };
}

/** Unbiased integers in 0..n-1 from 32-bit outputs by rejection. */
function boundedInt(nextUint32: () => number): (n: number) => number {
  return (n) => {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) {
      throw new DarError('ARG_INVALID', `rng.int: expected an integer 1 <= n <= 2^32, got ${n}`);
    }
    // Accept only the largest multiple of n below 2^32, so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = nextUint32();
      if (x < limit) return x % n;
    }
  };
}

/**
 * A generator started from an explicit xoshiro128** state (not all zero). Its methods are
 * closures, so they may be passed around detached (e.g. `Array.from({ length }, rng.next)`).
 */
export function createRngFromState(state: RngState): Rng {
  const nextUint32 = xoshiro128ss(state);
  const next = (): number => {
    const hi = nextUint32() >>> 5; // 27 bits
    const lo = nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  };
  const int = boundedInt(nextUint32);
  const shuffle = <T>(arr: T[]): void => {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
  };
  return { nextUint32, next, normal: polarNormal(next), int, shuffle };
}
