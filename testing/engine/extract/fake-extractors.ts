/**
 * Small deterministic stand-ins for the three extractors, so the pipeline's tests run in a second
 * without models: acoustic = per-hop RMS and zero crossings, face = mean colour (a skin-coloured
 * frame counts as a face), text = a hash of each word.
 */
import type { Extractors, FaceTracker } from '../../../src-main/engine/extract/extractor-types';

const HOP = 512;

function tracker(): FaceTracker {
  return {
    columns: ['r', 'g', 'b'],
    async frame(rgb, w, h) {
      const sum = [0, 0, 0];
      for (let i = 0; i < w * h * 3; i++) sum[i % 3] += rgb[i];
      const mean = sum.map((s) => s / (w * h));
      return { present: mean[0] > 180 && mean[2] < 170, values: mean };
    },
    dispose() {},
  };
}

function wordVector(word: string, dim: number, row: Float32Array): void {
  let h = 2166136261;
  for (const ch of word) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  for (let i = 0; i < dim; i++) row[i] = ((h >>> i % 24) & 255) / 255;
}

/** Fresh fake extractors; `created` counts the text encoders made and `disposed` those freed. */
export function fakeExtractors(): Extractors & { counts: { encoders: number; disposed: number; trackers: number } } {
  const counts = { encoders: 0, disposed: 0, trackers: 0 };
  return {
    counts,
    acoustic: {
      stamp: (preset) => ({ id: 'fake-acoustic', version: '1', settings: { preset } }),
      features(samples, sampleRate) {
        const n = Math.max(1, Math.floor(samples.length / HOP));
        const frames = new Float32Array(n * 2);
        for (let i = 0; i < n; i++) {
          let e = 0;
          let z = 0;
          for (let k = i * HOP; k < Math.min(samples.length, (i + 1) * HOP); k++) {
            e += samples[k] * samples[k];
            if (k > 0 && samples[k] >= 0 !== samples[k - 1] >= 0) z++;
          }
          frames.set([Math.sqrt(e / HOP), z / HOP], 2 * i);
        }
        return { columns: ['rms', 'zcr'], frames, n, hopSeconds: HOP / sampleRate, sampleRate };
      },
    },
    visual: {
      stamp: (fps) => ({ id: 'fake-face', version: '1', settings: { fps } }),
      async createTracker() {
        counts.trackers++;
        return tracker();
      },
    },
    language: {
      stamp: () => ({ id: 'fake-text', version: '1', settings: {} }),
      async createEncoder() {
        counts.encoders++;
        const dim = 4;
        return {
          dim,
          async encode(words) {
            const data = new Float32Array((words.length + 2) * dim);
            ['[CLS]', ...words, '[SEP]'].forEach((w, i) => wordVector(w, dim, data.subarray(i * dim, (i + 1) * dim)));
            return { rows: words.length + 2, data };
          },
          dispose: () => void counts.disposed++,
        };
      },
    },
  };
}
