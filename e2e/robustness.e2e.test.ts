import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Metrics, RobustnessReport } from '#contract/eval';
import { useTempDir } from '../testing/temp-dir';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import { repoRoot } from './studio-host';
import { canvasColourCounts } from './studio-page';

const DEMO_MODEL = join(repoRoot, 'resources/demo/model.safetensors');
/** The swept copy of the demo model: it lives in the temporary studio home, so its saved sweep never lands in resources/. */
const COPY_NAME = 'demo-model-copy.safetensors';
const SEEDS = '1111';

/** `dar eval --json` on the demo model, run the way a user runs it. */
async function cliReport(): Promise<RobustnessReport> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(repoRoot, 'bin/dar.mjs'), 'eval', '--checkpoint', DEMO_MODEL, '--data', join(repoRoot, 'resources/demo'), '--seeds', SEEDS, '--json'],
    { cwd: repoRoot, maxBuffer: 16 << 20 },
  );
  return JSON.parse(stdout) as RobustnessReport;
}

// Written out here rather than imported, so a formatting slip in the view cannot hide in both.
const PERCENT = new Set<keyof Metrics>(['Has0_acc_2', 'Has0_F1_score', 'Non0_acc_2', 'Non0_F1_score', 'Mult_acc_5', 'Mult_acc_7']);
const fmt = (k: keyof Metrics, v: number | null): string => (v === null ? 'n/a' : PERCENT.has(k) ? (100 * v).toFixed(2) : v.toFixed(4));
const COLUMNS: Record<string, (keyof Metrics)[]> = {
  'Acc-2': ['Has0_acc_2', 'Non0_acc_2'],
  F1: ['Has0_F1_score', 'Non0_F1_score'],
  'Acc-5': ['Mult_acc_5'],
  'Acc-7': ['Mult_acc_7'],
  MAE: ['MAE'],
  Corr: ['Corr'],
};

/** The part of a canvas element the pixel check reads (e2e compiles without the DOM lib). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** For each canvas under `selector`: how many pixels are close to the colour `rgb` (a drawn series). */
async function pixelsOfColour(page: Page, selector: string, rgb: [number, number, number]): Promise<number[]> {
  return page.locator(`${selector} canvas`).evaluateAll(
    (canvases, [r, g, b]) =>
      (canvases as unknown as CanvasLike[]).map((c) => {
        const px = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let n = 0;
        for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - g) + Math.abs(px[i + 2] - b) < 40) n++;
        return n;
      }),
    rgb,
  );
}

function metricsOf(report: RobustnessReport, condition: string): Metrics {
  if (condition === 'mean') return report.mean;
  if (condition === 'area') return Object.fromEntries(Object.entries(report.score!).map(([k, s]) => [k, s.area])) as unknown as Metrics;
  if (condition.startsWith('no-')) return report.removed[condition.slice(3) as 'l' | 'a' | 'v'];
  return report.rates[condition];
}

