// The test signals of scripts/reference/librosa_features.py, regenerated here so the goldens
// need no audio beside them (the espeak-ng speech clip is stored: speech.s16).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const SR = 22050;
/** This folder: the goldens, their index and the stored speech clip. */
export const GOLDENS_DIR = import.meta.dirname;

function xorshiftUniform(seed: number, n: number): Float64Array {
  let x = seed >>> 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x = (x ^ (x << 13)) >>> 0;
    x = (x ^ (x >>> 17)) >>> 0;
    x = (x ^ (x << 5)) >>> 0;
    out[i] = x / 2 ** 32;
  }
  return out;
}

const sine = (f: number, t: number): number => Math.sin(2 * Math.PI * f * t);

function vowel(n: number): Float64Array {
  const formants = [[700, 90, 1], [1220, 110, 0.6], [2600, 160, 0.3]] as const;
  const tEnd = (n - 1) / SR;
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / SR;
    const f0 = 110 + 70 * t;
    const phase = 2 * Math.PI * (110 * t + 35 * t * t);
    let y = 0;
    for (let k = 1; k <= 50; k++) {
      const f = k * f0;
      if (f >= 10000) continue;
      const gain = formants.reduce((g, [F, B, a]) => g + a / (1 + ((f - F) / B) ** 2), 0);
      y += (gain / k) * Math.sin(k * phase);
    }
    return 0.3 * y * Math.min(1, t / 0.05) * Math.min(1, (tEnd - t) / 0.1);
  });
}

function tones(n: number): Float64Array {
  const d = 2 ** (0.3 / 12);
  return Float64Array.from({ length: n }, (_, i) => {
    const t = i / SR;
    const chord = t < 0.5 ? [440, 554.37, 659.26] : [196, 246.94, 293.66];
    return 0.3 * sine(chord[0]! * d, t) + 0.2 * sine(chord[1]! * d, t) + 0.2 * sine(chord[2]! * d, t) + 0.2 * sine(65.41, t);
  });
}

const RECIPES: Record<string, () => Float64Array> = {
  vowel: () => vowel(SR),
  tones: () => tones(SR),
  noise: () => xorshiftUniform(12345, SR).map((u) => 0.3 * (2 * u - 1)),
  silence: () => new Float64Array(SR),
  clipped: () =>
    Float64Array.from({ length: SR }, (_, i) => {
      const t = i / SR;
      return Math.min(0.8, Math.max(-0.8, 2.5 * Math.sin(2 * Math.PI * (100 * t + 1450 * t * t))));
    }),
  short: () => {
    const u = xorshiftUniform(777, 1500);
    return Float64Array.from(u, (v, i) => 0.4 * sine(300, i / SR) + 0.05 * (2 * v - 1));
  },
};

/** The names of every test signal, speech included. */
export const SIGNAL_NAMES = [...Object.keys(RECIPES), 'speech'];

/** One test signal as float32 samples at 22,050 Hz. */
export function testSignal(name: string): Float32Array {
  if (name === 'speech') {
    const raw = readFileSync(join(GOLDENS_DIR, 'speech.s16'));
    const s16 = new Int16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
    return Float32Array.from(s16, (v) => v / 32768);
  }
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`no test signal '${name}'`);
  return Float32Array.from(recipe());
}
