import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import { repoRoot } from './studio-host';
import { canvasColourCounts, dragOnTrack, imageColourCounts, openClipWithVideo, readNumber, videoState, waitSettled } from './studio-page';

describe('the clip workbench in the browser studio', () => {
  const studio = useStudio({ screenshots: shots });

  beforeAll(async () => {
    if ((await studio.page.locator('[data-testid=no-model]').count()) > 0) {
      throw new Error('the studio opened without a model: resources/demo/model.safetensors is missing or does not match (or set DAR_E2E_CHECKPOINT)');
    }
  });

  it('says the demo corpus is synthetic and names the backend in use', async () => {
    const { page } = studio;
    await expect(page.locator('[data-testid=synthetic-badge]').textContent()).resolves.toContain('SYNTHETIC');
    const backend = await page.locator('[data-testid=backend-badge]').textContent();
    expect(backend?.trim().length).toBeGreaterThan(2);
    await page.locator('[data-testid=synthetic-badge]').hover();
    await expect(page.locator('#synthetic-tip').isVisible()).resolves.toBe(true);
    await expect(page.locator('#synthetic-tip').textContent()).resolves.toMatch(/no real people/i);
    // The tip wraps inside its box, and neither it nor anything else widens the page.
    const tip = await page.locator('#synthetic-tip').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth, height: el.clientHeight }));
    expect(tip.scroll).toBeLessThanOrEqual(tip.client + 1);
    expect(tip.height).toBeGreaterThan(30);
    const page_ = await page.evaluate(() => ({ scroll: (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } }).document.documentElement.scrollWidth, width: (globalThis as unknown as { innerWidth: number }).innerWidth }));
    expect(page_.scroll).toBeLessThanOrEqual(page_.width);
    await page.screenshot({ path: join(shots, 'synthetic-tip.png'), clip: { x: 0, y: 0, width: 1440, height: 260 } });
  });

  it('opens a clip with video and plays it', async () => {
    const { page } = studio;
    await openClipWithVideo(page);
    await page.locator('[data-testid=play-toggle]').click();
    await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 15_000 }).toBeGreaterThan(0.3);
    await page.keyboard.press('Space'); // pause through the shortcut
    expect((await videoState(page)).paused).toBe(true);
    expect(await readNumber(page, 'playhead-time')).not.toBe('0:00.00');
  });

  it('masks a dragged segment of each track: the masked prediction moves, the complete one stays', async () => {
    const { page } = studio;
    const complete = await readNumber(page, 'prediction-complete');
    const unmasked = await readNumber(page, 'prediction-masked');
    expect(unmasked).toBe(complete);
    expect(await readNumber(page, 'label-value')).toMatch(/^-?\d+\.\d{3}$/);
    for (const [track, from, to] of [['l', 0.15, 0.5], ['a', 0.3, 0.7], ['v', 0.05, 0.6]] as const) {
      await dragOnTrack(page, track, from, to);
      await waitSettled(page);
    }
    const masked = await readNumber(page, 'prediction-masked');
    expect(masked).toMatch(/^-?\d+\.\d{3}$/);
    expect(masked).not.toBe(unmasked);
    expect(await readNumber(page, 'prediction-complete')).toBe(complete);
    await page.screenshot({ path: join(shots, 'workbench-masked.png') });
  });

  it('toggles a whole modality, and undo restores the previous masked value', async () => {
    const { page } = studio;
    const complete = await readNumber(page, 'prediction-complete');
    const before = await readNumber(page, 'prediction-masked');
    const toggle = page.locator('[data-testid=mask-modality-l]');
    await toggle.click();
    await waitSettled(page);
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('true');
    const whole = await readNumber(page, 'prediction-masked');
    expect(whole).not.toBe(before);
    expect(await readNumber(page, 'prediction-complete')).toBe(complete);
    await page.screenshot({ path: join(shots, 'workbench-whole-language.png') });
    await page.keyboard.press('Control+z');
    await waitSettled(page);
    await expect(toggle.getAttribute('aria-pressed')).resolves.toBe('false');
    expect(await readNumber(page, 'prediction-masked')).toBe(before);
    await page.keyboard.press('Control+Shift+z');
    await waitSettled(page);
    expect(await readNumber(page, 'prediction-masked')).toBe(whole);
    await page.locator('[data-testid=undo]').click();
    await waitSettled(page);
    expect(await readNumber(page, 'prediction-masked')).toBe(before);
  });

  it('masks the active track whole with 2 then M, and clears every mask', async () => {
    const { page } = studio;
    await page.keyboard.press('2');
    await page.keyboard.press('m');
    await waitSettled(page);
    await expect(page.locator('[data-testid=mask-modality-a]').getAttribute('aria-pressed')).resolves.toBe('true');
    await page.locator('[data-testid=mask-clear]').click();
    await waitSettled(page);
    expect(await readNumber(page, 'prediction-masked')).toBe(await readNumber(page, 'prediction-complete'));
    await page.keyboard.press('Control+z');
    await waitSettled(page);
  });

  it('moves, resizes and deletes a segment, and zooms the tracks', async () => {
    const { page } = studio;
    await page.locator('[data-testid=mask-clear]').click();
    await waitSettled(page);
    const track = page.locator('[data-testid=track-a]');
    const segments = async (): Promise<number[][]> =>
      ((await track.getAttribute('data-segments')) ?? '').split(' ').filter(Boolean).map((s) => s.split('-').map(Number));
    await dragOnTrack(page, 'a', 0.2, 0.4);
    await waitSettled(page);
    const [[s0, e0]] = await segments();
    await dragOnTrack(page, 'a', 0.3, 0.5); // grab the body: move right by a fifth of the clip
    await waitSettled(page);
    const [[s1, e1]] = await segments();
    expect(s1).toBeGreaterThan(s0 + 0.1);
    expect(e1 - s1).toBeCloseTo(e0 - s0, 1);
    const duration = Number(await track.getAttribute('data-duration'));
    await dragOnTrack(page, 'a', e1 / duration, e1 / duration + 0.15); // grab the right edge: resize
    await waitSettled(page);
    const [[s2, e2]] = await segments();
    expect(s2).toBeCloseTo(s1, 2);
    expect(e2).toBeGreaterThan(e1 + 0.1);
    await page.keyboard.press('Delete');
    await waitSettled(page);
    expect(await segments()).toEqual([]);
    await page.keyboard.press('Control+z');
    await waitSettled(page);
    expect(await segments()).toHaveLength(1);
    // Ctrl+wheel over the tracks zooms in around the cursor; Fit goes back to the whole clip.
    const box = (await track.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -400);
    await page.keyboard.up('Control');
    await expect.poll(async () => page.locator('.zoom').textContent()).not.toBe('1.0×');
    await page.screenshot({ path: join(shots, 'workbench-zoomed.png') });
    await page.getByRole('button', { name: 'Fit' }).click();
    await expect.poll(async () => page.locator('.zoom').textContent()).toBe('1.0×');
  });

  it('draws the features panel: every heatmap and every track canvas has content', async () => {
    const { page } = studio;
    const panel = page.locator('[data-testid=features-panel]');
    await panel.scrollIntoViewIfNeeded();
    const heatmaps = await imageColourCounts(page, '[data-testid=features-panel]');
    expect(heatmaps).toHaveLength(3 * 8);
    expect(heatmaps.every((n) => n > 8)).toBe(true);
    // images, not canvases: the panel adds no compositor layers of its own
    await expect(panel.locator('canvas').count()).resolves.toBe(0);
    for (const track of ['l', 'a', 'v']) {
      const [colours] = await canvasColourCounts(page, `[data-testid=track-${track}]`);
      expect(colours).toBeGreaterThan(4);
    }
    await page.screenshot({ path: join(shots, 'features.png'), fullPage: false });
  });

  it('reads well in the light theme too', async () => {
    const { page } = studio;
    await page.locator('[data-testid=theme-toggle]').click();
    await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');
    await page.locator('.workbench').evaluate((el) => (el.scrollTop = 0));
    await page.screenshot({ path: join(shots, 'workbench-light.png') });
    await page.locator('[data-testid=theme-toggle]').click();
  });

  it('raised no page or console errors along the way', async () => {
    await studio.page.locator('.workbench').evaluate((el) => (el.scrollTop = 0));
    await studio.page.screenshot({ path: join(shots, 'workbench.png') });
    // The README's picture: segments masked on all three tracks (DAR_UPDATE_DOCS_SCREENSHOT=1 refreshes it).
    if (process.env.DAR_UPDATE_DOCS_SCREENSHOT) copyFileSync(join(shots, 'workbench-masked.png'), join(repoRoot, 'docs/screenshot-workbench.png'));
    studio.browser.errors.check();
  });
});

