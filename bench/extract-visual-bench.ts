/**
 * `npx tsx bench/extract-visual-bench.ts`: frames per second of the visual extractor
 * (src-main/engine/extract/visual) on this machine, printed, not asserted, with the time a
 * MOSI-sized folder (2,199 clips, about 2.5 h of video) would take at the default 10 fps.
 *
 * Frames are 640x360 (MOSI's videos are about that size) made from the test face: a
 * talking-head run (the face drifts a few pixels a frame, so the detector mostly sleeps and the
 * mesh tracks) and a run with no face at all (the detector looks every frame, the worst case).
 * Options: --frames <n> (per run, default 100). `runVisualBench()` returns the rows, for
 * bench/extract-bench.ts.
 */
import { fileURLToPath } from 'node:url';
import { createFaceExtractor, DEFAULT_FPS } from '../src-main/engine/extract/visual';
import { faceFrame, noiseFrame } from '../testing/engine/extract/visual/face-frames';

const W = 640;
const H = 360;
/** MOSI: 2,199 clips, about 2.5 h of video. */
const MOSI_SECONDS = 2.5 * 3600;

/** One bench row. */
export interface VisualBenchRow {
  run: string;
  frames: number;
  framesPerSecond: number;
  cpuMsPerFrame: number;
  present: number;
}

function talkingHead(i: number): Uint8Array {
  // A slow sway and nod, like a seated speaker.
  const x = Math.round(190 + 12 * Math.sin(i / 7));
  const y = Math.round(50 + 5 * Math.sin(i / 5));
  return faceFrame(W, H, [{ x, y, size: 256 }]);
}

async function timeRun(run: string, frames: Uint8Array[]): Promise<VisualBenchRow> {
  const extractor = await createFaceExtractor({ fps: DEFAULT_FPS });
  try {
    await extractor.frame(frames[0], W, H); // first frame: kernels and caches warm up
    let present = 0;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    for (const rgb of frames) if ((await extractor.frame(rgb, W, H)).present) present++;
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    return { run, frames: frames.length, framesPerSecond: frames.length / seconds, cpuMsPerFrame: (cpu.user + cpu.system) / 1000 / frames.length, present };
  } finally {
    extractor.dispose();
  }
}

/** Times the talking-head and the no-face runs. */
export async function runVisualBench(frames = 100): Promise<VisualBenchRow[]> {
  const head = Array.from({ length: frames }, (_, i) => talkingHead(i));
  const empty = Array.from({ length: frames }, (_, i) => noiseFrame(W, H, i + 1));
  return [await timeRun('talking head 640x360', head), await timeRun('no face 640x360', empty)];
}

async function main(): Promise<void> {
  const i = process.argv.indexOf('--frames');
  const frames = i > 0 ? Number(process.argv[i + 1]) : 100;
  const t0 = performance.now();
  await createFaceExtractor().then((e) => e.dispose());
  console.log(`visual: models loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s (first load, wasm backend)`);
  for (const row of await runVisualBench(frames)) {
    const mosiHours = (MOSI_SECONDS * DEFAULT_FPS) / row.framesPerSecond / 3600;
    console.log(
      `visual: ${row.run}: ${row.framesPerSecond.toFixed(1)} frames/s (${row.cpuMsPerFrame.toFixed(0)} ms CPU/frame, face in ${row.present}/${row.frames});` +
        ` MOSI (2.5 h at ${DEFAULT_FPS} fps) ~ ${mosiHours.toFixed(1)} h`,
    );
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
