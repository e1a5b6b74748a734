import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { repoRoot, serveArgs, startHost, type StudioHost } from './studio-host';
import { canvasColourCounts, openClipWithVideo, openStudio, videoState, waitSettled } from './studio-page';

const run = promisify(execFile);
const shots = join(repoRoot, 'e2e/screenshots');
const DEMO = join(repoRoot, 'resources/demo');
const temps: string[] = [];

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A browser on a fresh `dar serve`, with its own media cache. */
async function studio(args: string[], env: Record<string, string>): Promise<{ host: StudioHost; browser: Browser }> {
  mkdirSync(shots, { recursive: true });
  const host = await startHost(args, 180_000, { DAR_MEDIA_CACHE: tempDir('dar-e2e-media-'), ...env });
  const browser = await launchBrowser();
  await openStudio(browser.page, host.url);
  return { host, browser };
}

async function trackNumber(browser: Browser, track: 'a' | 'v', attr: string): Promise<number> {
  return Number(await browser.page.locator(`[data-testid=track-${track}]`).getAttribute(attr));
}

async function screenshotBothThemes(browser: Browser, name: string): Promise<void> {
  const { page } = browser;
  await page.locator('.workbench').evaluate((el) => (el.scrollTop = 0));
  await page.screenshot({ path: join(shots, `${name}-dark.png`) });
  await page.locator('[data-testid=theme-toggle]').click();
  await expect(page.locator('html').getAttribute('data-theme')).resolves.toBe('light');
  await page.screenshot({ path: join(shots, `${name}-light.png`) });
  await page.locator('[data-testid=theme-toggle]').click();
}

/**
 * A copy of the demo corpus whose videos are MPEG-4 Part 2 in AVI (what Chromium cannot play),
 * upscaled and looped so the conversion lasts long enough to be watched.
 */
async function aviCorpus(): Promise<string> {
  const root = tempDir('dar-e2e-avi-');
  for (const f of ['label.csv', 'dataset.json']) copyFileSync(join(DEMO, f), join(root, f));
  symlinkSync(join(DEMO, 'features'), join(root, 'features'), 'dir');
  const jobs: Promise<unknown>[] = [];
  for (const video of readdirSync(join(DEMO, 'Raw'))) {
    for (const clip of readdirSync(join(DEMO, 'Raw', video))) {
      const out = join(root, 'Raw', video, clip.replace(/\.mp4$/, '.avi'));
      mkdirSync(dirname(out), { recursive: true });
      const args = ['-hide_banner', '-v', 'error', '-y', '-stream_loop', '2', '-i', join(DEMO, 'Raw', video, clip), '-vf', 'scale=960:540'];
      jobs.push(run('ffmpeg', [...args, '-c:v', 'mpeg4', '-q:v', '3', '-c:a', 'libmp3lame', out]));
    }
  }
  await Promise.all(jobs);
  return root;
}

