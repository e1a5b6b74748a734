import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import { canvasColourCounts, openView, VIEWS } from './studio-page';

// What a new user does first: click through every tab, before anything has run and again once a
// run has curves and a checkpoint. The shared browser helper fails each test on any page or
// console error; this spec makes sure every view is among the pages those checks see.

/** Shows every view in turn, twice (a second visit remounts views whose stores already hold data), and screenshots the first round. */
async function visitEveryView(page: Page, shot: string): Promise<void> {
  for (const round of [0, 1]) {
    for (const view of VIEWS) {
      await openView(page, view);
      // Charts draw one per frame: give the view a moment to settle before leaving it.
      await page.waitForTimeout(round === 0 ? 1_500 : 300);
      if (round === 0) await page.screenshot({ path: join(shots, `views-${shot}-${view}.png`) });
    }
  }
}

async function attr(page: Page, testid: string, name: string): Promise<string> {
  return (await page.locator(`[data-testid=${testid}]`).getAttribute(name)) ?? '';
}

/** Every chart of the training curves has drawn something (axes at least): none is blank. */
async function expectCurvesDrawn(page: Page): Promise<void> {
  const charts = await page.locator('[data-testid=training-curves] [role=img]').count();
  expect(charts).toBe(11); // eight loss terms, three validation metrics
  await expect.poll(async () => {
    const counts = await canvasColourCounts(page, '[data-testid=training-curves]');
    return counts.length === charts && counts.every((n) => n > 1);
  }, { timeout: 15_000 }).toBe(true);
}

describe('every view, with and without data (browser host, demo model)', () => {
  const studio = useStudio({ screenshots: shots, settled: true, timeoutMs: 600_000, closeTimeoutMs: 60_000 });

  it('has a header tab for each view this spec visits', async () => {
    const tabs = await studio.page.locator('[role=tablist] [data-testid^=nav-]').evaluateAll((els) =>
      els.map((el) => (el as unknown as { dataset: { testid: string } }).dataset.testid.replace(/^nav-/, '')),
    );
    expect(tabs).toEqual([...VIEWS]);
  });

  it('opens every view of a fresh studio: no training run, no robustness sweep', async () => {
    const { page } = studio;
    await visitEveryView(page, 'fresh');
    await openView(page, 'training');
    expect(await attr(page, 'training-run', 'data-state')).toBe('none');
    await expectCurvesDrawn(page);
  }, 120_000);

  it('opens every view while a short run trains and after it finished', async () => {
    const { page } = studio;
    await openView(page, 'training');
    await page.locator('[data-testid=preset-demo]').click();
    for (const [field, value] of [['model-d', '16'], ['model-heads', '2'], ['model-t', '8'], ['train-epochs', '2'], ['train-batchSize', '32']] as const) {
      await page.locator(`[data-testid=hp-${field}]`).fill(value);
    }
    await page.locator('[data-testid=training-start]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 30_000 }).toBe('running');
    // Mid-run: the curves take live patches while views come and go.
    await expect.poll(async () => Number(await attr(page, 'training-curves', 'data-steps')), { timeout: 60_000 }).toBeGreaterThan(0);
    for (const view of VIEWS) {
      await openView(page, view);
      await openView(page, 'training');
    }
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 300_000, interval: 500 }).toBe('finished');
    expect(Number(await attr(page, 'training-curves', 'data-epochs'))).toBe(2);
    await visitEveryView(page, 'trained');
    await openView(page, 'training');
    await expectCurvesDrawn(page);
    expect(await page.locator('[data-testid=checkpoint-row][data-source=run]').count()).toBe(1);
  }, 420_000);

  it('opens every view in the light theme too', async () => {
    const { page } = studio;
    await page.locator('[data-testid=theme-toggle]').click();
    for (const view of VIEWS) await openView(page, view);
    await page.locator('[data-testid=theme-toggle]').click();
  }, 60_000);
});
