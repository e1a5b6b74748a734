import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';

/** The rendered rows' attributes (only the visible slice of the list exists in the DOM). */
async function rows(page: Page): Promise<{ id: string; text: string; label: number }[]> {
  return page.locator('[data-testid=clip-item]').evaluateAll((els) =>
    els.map((e) => ({ id: e.getAttribute('data-clip-id') ?? '', text: e.textContent ?? '', label: Number(e.getAttribute('data-label')) })),
  );
}

async function clipCount(page: Page): Promise<number> {
  return Number(((await page.locator('.library .count').textContent()) ?? '').replace(/[^0-9]/g, ''));
}

describe('the library in the browser studio', () => {
  const studio = useStudio({ screenshots: shots });

  it('lists every clip of the demo but renders only the visible rows', async () => {
    const { page } = studio;
    const total = await clipCount(page);
    expect(total).toBe(240);
    // Rows arrive a page at a time after the total: wait for them, then check the window is virtual.
    await expect.poll(async () => (await rows(page)).length, { timeout: 30_000 }).toBeGreaterThan(5);
    const rendered = (await rows(page)).length;
    expect(rendered).toBeLessThan(60);
  });

  it('finds clips by transcript words and by id', async () => {
    const { page } = studio;
    await page.locator('[data-testid=library-search]').fill('horrible');
    await expect.poll(async () => {
      const shown = await rows(page);
      return shown.length > 0 && shown.every((r) => r.text.includes('horrible'));
    }, { timeout: 30_000 }).toBe(true);
    const hits = await clipCount(page);
    expect(hits).toBeGreaterThan(0);
    expect(hits).toBeLessThan(240);
    await page.screenshot({ path: join(shots, 'library-search.png') });
    const first = (await rows(page))[0].id;
    await page.locator('[data-testid=library-search]').fill(first);
    await expect.poll(async () => (await rows(page)).map((r) => r.id)).toContain(first);
    await page.locator('[data-testid=library-search]').fill('');
    await expect.poll(() => clipCount(page)).toBe(240);
  });

  it('sorts by label both ways and by error', async () => {
    const { page } = studio;
    await page.locator('[data-testid=library-sort]').selectOption('label');
    await expect.poll(async () => isSorted((await rows(page)).map((r) => r.label), 1)).toBe(true);
    await page.locator('[data-testid=library-direction]').click();
    // Descending by label: the first row is the strongest positive clip (the demo has labels above 2).
    await expect.poll(async () => {
      const labels = (await rows(page)).map((r) => r.label);
      return labels.length > 5 && isSorted(labels, -1) && labels[0] > 2;
    }, { timeout: 30_000 }).toBe(true);
    await page.locator('[data-testid=library-sort]').selectOption('error');
    await expect.poll(async () => (await rows(page)).length).toBeGreaterThan(5);
  });

  it('filters by split', async () => {
    const { page } = studio;
    await page.locator('[data-testid=library-split]').selectOption('test');
    await expect.poll(() => clipCount(page)).toBe(40);
    const splits = await page.locator('[data-testid=clip-item]').evaluateAll((els) => els.map((e) => e.getAttribute('data-split')));
    expect(new Set(splits)).toEqual(new Set(['test']));
  });
});

function isSorted(xs: number[], direction: 1 | -1): boolean {
  return xs.length > 1 && xs.every((x, i) => i === 0 || direction * (x - xs[i - 1]) >= 0);
}
