/**
 * The README's pictures of DAR and the three baselines together (issue 14), made as a user makes
 * them: a small synthetic MOSI-shaped corpus, one click on "Table 1 on this dataset" (every model
 * x 3 seeds, `--epochs` each, robustness sweeps included), then the robustness view with one
 * checkpoint of each model overlaid and the workbench comparing DAR with LNLN. Not a test: LNLN
 * attends over every padded frame, so this takes 15-30 minutes on 2 cores.
 * Usage: npx tsx scripts/screenshots/table1.ts [--epochs 2] [--out docs/screenshots]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../../e2e/browser';
import { repoRoot, startHost } from '../../e2e/studio-host';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const out = arg('out', join(repoRoot, 'docs/screenshots'));
const work = mkdtempSync(join(tmpdir(), 'dar-table1-shots-'));
const data = join(work, 'demo');
const home = join(work, 'home');
mkdirSync(out, { recursive: true });
const dar = (...args: string[]): void => void execFileSync(process.execPath, [join(repoRoot, 'bin/dar.mjs'), ...args], { cwd: repoRoot, stdio: 'inherit' });
dar('demo-data', '--out', data, '--train', '48', '--valid', '16', '--test', '16', '--no-media');

const rows = (page: Page): Promise<{ variant: string; state: string }[]> =>
  page.locator('[data-testid=comparison-row]').evaluateAll((els) => els.map((e) => ({ variant: e.getAttribute('data-variant') ?? '', state: e.getAttribute('data-state') ?? '' })));

async function waitFor<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

const host = await startHost(['--data', data], 300_000, { DAR_STUDIO_HOME: home });
const b = await launchBrowser({ width: 1440, height: 900 });
try {
  const { page } = b;
  await page.goto(host.url);
  await page.locator('[data-testid=nav-experiments]').click();
  await page.locator('[data-testid=experiments-epochs]').fill(arg('epochs', '2'));
  await page.locator('[data-testid=experiments-seeds]').fill('1111, 2222, 3333');
  await page.locator('[data-testid=queue-models]').click();
  const done = await waitFor('Table 1', () => rows(page), (r) => r.length === 4 && r.every((x) => x.state === 'done' || x.state === 'failed'), 60 * 60_000);
  console.log('Table 1 rows:', JSON.stringify(done));
  await page.screenshot({ path: join(out, 'experiments-table1.png'), fullPage: true });

  await page.locator('[data-testid=nav-robustness]').click();
  const models = page.locator('[data-testid=robustness-model]');
  await waitFor('checkpoints', () => models.count(), (n) => n >= 12, 60_000);
  // one checkpoint of each model (seed 1111), overlaid; the others hidden
  const names = await models.evaluateAll((els) => els.map((e) => e.getAttribute('data-name') ?? ''));
  for (const [i, name] of names.entries()) {
    const show = models.nth(i).locator('[data-testid=model-show]');
    if ((await show.count()) === 0) continue;
    const shown = (await show.getAttribute('aria-pressed')) === 'true';
    if (shown !== name.includes('1111')) await show.click();
  }
  await page.waitForTimeout(2000);
  await page.screenshot({ path: join(out, 'robustness-baselines.png'), fullPage: true });

  await page.locator('[data-testid=nav-workbench]').click();
  await page.locator('[data-testid=clip-item]').nth(2).click();
  const lnln = names.find((n) => n.includes('lnln') && n.includes('1111'));
  const options = await page.locator('[data-testid=second-model-select] option').evaluateAll((els) => els.map((e) => (e as unknown as { value: string }).value));
  const value = options.find((v) => lnln && v.endsWith(lnln));
  if (value) await page.locator('[data-testid=second-model-select]').selectOption(value);
  await page.locator('[data-testid=mask-modality-l]').click();
  await page.waitForTimeout(8000);
  await page.screenshot({ path: join(out, 'workbench-two-models.png') });
  console.log('screenshots in', out, 'errors', JSON.stringify(b.errors.take()));
} finally {
  await b.close();
  await host.stop();
}
