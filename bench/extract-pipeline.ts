/**
 * The whole `dar extract` pipeline on a small folder of real-format videos (made with ffmpeg in
 * a temp folder), timed per stage, and the time a MOSI-sized folder (2,199 clips, about 2.5 h)
 * would take, projected from each stage's measured seconds per second of video (what happens
 * once a run, such as loading the models, is not scaled). Called by
 * bench/extract-bench.ts (`npm run bench:extract`); runnable alone with tsx.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ExtractReport, ExtractStage } from '#contract/extract';
import { defaultExtractors } from '../src-main/engine/extract/default-extractors';
import { extractFolder } from '../src-main/engine/extract/extract-folder';
import type { Extractors } from '../src-main/engine/extract/extractor-types';
import { fixtureFacePng, makeVideoFolder } from '../testing/engine/extract/video-folder';

/** MOSI: 2,199 clips, about 2.5 hours of video. */
export const MOSI = { clips: 2199, seconds: 2.5 * 3600 };
const STAGES: readonly ExtractStage[] = ['probe', 'audio', 'acoustic', 'visual', 'language', 'write'];

/** One row per stage and a total: measured seconds, times real time, projected MOSI hours. */
export function projectionRows(r: ExtractReport): string[][] {
  const media = r.timings.mediaSeconds;
  const projected = (s: number): number => (s / media) * MOSI.seconds;
  const row = (name: string, s: number, mosi: number): string[] => [name, s.toFixed(2), s > 0 ? `${(media / s).toFixed(1)}x` : '-', `${(mosi / 3600).toFixed(2)} h`];
  const staged = STAGES.reduce((sum, st) => sum + r.timings[st], 0);
  // Loading the models, scanning and the manifest happen once a run: not scaled with the video.
  const once = Math.max(0, r.timings.wall - staged);
  return [
    ['stage', 'seconds', 'real time', `MOSI-sized folder projected time (${MOSI.clips} clips, ${MOSI.seconds / 3600} h)`],
    ...STAGES.map((st) => row(st, r.timings[st], projected(r.timings[st]))),
    row('once a run (model load, scan, manifest)', once, once),
    row('total', r.timings.wall, projected(staged) + once),
  ];
}

/** Runs the pipeline on 3 face videos (H.264 with subtitles, VP9 without a transcript, H.264 in a subfolder); the BERT model from `bertModel`. */
export async function pipelineBench(options: { bertModel?: string; extractors?: Extractors } = {}): Promise<{ report: ExtractReport; rows: string[][]; cpuMs: number }> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'dar-extract-bench-'));
  try {
    const face = fixtureFacePng(tmp);
    const videos = makeVideoFolder(path.join(tmp, 'videos'), ['interview', 'vlog'], face);
    makeVideoFolder(path.join(videos, 'more'), ['interview'], face);
    const extractors = options.extractors ?? (await defaultExtractors());
    const c0 = process.cpuUsage();
    const report = await extractFolder({ videos, out: path.join(tmp, 'clips'), extractors, bertModel: options.bertModel });
    const c = process.cpuUsage(c0);
    return { report, rows: projectionRows(report), cpuMs: (c.user + c.system) / 1000 };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The row bench/extract-bench.ts prints: the whole pipeline and the MOSI-sized folder projected time. */
export function pipelineRow({ report, cpuMs }: { report: ExtractReport; cpuMs: number }, bert: string): { extractor: string; workload: string; wallMs: number; cpuMs: number; rate: string; mosi: string } {
  const { wall, mediaSeconds } = report.timings;
  const staged = STAGES.reduce((sum, st) => sum + report.timings[st], 0);
  const hours = ((staged / mediaSeconds) * MOSI.seconds + (wall - staged)) / 3600;
  return {
    extractor: 'dar extract (whole pipeline)',
    workload: `${report.written} videos, ${mediaSeconds.toFixed(1)} s: probe, decode, acoustic, face at 10 fps, ${bert}, write`,
    wallMs: wall * 1000,
    // This process's threads (face wasm, ONNX Runtime); the ffmpeg children are not in it.
    cpuMs,
    rate: `${(mediaSeconds / wall).toFixed(2)}x real time (wall)`,
    mosi: `MOSI-sized folder projected time: ${hours.toFixed(1)} h (per-stage rates below)`,
  };
}

/** Prints rows as an aligned table. */
export function printTable(rows: string[][], log: (line: string) => void = console.log): void {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { report, rows } = await pipelineBench({ bertModel: process.argv[2] });
  console.log(`${report.written} clips, ${report.timings.mediaSeconds.toFixed(1)} s of video`);
  printTable(rows);
}