describe('media in the browser studio: the demo corpus', () => {
  let s: Awaited<ReturnType<typeof studio>>;
  beforeAll(async () => void (s = await studio(serveArgs(), {})), 180_000);
  afterAll(async () => {
    await s?.browser.close();
    await s?.host.stop();
  });

  it('draws the audio waveform on the acoustic track and a filmstrip on the visual track', async () => {
    const { page } = s.browser;
    await openClipWithVideo(page);
    await waitSettled(page);
    await expect.poll(() => trackNumber(s.browser, 'a', 'data-waveform-peaks'), { timeout: 30_000 }).toBeGreaterThan(200);
    await expect.poll(() => trackNumber(s.browser, 'v', 'data-filmstrip-tiles'), { timeout: 30_000 }).toBeGreaterThan(4);
    // Thumbnails are photos: the visual track's canvas holds many more colours than flat bars.
    const [colours] = await canvasColourCounts(page, '[data-testid=track-v]');
    expect(colours).toBeGreaterThan(40);
    await expect(page.locator('[data-testid=media-notice]').count()).resolves.toBe(0);
    await screenshotBothThemes(s.browser, 'media-tracks');
  });

  it('keeps the filmstrip and waveform fixed to time when zoomed in', async () => {
    const { page } = s.browser;
    const fitTiles = await trackNumber(s.browser, 'v', 'data-filmstrip-tiles');
    const box = (await page.locator('[data-testid=track-v]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -600);
    await page.keyboard.up('Control');
    await expect.poll(async () => page.locator('.zoom').textContent()).not.toBe('1.0×');
    // Zoomed in, the same track width shows a shorter stretch: the slots stay the same size, the audio spans every column.
    await expect.poll(() => trackNumber(s.browser, 'a', 'data-waveform-peaks')).toBeGreaterThan(box.width - 2);
    expect(Math.abs((await trackNumber(s.browser, 'v', 'data-filmstrip-tiles')) - fitTiles)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: join(shots, 'media-tracks-zoomed.png') });
    await page.getByRole('button', { name: 'Fit' }).click();
  });
});

describe('media in the browser studio: videos Chromium cannot play', () => {
  let s: Awaited<ReturnType<typeof studio>>;
  beforeAll(async () => {
    const data = await aviCorpus();
    s = await studio(['--data', data, '--checkpoint', join(DEMO, 'model.safetensors')], {});
  }, 180_000);
  afterAll(async () => {
    await s?.browser.close();
    await s?.host.stop();
  });

  it('converts an MPEG-4 Part 2 AVI once with progress, then plays it', async () => {
    const { page } = s.browser;
    // Record every progress value the pane shows (the page may render many between two polls).
    // (A string: the e2e specs compile without the DOM types.)
    await page.evaluate(`(() => {
      const seen = (window.seenFractions = []);
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid=video-converting]');
        const f = Number(el && el.getAttribute('data-fraction'));
        if (el && Number.isFinite(f) && seen[seen.length - 1] !== f) seen.push(f);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-fraction'] });
    })()`);
    await openClipWithVideo(page, '[data-testid=video-converting], [data-testid=clip-video]');
    await expect(page.locator('[data-testid=video-converting]').textContent()).resolves.toMatch(/Converting for playback… \d+ %/);
    // A picture of the pane mid-way (unless the conversion already finished).
    await expect.poll(async () => ((await page.evaluate('window.seenFractions')) as number[]).some((f) => f > 0) || (await page.locator('[data-testid=clip-video]').count()) > 0, { timeout: 60_000 }).toBe(true);
    if ((await page.locator('[data-testid=video-converting]').count()) > 0) await page.screenshot({ path: join(shots, 'media-converting.png') });
    await page.locator('[data-testid=clip-video]').waitFor({ timeout: 120_000 });
    const seen = (await page.evaluate('window.seenFractions')) as number[];
    expect(seen.filter((f) => f > 0 && f < 1).length).toBeGreaterThan(0);
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    await expect(page.locator('[data-testid=clip-video]').getAttribute('src')).resolves.toMatch(/v=h264/);
    await page.locator('[data-testid=play-toggle]').click();
    await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 20_000 }).toBeGreaterThan(0.3);
    await page.keyboard.press('Space');
    await expect.poll(() => trackNumber(s.browser, 'a', 'data-waveform-peaks'), { timeout: 30_000 }).toBeGreaterThan(200);
  }, 40_000);
});

describe('media in the browser studio: no ffmpeg', () => {
  let s: Awaited<ReturnType<typeof studio>>;
  // A FFMPEG_PATH to nowhere, and a PATH without ffmpeg on it.
  const env = { FFMPEG_PATH: join(tmpdir(), 'no-such-dir', 'ffmpeg'), PATH: dirname(process.execPath) };
  beforeAll(async () => void (s = await studio(serveArgs(), env)), 180_000);
  afterAll(async () => {
    await s?.browser.close();
    await s?.host.stop();
  });

  it('says how to fix it, and the clip still opens, plays and predicts', async () => {
    const { page } = s.browser;
    await openClipWithVideo(page);
    await waitSettled(page);
    const notice = page.locator('[data-testid=media-notice]');
    await expect(notice.textContent()).resolves.toMatch(/ffmpeg not found[\s\S]*FFMPEG_PATH/);
    await notice.getByRole('button', { name: 'How?' }).click();
    await expect(page.locator('[data-testid=media-notice-detail]').textContent()).resolves.toMatch(/FFMPEG_PATH is set to .*not an executable file/);
    expect(await trackNumber(s.browser, 'a', 'data-waveform-peaks')).toBe(0);
    const [colours] = await canvasColourCounts(page, '[data-testid=track-a]');
    expect(colours).toBeGreaterThan(4);
    await page.locator('[data-testid=play-toggle]').click();
    await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 15_000 }).toBeGreaterThan(0.3);
    await page.keyboard.press('Space');
    await screenshotBothThemes(s.browser, 'media-no-ffmpeg');
  });
});
