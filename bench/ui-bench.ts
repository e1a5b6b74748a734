/**
 * `npm run bench:ui`: how fast a mask edit shows its new prediction in the browser studio.
 * Spawns `dar serve` on the demo, drives headless Chromium through N mask edits (drags on the
 * three tracks, whole-modality toggles, clears, undos) and reads the page's own measures
 * "dar:edit-to-paint" (performance.mark at the edit, measure once the new numbers are painted).
 * Prints median and p95 against the 50 ms target, and every long task (> 100 ms) the renderer
 * had during the run. With --while-training a `dar train` run on the demo loads the machine
 * meanwhile (the renderer must stay responsive while the engine trains). With --training-view
 * it instead starts a run from the Training view (a fresh DAR_STUDIO_HOME) and records the
 * renderer's long tasks before it, while it runs behind the workbench, and with its curves live.
 * 120 edits by default: the p95 of 40 is their second-largest value, which moved by +-5 ms between
 * runs; of 120 it moved by less than 1 ms (45.5-46.2 ms in four runs).
 * Usage: npm run bench:ui [-- --edits 120 --checkpoint C --while-training | --training-view --seconds 30 --d 16]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../e2e/browser';
import { repoRoot, serveArgs, startHost } from '../e2e/studio-host';
import { dragOnTrack, openClipWithVideo, openStudio, waitSettled, type Track } from '../e2e/studio-page';

const TARGET_P95_MS = 50;
const LONG_TASK_MS = 100;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const median = (xs: number[]): number => sorted(xs)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]): number => sorted(xs)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

/** Starts a demo training run in its own process (stopped by the caller). */
function startTraining(dir: string): ChildProcess {
  const args = [join(repoRoot, 'bin/dar.mjs'), 'train', '--data', join(repoRoot, 'resources/demo'), '--out', join(dir, 'bench.safetensors'), '--preset', 'demo', '--epochs', '100'];
  return spawn(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
}

/** Collects long tasks from the first script on, in the page itself. */
const LONG_TASK_OBSERVER = `
  window.__darLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__darLongTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
`;

/** One edit of the sequence: mostly drags, some toggles, a clear now and then, an undo. */
async function edit(page: Page, i: number): Promise<string> {
  const tracks: Track[] = ['l', 'a', 'v'];
  const track = tracks[i % 3];
  if (i % 10 === 9) {
    await page.locator('[data-testid=mask-clear]').click();
    return 'clear';
  }
  if (i % 10 === 4) {
    await page.locator(`[data-testid=mask-modality-${track}]`).click();
    return `toggle ${track}`;
  }
  if (i % 10 === 7) {
    await page.keyboard.press('Control+z');
    return 'undo';
  }
  const from = 0.05 + ((i * 0.137) % 0.7);
  await dragOnTrack(page, track, from, from + 0.12);
  return `drag ${track}`;
}

type LongTask = { duration: number };

/** Long tasks the page records during `seconds` (the observer was installed at load). */
async function longTasksFor(page: Page, seconds: number): Promise<LongTask[]> {
  await page.evaluate(() => ((globalThis as unknown as { __darLongTasks: unknown[] }).__darLongTasks = []));
  await page.waitForTimeout(seconds * 1000);
  return page.evaluate(() => (globalThis as unknown as { __darLongTasks: LongTask[] }).__darLongTasks);
}

function longTaskLine(label: string, tasks: LongTask[]): void {
  const over = tasks.filter((t) => t.duration > LONG_TASK_MS).map((t) => t.duration);
  const worst = tasks.length ? `, longest ${Math.max(...tasks.map((t) => t.duration)).toFixed(0)} ms` : '';
  console.log(`${label.padEnd(46)} > ${LONG_TASK_MS} ms: ${over.length}, > 50 ms: ${tasks.length}${worst}`);
}

/**
 * The renderer while a run streams: long tasks with the Training view idle, then with a run going
 * behind the workbench (no curves on screen), then with the run's curves live; the differences
 * are the curves' cost, the rest is the machine (the engine shares the CPU with the page).
 */
async function trainingView(): Promise<void> {
  const seconds = Number(arg('seconds', '30'));
  const d = arg('d', '16');
  const home = mkdtempSync(join(tmpdir(), 'dar-ui-bench-home-'));
  const host = await startHost(serveArgs(), 300_000, { DAR_STUDIO_HOME: home });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.addInitScript(LONG_TASK_OBSERVER);
    await openStudio(page, host.url);
    await page.locator('[data-testid=clip-list][data-predicting=false]').waitFor({ timeout: 300_000 });
    await page.locator('[data-testid=nav-training]').click();
    await page.locator('[data-testid=preset-demo]').click();
    for (const [field, value] of [['model-d', d], ['model-heads', '2'], ['model-t', '8'], ['train-epochs', '100'], ['train-batchSize', '16']]) {
      await page.locator(`[data-testid=hp-${field}]`).fill(value);
    }
    const idle = await longTasksFor(page, seconds);
    await page.locator('[data-testid=training-start]').click();
    await page.locator('[data-testid=training-run][data-state=running]').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=nav-workbench]').click();
    const hidden = await longTasksFor(page, seconds);
    await page.locator('[data-testid=nav-training]').click();
    const live = await longTasksFor(page, seconds);
    const steps = await page.locator('[data-testid=training-curves]').getAttribute('data-steps');
    const epochs = await page.locator('[data-testid=training-curves]').getAttribute('data-epochs');
    await page.locator('[data-testid=training-stop]').click();
    console.log(`DAR Studio UI benchmark: renderer long tasks, ${seconds} s per phase, demo run with d = ${d} (${steps} steps / ${epochs} epochs drawn at the end)`);
    longTaskLine('Training view, no run', idle);
    longTaskLine('run going, workbench shown (no curves)', hidden);
    longTaskLine('run going, Training view with live curves', live);
    browser.errors.check(); // numbers from a page that threw are no result
  } finally {
    await browser.close();
    await host.stop();
    rmSync(home, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--training-view')) return trainingView();
  const edits = Number(arg('edits', '120'));
  const checkpoint = arg('checkpoint', '');
  const whileTraining = process.argv.includes('--while-training');
  const trainDir = whileTraining ? mkdtempSync(join(tmpdir(), 'dar-ui-bench-')) : null;
  let training: ChildProcess | null = null;
  const host = await startHost(checkpoint ? ['--checkpoint', checkpoint] : serveArgs());
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.addInitScript(LONG_TASK_OBSERVER);
    // What the host sends back during the edits (frame sizes), for the breakdown.
    const frameBytes: number[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => void (typeof f.payload !== 'string' && frameBytes.push(f.payload.length))));
    await openStudio(page, host.url);
    if ((await page.locator('[data-testid=no-model]').count()) > 0) throw new Error('the host has no model: pass --checkpoint or create resources/demo/model.safetensors');
    // Steady state: the host's background predictions for the library share the engine thread.
    await page.locator('[data-testid=clip-list][data-predicting=false]').waitFor({ timeout: 300_000 });
    const clip = await openClipWithVideo(page);
    // Warm-up: the first explain of a clip compiles kernels and fills caches.
    for (let i = 0; i < 3; i++) {
      await page.locator('[data-testid=mask-modality-a]').click();
      await waitSettled(page);
    }
    if (trainDir) {
      training = startTraining(trainDir);
      await page.waitForTimeout(5000); // past the run's start-up, into its steps
    }
    await page.evaluate(() => {
      performance.clearMeasures('dar:edit-to-paint');
      performance.clearMeasures('dar:explain-roundtrip');
      (globalThis as unknown as { __darLongTasks: unknown[] }).__darLongTasks = [];
    });
    frameBytes.length = 0;
    const kinds: Record<string, number> = {};
    const order: string[] = [];
    for (let i = 0; i < edits; i++) {
      const kind = (await edit(page, i)).split(' ')[0];
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      order.push(kind);
      await waitSettled(page);
      await page.waitForTimeout(30); // let the measure land (it is taken one frame after the DOM update)
    }
    const ms = await page.evaluate(() => performance.getEntriesByName('dar:edit-to-paint').map((e) => e.duration));
    const trips = await page.evaluate(() => performance.getEntriesByName('dar:explain-roundtrip').map((e) => e.duration));
    const previews = await page.evaluate(() => performance.getEntriesByName('dar:explain-preview').map((e) => e.duration));
    const longTasks = await page.evaluate(() => (globalThis as unknown as { __darLongTasks: { start: number; duration: number }[] }).__darLongTasks);
    const over = longTasks.filter((t) => t.duration > LONG_TASK_MS);
    if (ms.length === 0) throw new Error('no edit-to-paint measures were recorded');
    const line = (label: string, value: string): void => console.log(`${label.padEnd(34)} ${value}`);
    const during = training ? ', while `dar train` runs on the demo' : '';
    console.log(`DAR Studio UI benchmark: clip ${clip}, ${edits} edits (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(', ')})${during}`);
    line('edit -> new prediction painted', `median ${median(ms).toFixed(1)} ms, p95 ${p95(ms).toFixed(1)} ms, max ${Math.max(...ms).toFixed(1)} ms (n = ${ms.length}, load average ${loadavg()[0].toFixed(1)})`);
    if (ms.length === order.length) {
      const byKind = Object.keys(kinds).map((k) => `${k} ${median(ms.filter((_, i) => order[i] === k)).toFixed(1)}`);
      line('  median by kind of edit', byKind.join(', '));
    }
    // Masks explained before (undo, redo, back to no mask) are answered by the page itself, with no round trip.
    if (trips.length) line('  of which explain round trip', `median ${median(trips).toFixed(1)} ms, p95 ${p95(trips).toFixed(1)} ms (host + socket; ${trips.length} of ${ms.length} edits asked the host)`);
    if (previews.length) line('  of which until the preview', `median ${median(previews).toFixed(1)} ms, p95 ${p95(previews).toFixed(1)} ms (the predictions alone, ahead of the features)`);
    if (trips.length === ms.length) {
      const rest = ms.map((m, k) => m - trips[k]);
      line('  of which the renderer', `median ${median(rest).toFixed(1)} ms, p95 ${p95(rest).toFixed(1)} ms (edit handling, update, paint, next frame)`);
    }
    if (frameBytes.length) line('  host frames received', `${frameBytes.length}, median ${(median(frameBytes) / 1024).toFixed(1)} KB, max ${(Math.max(...frameBytes) / 1024).toFixed(1)} KB`);
    line(`target p95 < ${TARGET_P95_MS} ms`, p95(ms) < TARGET_P95_MS ? 'met' : 'NOT met');
    line(`long tasks > ${LONG_TASK_MS} ms in the renderer`, over.length === 0 ? 'none' : over.map((t) => `${t.duration.toFixed(0)} ms`).join(', '));
    line('long tasks > 50 ms (all)', String(longTasks.length));
    browser.errors.check(); // numbers from a page that threw are no result
  } finally {
    training?.kill('SIGTERM');
    await browser.close();
    await host.stop();
    if (trainDir) rmSync(trainDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
