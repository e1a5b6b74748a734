import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../studio-host';
import { canvasColourCounts, imageColourCounts, readNumber, waitForLibrary, waitSettled } from '../studio-page';
import { launchStudioApp, type StudioApp } from './studio-app';

// The desktop app's smoke test, run where Electron runs (CI's desktop jobs on Windows, macOS and
// Linux; release.yml on the packaged app before it uploads installers), by `npm run test:electron`.
// It drives the window through the page objects of the browser specs, which exercise the same
// steps against `dar serve` on every `npm test`: what this adds is the Electron shell itself
// (window, preload bridge, app:// page, engine worker in the main process, packaged resources).
const shots = join(repoRoot, 'e2e/screenshots');

describe(`the desktop app (${process.env.DAR_ELECTRON_PACKAGED ? 'packaged' : 'built'})`, () => {
  let app: StudioApp;

  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    app = await launchStudioApp();
    await waitForLibrary(app.page, 120_000);
  }, 300_000);

  afterAll(async () => {
    await app?.page.screenshot({ path: join(shots, `electron-${app.kind}.png`) }).catch(() => undefined);
    await app?.close();
  });

  it('opens its window on the demo corpus, with the demo model', async () => {
    const { page } = app;
    await expect(page.locator('[data-testid=synthetic-badge]').textContent()).resolves.toContain('SYNTHETIC');
    await expect(page.locator('[data-testid=no-model]').count()).resolves.toBe(0);
  });

  it('lists the clips', async () => {
    await expect(app.page.locator('[data-testid=clip-item]').count()).resolves.toBeGreaterThan(0);
  });

  it('names the backend in use', async () => {
    const backend = await app.page.locator('[data-testid=backend-badge]').textContent();
    expect(backend?.trim()).toMatch(/TensorFlow native|WebAssembly|JavaScript/);
  });

  it('runs its hidden compute window, which reports its rung (WebGPU, or threaded WASM)', async () => {
    const compute = await app.computePage();
    // The page's worker names the rung it chose once its backend is up (or why none is).
    const facts = async () => compute.evaluate('({ rung: document.documentElement.dataset.rung ?? null, lost: document.documentElement.dataset.lost ?? null, title: document.title, isolated: globalThis.crossOriginIsolated, cores: navigator.hardwareConcurrency })') as Promise<{ rung: string | null; lost: string | null; title: string; isolated: boolean; cores: number }>;
    await expect.poll(async () => (await facts()).rung ?? (await facts()).lost, { timeout: 60_000 }).toMatch(/^(webgpu|wasm)$/);
    const { rung, title, isolated, cores } = await facts();
    console.info(`compute window: ${title}`);
    expect(isolated).toBe(true);
    expect(title).toMatch(rung === 'webgpu' ? /^DAR Studio compute: WebGPU \(.+; Chromium\)$/ : /^DAR Studio compute: WebAssembly \(SIMD, \d+ threads?; Chromium\)$/);
    // Threaded WASM where the runner has more than one core.
    if (rung === 'wasm' && cores > 1) expect(title).not.toMatch(/ 1 thread;/);
  });

  it('masks a whole modality: the masked prediction moves, the complete one stays', async () => {
    const { page } = app;
    await page.locator('[data-testid=clip-item]').first().click();
    await waitSettled(page);
    const complete = await readNumber(page, 'prediction-complete');
    expect(complete).toMatch(/^-?\d+\.\d{3}$/);
    expect(await readNumber(page, 'prediction-masked')).toBe(complete);
    const toggle = page.locator('[data-testid=mask-modality-l]');
    await toggle.click();
    await waitSettled(page);
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    expect(await readNumber(page, 'prediction-masked')).not.toBe(complete);
    expect(await readNumber(page, 'prediction-complete')).toBe(complete);
  });

  it('draws the features panel and the tracks', async () => {
    const { page } = app;
    await page.locator('[data-testid=features-panel]').scrollIntoViewIfNeeded();
    const heatmaps = await imageColourCounts(page, '[data-testid=features-panel]');
    expect(heatmaps).toHaveLength(3 * 8);
    expect(heatmaps.every((n) => n > 8)).toBe(true);
    for (const track of ['l', 'a', 'v']) {
      const [colours] = await canvasColourCounts(page, `[data-testid=track-${track}]`);
      expect(colours).toBeGreaterThan(4);
    }
  });

  it('raised no page errors and logged no console errors', async () => {
    const { page } = app;
    // The page keeps them from its start (built app) or from when Playwright attached (packaged).
    const pageErrors = (await page.pageErrors()).map((e) => e.message);
    const consoleErrors = (await page.consoleMessages()).filter((m) => m.type() === 'error').map((m) => m.text());
    expect([...pageErrors, ...consoleErrors]).toEqual([]);
  });
});
