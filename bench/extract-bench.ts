/**
 * `npm run bench:extract`: speed of the feature extractors behind `dar extract`, one row per
 * extractor and workload, printed (not asserted). Each row states wall and CPU time (the CPU
 * figure is the fair one on a shared machine), the rate, and the projected time for a MOSI-sized
 * folder (2,199 clips, about 2.5 h of video). Options: --seconds <s> (audio per acoustic row,
 * default 60), --frames <n> (frames per visual row, default 100; 0 skips the visual rows),
 * --bert-model DIR (the BERT rows and the pipeline row; default the cached BERT-base, else a
 * BERT-base-shaped model at /tmp/bert-base-random, else the tiny test model, as its row says).
 *
 * Add a row per extractor with `rows.push(...)`; keep it one flat table.
 */
import { acousticFeatures, type AcousticPreset } from '../src-main/engine/extract/acoustic';
import { testSignal } from '../testing/engine/extract/acoustic/signals';
import { DEFAULT_FPS } from '../src-main/engine/extract/visual';
import { TINY_BERT_DIR } from '../testing/engine/extract/tiny-bert';
import { pipelineBench, pipelineRow, printTable as printStages } from './extract-pipeline';
import { runVisualBench } from './extract-visual-bench';
import { benchBert } from './extract-bert-bench';

/** One line of the table. */
interface BenchRow {
  extractor: string;
  workload: string;
  wallMs: number;
  cpuMs: number;
  /** e.g. "83x real time" or "14 frames/s". */
  rate: string;
  /** Projected time for MOSI (2.5 h of video, 2,199 clips). */
  mosi: string;
}

const MOSI_AUDIO_SECONDS = 2.5 * 3600;

function timed<T>(fn: () => T): { value: T; wallMs: number; cpuMs: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = fn();
  const wallMs = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, wallMs, cpuMs: (c.user + c.system) / 1000 };
}

const minutes = (s: number): string => (s < 90 ? `${s.toFixed(0)} s` : `${(s / 60).toFixed(1)} min`);

/** Speech-like audio: the stored espeak-ng clip and the synthetic vowel, repeated. */
function speechLike(seconds: number): Float32Array {
  const parts = [testSignal('speech'), testSignal('vowel')];
  const y = new Float32Array(Math.round(seconds * 22050));
  for (let i = 0, p = 0, j = 0; i < y.length; i++, j++) {
    if (j >= parts[p]!.length) [p, j] = [(p + 1) % parts.length, 0];
    y[i] = parts[p]![j]!;
  }
  return y;
}

/** Best of three runs (by CPU time) after two warm-up runs: the JIT and the CQT basis cache settle first, as in a long extraction. */
function acousticRows(seconds: number): BenchRow[] {
  const audio = speechLike(seconds);
  return (['mmsa-librosa', 'chsims'] as AcousticPreset[]).map((preset) => {
    for (let i = 0; i < 2; i++) acousticFeatures(audio.subarray(0, 22050 * 10), 22050, preset);
    const runs = [0, 1, 2].map(() => timed(() => acousticFeatures(audio, 22050, preset)));
    const { wallMs, cpuMs } = runs.reduce((a, b) => (b.cpuMs < a.cpuMs ? b : a));
    const rate = (seconds * 1000) / cpuMs;
    return {
      extractor: `acoustic ${preset}`,
      workload: `${seconds} s speech-like audio, 22,050 Hz, best of 3`,
      wallMs,
      cpuMs,
      rate: `${rate.toFixed(0)}x real time (CPU), ${((seconds * 1000) / wallMs).toFixed(0)}x (wall)`,
      mosi: `${minutes(MOSI_AUDIO_SECONDS / rate)} on one core`,
    };
  });
}

/** The visual extractor's rows (bench/extract-visual-bench.ts) in this table's shape. */
async function visualRows(frames: number): Promise<BenchRow[]> {
  if (frames <= 0) return [];
  return (await runVisualBench(frames)).map((r) => ({
    extractor: 'visual face',
    workload: `${r.frames} frames, ${r.run}, face in ${r.present}`,
    wallMs: (r.frames / r.framesPerSecond) * 1000,
    cpuMs: r.cpuMsPerFrame * r.frames,
    rate: `${r.framesPerSecond.toFixed(1)} frames/s (wall)`,
    mosi: `${minutes((MOSI_AUDIO_SECONDS * DEFAULT_FPS) / r.framesPerSecond)} at ${DEFAULT_FPS} fps`,
  }));
}

/** BERT's rows (bench/extract-bert-bench.ts): the cached BERT-base, a BERT-base-shaped model, or the tiny one (said so). */
async function bertRows(model: string | undefined): Promise<BenchRow[]> {
  return (await benchBert({ model, count: 20 })).map((r) => ({
    extractor: 'language BERT',
    workload: `${r.wordsPerUtterance}-word utterances, ${r.model}, load ${r.loadSeconds.toFixed(1)} s`,
    wallMs: 1000 / r.utterancesPerSecond,
    cpuMs: 1000 * r.cpuSecondsPerUtterance,
    rate: `${r.utterancesPerSecond.toFixed(1)} utterances/s (wall)`,
    mosi: `${minutes(r.mosiMinutes * 60)} for 2,199 clips`,
  }));
}

function printTable(rows: BenchRow[]): void {
  const header = ['extractor', 'workload', 'wall ms', 'cpu ms', 'rate', 'MOSI (2.5 h)'];
  const cells = rows.map((r) => [r.extractor, r.workload, r.wallMs.toFixed(0), r.cpuMs.toFixed(0), r.rate, r.mosi]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => v.padEnd(widths[i]!)).join(' | ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const c of cells) console.log(line(c));
}

const option = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const rows: BenchRow[] = [];
rows.push(...acousticRows(option('--seconds', 60)));
rows.push(...(await visualRows(option('--frames', 100))));
const bertArg = process.argv.indexOf('--bert-model');
rows.push(...(await bertRows(bertArg > 0 ? process.argv[bertArg + 1] : undefined)));
// The whole pipeline last: per-stage rates measured on real videos, projected to MOSI's 2.5 h.
const stages = await pipelineBench({ bertModel: bertArg > 0 ? process.argv[bertArg + 1] : TINY_BERT_DIR });
rows.push(pipelineRow(stages, bertArg > 0 ? 'BERT from --bert-model' : 'the tiny test BERT (pass --bert-model DIR for BERT-base)'));
printTable(rows);
console.log('');
printStages(stages.rows);