describe('the header in a 900 px window', () => {
  const studio = useStudio({ screenshots: shots, viewport: { width: 900, height: 700 } });

  it('lays its badges side by side: none overlaps another or leaves the window, truncated names keep their full text in a title', async () => {
    const { page } = studio;
    const parts = ['[role=tablist]', '[data-testid=dataset-name]', '[data-testid=synthetic-badge]', '[data-testid=model-name]', '[data-testid=backend-badge]', '[data-testid=theme-toggle]'];
    const boxes = await Promise.all(parts.map(async (sel) => ({ sel, box: await page.locator(sel).boundingBox() })));
    for (const { sel, box } of boxes) {
      expect(box, sel).not.toBeNull();
      expect(box!.width, sel).toBeGreaterThan(20);
      expect(box!.x + box!.width, sel).toBeLessThanOrEqual(900);
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) expect(a.box!.x + a.box!.width, `${a.sel} ends before ${b.sel} starts`).toBeLessThanOrEqual(b.box!.x + 0.5);
    }
    for (const sel of ['[data-testid=dataset-name]', '[data-testid=model-name] .name']) {
      const { text, title } = await page.locator(sel).evaluate((el) => ({ text: el.textContent ?? '', title: el.closest('[title]')?.getAttribute('title') ?? '' }));
      expect(text.trim().length, sel).toBeGreaterThan(0);
      expect(title, sel).toContain(text.trim());
    }
    expect(await page.locator('[data-testid=backend-badge]').getAttribute('title')).toContain('Compute backend');
    await page.screenshot({ path: join(shots, 'header-900.png'), clip: { x: 0, y: 0, width: 900, height: 60 } });
  });
});
