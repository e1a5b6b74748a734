import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseWebGpu } from '../src-main/engine/webgpu/webgpu-rung';
import { loadWebgpuHere } from '../testing/engine/webgpu-available';
import { useTempDir } from '../testing/temp-dir';
import { useStudio } from './studio-fixture';
import { repoRoot, serveArgs, startHost, type StudioHost } from './studio-host';
import { openClipWithVideo, openStudio, readNumber, waitSettled } from './studio-page';

// The browser studio served with a WebGPU engine (DAR_BACKEND=webgpu; here Dawn on Mesa's
// software adapter) answers a mask edit, with the numbers WebAssembly gives for the same clip.
// Software-GPU timings mean nothing: the limits are about 3x what it takes here.
const loaded = await loadWebgpuHere();
releaseWebGpu(); // the check's own device: the host opens its own
const unavailable = typeof loaded === 'string' ? loaded : null;
if (unavailable) console.warn(`webgpu studio spec skipped: ${unavailable}`);

const DEMO = join(repoRoot, 'resources/demo');
const run = promisify(execFile);

/** The opened clip: its id and split, and the library's prediction for it (full precision) from the row. */
interface OpenedClip {
  id: string;
  split: string;
  prediction: number;
}

async function openFirstVideoClip(page: Page): Promise<OpenedClip> {
  const id = await openClipWithVideo(page);
  const row = page.locator(`[data-testid=clip-item][data-clip-id="${id}"]`);
  await expect.poll(async () => row.getAttribute('data-prediction'), { timeout: 270_000 }).not.toBe('');
  return { id, split: (await row.getAttribute('data-split')) ?? '', prediction: Number(await row.getAttribute('data-prediction')) };
}

/** Masks the language track whole with its toggle and returns the two predictions shown. */
async function maskLanguage(page: Page): Promise<{ masked: string; complete: string }> {
  await page.locator('[data-testid=mask-modality-l]').click();
  await waitSettled(page);
  await expect(page.locator('[data-testid=mask-modality-l]').getAttribute('aria-pressed')).resolves.toBe('true');
  return { masked: await readNumber(page, 'prediction-masked'), complete: await readNumber(page, 'prediction-complete') };
}

/** Two 3-decimal readings of numbers within 1e-4 of each other: equal, or one rounding step apart at a boundary. */
function sameShown(a: string, b: string): boolean {
  return Math.abs(Number(a) - Number(b)) < 0.0015;
}

describe.skipIf(unavailable !== null)('the browser studio on a WebGPU engine', () => {
  const studio = useStudio({ env: { DAR_BACKEND: 'webgpu' }, timeoutMs: 120_000 });
  const dir = useTempDir('dar-e2e-webgpu-');
  let clip: OpenedClip;
  let gpu: { masked: string; complete: string };
  let wasmHost: StudioHost | undefined;

  beforeAll(async () => {
    if ((await studio.page.locator('[data-testid=no-model]').count()) > 0) throw new Error('the studio opened without the demo model');
  });

  afterAll(async () => {
    await wasmHost?.stop();
  });

  it('names WebGPU and its adapter in the backend badge', async () => {
    const info = loaded as Exclude<typeof loaded, string>;
    const badge = studio.page.locator('[data-testid=backend-badge]');
    // The badge shows the rung's name and its details as two parts (the details give way first in a short bar).
    expect((await badge.locator('span').allTextContents()).join(' ')).toBe(info.label);
    expect(info.label).toMatch(/^WebGPU \(/);
    const title = (await badge.getAttribute('title')) ?? '';
    expect(title).toContain('Compute backend: webgpu');
    expect(title).toContain(`Adapter: ${[info.adapter?.vendor, info.adapter?.architecture, info.adapter?.description].filter(Boolean).join(' / ')}`);
    expect(studio.host.output()).toContain(`backend: ${info.label}`);
  });

  it('answers a mask edit: the masked prediction moves, the complete one stays', async () => {
    const { page } = studio;
    const t0 = Date.now();
    clip = await openFirstVideoClip(page);
    const t1 = Date.now();
    const complete = await readNumber(page, 'prediction-complete');
    expect(complete).toMatch(/^-?\d+\.\d{3}$/);
    expect(await readNumber(page, 'prediction-masked')).toBe(complete);
    gpu = await maskLanguage(page);
    console.info(`webgpu studio: clip open with its library prediction ${((t1 - t0) / 1000).toFixed(1)} s, mask edit answered ${((Date.now() - t1) / 1000).toFixed(1)} s`);
    expect(gpu.masked).toMatch(/^-?\d+\.\d{3}$/);
    expect(gpu.masked).not.toBe(complete);
    expect(gpu.complete).toBe(complete);
  }, 300_000);

  it("gives the complete-input prediction dar predict gives on WebAssembly (1e-4)", async () => {
    expect(clip, 'the mask-edit test opened a clip').toBeDefined();
    const out = join(dir, 'preds.csv');
    const { stderr } = await run(process.execPath, [join(repoRoot, 'bin/dar.mjs'), 'predict', '--checkpoint', join(DEMO, 'model.safetensors'), '--data', DEMO, '--split', clip.split, '--backend', 'wasm', '--out', out], { cwd: repoRoot });
    expect(stderr).toMatch(/backend: WebAssembly/);
    const line = readFileSync(out, 'utf8').split('\n').find((l) => l.startsWith(`${clip.id},`));
    expect(line, `clip ${clip.id} in the ${clip.split} predictions`).toBeDefined();
    const want = Number(line!.split(',')[2]);
    console.info(`clip ${clip.id}: webgpu library prediction ${clip.prediction}, dar predict on wasm ${want} (difference ${Math.abs(clip.prediction - want).toExponential(2)})`);
    expect(Math.abs(clip.prediction - want)).toBeLessThan(1e-4);
    expect(sameShown(gpu.complete, want.toFixed(3))).toBe(true);
  }, 30_000);

  it('shows the masked and complete predictions a WebAssembly studio shows for the same edit', async () => {
    expect(gpu, 'the mask-edit test masked a clip').toBeDefined();
    wasmHost = await startHost(serveArgs(), 45_000, { DAR_BACKEND: 'wasm' });
    const page = await studio.page.context().newPage();
    try {
      await openStudio(page, wasmHost.url);
      await expect(page.locator('[data-testid=backend-badge]').textContent()).resolves.toMatch(/WebAssembly/);
      const same = await openFirstVideoClip(page);
      expect(same.id).toBe(clip.id);
      expect(Math.abs(same.prediction - clip.prediction)).toBeLessThan(1e-4);
      const wasm = await maskLanguage(page);
      console.info(`clip ${clip.id}, language masked: webgpu ${gpu.masked} / ${gpu.complete}, wasm ${wasm.masked} / ${wasm.complete}`);
      expect(sameShown(gpu.masked, wasm.masked), `masked: webgpu ${gpu.masked}, wasm ${wasm.masked}`).toBe(true);
      expect(sameShown(gpu.complete, wasm.complete), `complete: webgpu ${gpu.complete}, wasm ${wasm.complete}`).toBe(true);
    } finally {
      await page.close();
    }
  }, 60_000);
});
