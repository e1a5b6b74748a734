import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import { openStudio } from './studio-page';

/** The comparison rows' variant and state. */
async function rows(page: Page): Promise<{ variant: string; state: string }[]> {
  return page.locator('[data-testid=comparison-row]').evaluateAll((els) => els.map((e) => ({ variant: e.getAttribute('data-variant') ?? '', state: e.getAttribute('data-state') ?? '' })));
}

const unfinished = (rs: { state: string }[]): number => rs.filter((r) => ['pending', 'training', 'evaluating'].includes(r.state)).length;

describe('experiments from the studio (browser host, demo corpus)', () => {
  const studio = useStudio({ screenshots: shots, hostTimeoutMs: 300_000, settled: true, closeTimeoutMs: 30_000 });

  it('queues the ablation set, fills the table as a job finishes, and cancels the rest', async () => {
    const { page } = studio;
    await page.locator('[data-testid=nav-experiments]').click();
    await page.locator('[data-testid=experiments-form]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=experiments-epochs]').fill('1');
    await page.locator('[data-testid=experiments-size]').selectOption('small');
    await page.locator('[data-testid=queue-ablations]').click();
    await expect.poll(async () => (await rows(page)).map((r) => r.variant), { timeout: 30_000 }).toEqual(['full', 'no_sim', 'no_diff', 'no_sim_diff', 'no_recon', 'no_boot']);
    await expect.poll(async () => (await rows(page)).filter((r) => r.state === 'done').length, { timeout: 400_000, interval: 1000 }).toBeGreaterThan(0);
    const done = page.locator('[data-testid=comparison-row][data-state=done]').first();
    const cells = await done.locator('[data-testid=comparison-cell]').allTextContents();
    expect(cells).toHaveLength(6);
    for (const c of cells) expect(c.trim()).toMatch(/^\d+\.\d+( \/ \d+\.\d+)?$/);
    await page.screenshot({ path: join(shots, 'experiments-dark.png') });
    await page.locator('[data-testid=theme-toggle]').click();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(shots, 'experiments-light.png') });
    await page.locator('[data-testid=theme-toggle]').click();

    await page.locator('[data-testid=experiments-cancel-all]').click();
    await expect.poll(async () => unfinished(await rows(page)), { timeout: 120_000, interval: 500 }).toBe(0);
    const states = (await rows(page)).map((r) => r.state);
    expect(states.filter((s) => s === 'cancelled').length).toBeGreaterThan(0);
    expect(states.every((s) => s === 'done' || s === 'cancelled')).toBe(true);
    // The cancelled run's last step does not linger in the status bar: it says how the run ended, then nothing.
    await expect.poll(() => page.locator('footer.status').textContent(), { timeout: 10_000 }).not.toMatch(/step \d+\/\d+/);
  }, 60_000);

  it('keeps the queue and its results across a reload (the worker owns them)', async () => {
    const { page } = studio;
    const before = await rows(page);
    await page.reload();
    await openStudio(page, studio.host.url);
    await page.locator('[data-testid=nav-experiments]').click();
    await expect.poll(() => rows(page), { timeout: 30_000 }).toEqual(before);
  }, 30_000);

  it('opens a finished job’s model in the workbench', async () => {
    const { page } = studio;
    const done = page.locator('[data-testid=comparison-row][data-state=done]').first();
    const variant = (await done.getAttribute('data-variant')) ?? '';
    await done.locator('[data-testid=comparison-open]').click();
    await page.locator('[data-testid=clip-list]').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('.app-header .model .name').textContent(), { timeout: 30_000 }).toContain(`${variant}-s`);
  }, 30_000);
});