describe('the robustness view in the browser studio', () => {
  const home = useTempDir('dar-robustness-e2e-'); // removed after the studio closes (after-hooks run last first)
  const copy = join(home, 'runs/demo', COPY_NAME);
  let cli: Promise<RobustnessReport>;
  const studio = useStudio({
    env: { DAR_STUDIO_HOME: home },
    hostTimeoutMs: 300_000,
    screenshots: shots,
    // The model to sweep goes into the home before the host lists it; the CLI's report runs beside the host start.
    before: () => {
      mkdirSync(join(home, 'runs/demo'), { recursive: true });
      copyFileSync(DEMO_MODEL, copy);
      cli = cliReport();
      cli.catch(() => undefined); // awaited in the test; keeps an early failure from being unhandled
    },
  });

  it('runs a one-seed sweep of the demo model from the UI, with progress', async () => {
    const { page } = studio;
    await page.locator('[data-testid=nav-robustness]').click();
    const row = page.locator(`[data-testid=robustness-model][data-name="${COPY_NAME}"]`);
    await row.waitFor({ timeout: 30_000 });
    await expect(page.locator('[data-testid=sweep-seeds]').inputValue()).resolves.toBe('1');
    await row.locator('[data-testid=model-select]').check();
    await page.locator('[data-testid=run-sweep]').click();
    await page.locator('[data-testid=sweep-progress]').waitFor({ timeout: 10_000 });
    await page.locator(`[data-testid=robustness-row][data-model="${copy}"]`).first().waitFor({ timeout: 180_000 });
    await page.locator('[data-testid=sweep-progress]').waitFor({ state: 'detached' });
    expect(await row.locator('[data-testid=model-show]').getAttribute('aria-pressed')).toBe('true');
  }, 60_000);

  it('shows a table equal to `dar eval --json` on the same model, every number at its shown precision', async () => {
    const { page } = studio;
    const report = await cli;
    await page.locator('[data-testid=table-detailed]').check();
    const rows = page.locator(`[data-testid=robustness-row][data-model="${copy}"]`);
    const conditions = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-condition') ?? ''));
    expect(conditions).toEqual(['mean', 'area', ...Object.keys(report.rates), 'no-l', 'no-a', 'no-v']);
    let compared = 0;
    for (const condition of conditions) {
      const cells = rows.and(page.locator(`[data-condition="${condition}"]`)).locator('[data-testid=robustness-cell]');
      const shown = await cells.evaluateAll((els) => els.map((e) => [e.getAttribute('data-column') ?? '', (e.textContent ?? '').trim()]));
      const m = metricsOf(report, condition);
      const expected = Object.entries(COLUMNS).map(([title, keys]) => [title, keys.map((k) => fmt(k, m[k])).join(' / ')]);
      expect(shown, condition).toEqual(expected);
      compared += shown.length;
    }
    expect(compared).toBe(15 * 6);
    // where the predictions drift as data goes missing, from the same report
    const drift = await page.locator(`[data-testid=robustness-drift][data-model="${copy}"]`).textContent();
    const p = report.predictions!;
    const signed = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(2)}`;
    expect(drift?.replace(/\s+/g, ' ').trim()).toContain(
      `mean prediction ${signed(p.rates['0.0'].mean)} at 0.0 → ${signed(p.rates['0.9'].mean)} at 0.9 (${Math.round(100 * p.rates['0.9'].positive)} % ≥ 0), ` +
        `${signed(p.all.mean)} with every modality masked; labels ${signed(p.label.mean)}`,
    );
    await page.locator('[data-testid=robustness-drift]').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(shots, 'robustness-drift.png') });
  });

  it('draws the eight small multiples and the removal bars', async () => {
    const { page } = studio;
    await expect(page.locator('[data-testid=robustness-figure] .cell').count()).resolves.toBe(8);
    const colours = await canvasColourCounts(page, '[data-testid=robustness-figure]');
    expect(colours).toHaveLength(8);
    for (const c of colours) expect(c).toBeGreaterThan(3);
    // The swept model's line, in the colour its row shows, is drawn in every small multiple.
    const swatch = page.locator(`[data-testid=robustness-model][data-name="${COPY_NAME}"] [data-testid=model-show] i`);
    const css = await swatch.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
    const rgb = css.match(/\d+/g)!.slice(0, 3).map(Number) as [number, number, number];
    const line = await pixelsOfColour(page, '[data-testid=robustness-figure]', rgb);
    for (const n of line) expect(n).toBeGreaterThan(100);
    const bars = await canvasColourCounts(page, '[data-testid=removal-bars]');
    expect(bars[0]).toBeGreaterThan(3);
    await page.screenshot({ path: join(shots, 'robustness-dark.png'), fullPage: true });
    await page.locator('[data-testid=theme-toggle]').click();
    await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe('light');
    await page.screenshot({ path: join(shots, 'robustness-light.png'), fullPage: true });
    await page.locator('[data-testid=theme-toggle]').click();
  });

  it('exports the table as CSV and Markdown and the figure as one SVG and one PNG', async () => {
    const { page } = studio;
    const report = await cli;
    const shownModels = await page.locator('[data-testid=figure-legend-item]').count();
    const save = async (testid: string): Promise<{ name: string; bytes: Buffer }> => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`[data-testid=${testid}]`).click()]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };

    const csv = await save('export-csv');
    const lines = csv.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('model,condition,rate,removed,Has0_acc_2,Has0_F1_score,Non0_acc_2,Non0_F1_score,Mult_acc_5,Mult_acc_7,MAE,Corr');
    expect(lines).toHaveLength(1 + 14 * shownModels);
    const mine = lines.filter((l) => l.startsWith('demo-model-copy,'));
    expect(mine).toHaveLength(14);
    const mean = mine.find((l) => l.includes(',mean 0.0-0.9,'))!.split(',');
    expect(Number(mean[10])).toBe(report.mean.MAE);

    const md = await save('export-md');
    expect(md.name).toMatch(/\.md$/);
    expect(md.bytes.toString('utf8')).toContain(`| **mean 0.0–0.9** | ${fmt('Has0_acc_2', report.mean.Has0_acc_2)} |`);

    const svg = await save('export-svg');
    expect(svg.name).toBe('robustness-figure.svg');
    const parsed = await page.evaluate((text) => {
      interface El {
        nodeName: string;
        querySelector(s: string): El | null;
        querySelectorAll(s: string): { length: number };
      }
      const Parser = (globalThis as unknown as { DOMParser: new () => { parseFromString(t: string, type: string): El & { documentElement: El } } }).DOMParser;
      const doc = new Parser().parseFromString(text, 'image/svg+xml');
      return { error: doc.querySelector('parsererror') !== null, root: doc.documentElement.nodeName, charts: doc.documentElement.querySelectorAll(':scope > svg').length };
    }, svg.bytes.toString('utf8'));
    expect(parsed).toEqual({ error: false, root: 'svg', charts: 8 });
    writeFileSync(join(shots, 'robustness-figure-export.svg'), svg.bytes);

    const png = await save('export-png');
    expect(png.name).toBe('robustness-figure.png');
    expect([...png.bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(1000); // IHDR width: the whole 4-column figure at 2x
    writeFileSync(join(shots, 'robustness-figure-export.png'), png.bytes);
  });
});
