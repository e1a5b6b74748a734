import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useTempDir } from '../testing/temp-dir';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import { hostGoneMessage, openStudio } from './studio-page';

async function attr(page: Page, testid: string, name: string): Promise<string> {
  return (await page.locator(`[data-testid=${testid}]`).getAttribute(name)) ?? '';
}

async function fill(page: Page, field: string, value: string): Promise<void> {
  await page.locator(`[data-testid=hp-${field}]`).fill(value);
}

describe('training from the studio (browser host, demo corpus)', () => {
  const home = useTempDir('dar-e2e-home-'); // removed after the studio closes (after-hooks run last first)
  const studio = useStudio({ env: { DAR_STUDIO_HOME: home }, hostTimeoutMs: 300_000, settled: true, screenshots: shots, closeTimeoutMs: 30_000 });
  let checkpoint = '';

  it('checks the form as it is typed and refuses to start with a bad value', async () => {
    const { page } = studio;
    await page.locator('[data-testid=nav-training]').click();
    await page.locator('[data-testid=training-form]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=preset-demo]').click();
    await expect.poll(() => page.locator('[data-testid=hp-train-epochs]').inputValue()).toBe('30');
    await fill(page, 'model-d', '15');
    await expect.poll(() => page.locator('[data-testid=hp-model-d-error]').textContent()).toContain('even');
    expect(await page.locator('[data-testid=training-start]').isDisabled()).toBe(true);
    await fill(page, 'model-heads', '3');
    await fill(page, 'model-d', '16');
    await expect.poll(() => page.locator('[data-testid=hp-model-heads-error]').textContent()).toContain('divide d');
    await fill(page, 'model-heads', '2');
    await expect.poll(() => page.locator('[data-testid=training-form-invalid]').count()).toBe(0);
    expect(await page.locator('[data-testid=training-start]').isDisabled()).toBe(false);
  }, 30_000);

  it('trains with live progress and curves, lists the checkpoint, and stops on request', async () => {
    const { page } = studio;
    await fill(page, 'model-t', '8');
    await fill(page, 'train-epochs', '20');
    await fill(page, 'train-batchSize', '16');
    await page.locator('[data-testid=training-start]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 30_000 }).toBe('running');
    expect(await page.locator('[data-testid=training-backend]').textContent()).toMatch(/WebAssembly|TensorFlow|CPU/);
    await expect.poll(async () => Number(await attr(page, 'training-curves', 'data-steps')), { timeout: 60_000 }).toBeGreaterThan(0);
    const early = Number(await attr(page, 'training-progress', 'data-fraction'));
    // The first epoch ends: the validation curves get a point and the run's checkpoint is listed.
    await expect.poll(async () => Number(await attr(page, 'training-curves', 'data-epochs')), { timeout: 180_000, interval: 500 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=checkpoint-row][data-source=run]').count(), { timeout: 30_000 }).toBe(1);
    checkpoint = await page.locator('[data-testid=checkpoint-row][data-source=run]').getAttribute('data-path') ?? '';
    expect(checkpoint.startsWith(home)).toBe(true);
    const steps = Number(await attr(page, 'training-curves', 'data-steps'));
    await expect.poll(async () => Number(await attr(page, 'training-curves', 'data-steps')), { timeout: 60_000 }).toBeGreaterThan(steps);
    expect(Number(await attr(page, 'training-progress', 'data-fraction'))).toBeGreaterThan(early);
    expect(await page.locator('[data-testid=training-eta]').textContent()).toMatch(/ETA \d/);
    await page.screenshot({ path: join(shots, 'training-dark.png') });
    await page.locator('[data-testid=theme-toggle]').click();
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(shots, 'training-light.png') });
    await page.locator('[data-testid=theme-toggle]').click();

    await page.locator('[data-testid=training-stop]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 120_000 }).toBe('stopped');
    // Stopped after an epoch ended: the run can be resumed from its sidecar.
    await expect.poll(() => page.locator('[data-testid=training-resume]').count(), { timeout: 10_000 }).toBe(1);
  }, 60_000);

  it('restores the run, its curves and its resume action after the window reloads', async () => {
    const { page } = studio;
    await page.reload();
    await openStudio(page, studio.host.url);
    await page.locator('[data-testid=nav-training]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 10_000 }).toBe('stopped');
    expect(Number(await attr(page, 'training-curves', 'data-epochs'))).toBeGreaterThan(0);
    expect(Number(await attr(page, 'training-curves', 'data-steps'))).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-testid=training-resume]').count(), { timeout: 10_000 }).toBe(1);
    await page.locator('[data-testid=checkpoint-list]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'training-stopped.png') });
  }, 30_000);

  it('opens the checkpoint in the workbench', async () => {
    const { page } = studio;
    const row = page.locator(`[data-testid=checkpoint-row][data-path="${checkpoint}"]`);
    await row.locator('[data-testid=checkpoint-open]').click();
    await page.locator('[data-testid=clip-list]').waitFor({ state: 'visible' });
    const name = checkpoint.split('/').pop() ?? '';
    await expect.poll(() => page.locator('.app-header .model .name').textContent()).toContain(name.replace(/\.safetensors$/, ''));
  }, 30_000);

  it('offers the unfinished run after the host dies, and resumes it from its last checkpoint', async () => {
    const { page } = studio;
    await studio.browser.errors.expecting([hostGoneMessage(studio.host)], async () => {
      process.kill(studio.host.pid, 'SIGKILL'); // a crash: nothing gets to clean up
      await studio.restartHost(); // same home: the run's sidecar is there
    });
    await page.locator('[data-testid=nav-training]').click();
    await page.locator('[data-testid=training-unfinished]').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=training-resume]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 300_000 }).toBe('running');
    expect(await page.locator('[data-testid=training-run]').textContent()).toContain('resumed after epoch');
    // The resumed run carries the epochs before the restart on its curves.
    expect(Number(await attr(page, 'training-curves', 'data-epochs'))).toBeGreaterThan(0);
    await page.locator('[data-testid=training-stop]').click();
    await expect.poll(() => attr(page, 'training-run', 'data-state'), { timeout: 120_000 }).toMatch(/stopped|finished/);
  }, 60_000);
});
