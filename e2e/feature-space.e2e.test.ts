import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';

const SCATTER = '[data-testid=feature-scatter]';
/** The acoustic colour (chart-theme MODALITY_COLOURS.a), which colouring by label never uses. */
const ACOUSTIC: [number, number, number] = [0x3f, 0xb5, 0x8f];

/** The part of a canvas element the pixel checks read (e2e compiles without the DOM lib). */
interface CanvasLike {
  width: number;
  height: number;
  getBoundingClientRect(): { width: number };
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of the scatter's canvas: how many are near `rgb`, and where the saturated (point-coloured) ones are, in CSS px. */
async function scatterPixels(page: Page, rgb: [number, number, number]): Promise<{ near: number; points: [number, number][] }> {
  return page.locator(`${SCATTER} canvas`).first().evaluate((el, [r, g, b]) => {
    const c = el as unknown as CanvasLike;
    const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    const scale = c.width / c.getBoundingClientRect().width;
    let near = 0;
    const points: [number, number][] = [];
    for (let i = 0; i < px.length; i += 4) {
      if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 40) near++;
      const x = (i / 4) % c.width;
      const y = Math.floor(i / 4 / c.width);
      // Below the legend (grid top 40 px), strongly coloured: a point, not an axis or a label.
      if (y / scale > 48 && Math.max(px[i], px[i + 1], px[i + 2]) - Math.min(px[i], px[i + 1], px[i + 2]) > 90) points.push([x / scale, y / scale]);
    }
    return { near, points };
  }, rgb);
}

describe('the feature space in the browser studio', () => {
  const studio = useStudio({ screenshots: shots });

  it('projects the open model\u2019s features of every clip: points on the map and the three scores', async () => {
    const { page } = studio;
    await page.locator('[data-testid=nav-features]').click();
    await page.locator(`${SCATTER}:not([data-points="0"])`).waitFor({ timeout: 60_000 });
    const points = Number(await page.locator(SCATTER).getAttribute('data-points'));
    // Common and specific features of three modalities per clip; the demo test split has 40 clips.
    expect(points).toBe(6 * 40);
    const drawn = await scatterPixels(page, ACOUSTIC);
    expect(drawn.near).toBeGreaterThan(100);
    expect(drawn.points.length).toBeGreaterThan(500);
    for (const key of ['specificByModality', 'commonByClip', 'commonByModality']) {
      expect((await page.locator(`[data-testid=score-${key}] .value`).textContent())?.trim()).toMatch(/^-?\d\.\d{3}$/);
    }
    await page.screenshot({ path: join(shots, 'feature-space-dark.png') });
  }, 30_000);

  it('colours the points by label instead of modality', async () => {
    const { page } = studio;
    const before = await scatterPixels(page, ACOUSTIC);
    await page.locator('[data-testid=colour-by-label]').click();
    await page.locator(`${SCATTER}[data-colour-by=label]`).waitFor();
    await expect.poll(async () => (await scatterPixels(page, ACOUSTIC)).near).toBeLessThan(before.near / 10);
    expect((await scatterPixels(page, ACOUSTIC)).points.length).toBeGreaterThan(500);
    await page.locator('[data-testid=theme-toggle]').click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.screenshot({ path: join(shots, 'feature-space-light-label.png') });
    await page.locator('[data-testid=colour-by-modality]').click();
    await page.screenshot({ path: join(shots, 'feature-space-light.png') });
    await page.locator('[data-testid=theme-toggle]').click();
  });

  it('opens the clip of a clicked point in the workbench', async () => {
    const { page } = studio;
    const box = (await page.locator(`${SCATTER} canvas`).first().boundingBox())!;
    const { points } = await scatterPixels(page, ACOUSTIC);
    const tooltip = page.locator('.scatter-tooltip');
    let id: string | null = null;
    // Hover points until the tooltip names one (a saturated pixel may be a point's edge), then click that point.
    for (let i = 0; i < 40 && id === null; i++) {
      const [x, y] = points[Math.floor((i * points.length) / 40)];
      await page.mouse.move(box.x + x, box.y + y);
      await page.waitForTimeout(120);
      const text = (await tooltip.count()) && (await tooltip.isVisible()) ? await tooltip.textContent() : null;
      const m = text ? /^(\S+) · (language|acoustic|visual) (common|specific)/.exec(text.trim()) : null;
      if (m) {
        id = m[1];
        await page.mouse.click(box.x + x, box.y + y);
      }
    }
    expect(id).not.toBeNull();
    await page.locator('[data-testid=view-features]').waitFor({ state: 'detached' });
    await expect.poll(async () => (await page.locator('.clip-head .id').textContent())?.trim(), { timeout: 30_000 }).toBe(id);
  });
});
