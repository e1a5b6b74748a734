import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/temp-dir';
import type { Browser } from './browser';
import { SCREENSHOTS as shots, useStudio, type Studio, type StudioOptions } from './studio-fixture';
import { repoRoot } from './studio-host';
import { canvasColourCounts, openClipWithVideo, videoState, waitSettled } from './studio-page';

const run = promisify(execFile);
const DEMO = join(repoRoot, 'resources/demo');

/** A browser on a fresh `dar serve`, with its own media cache (removed after the studio closes: after-hooks run last first). */
function useMediaStudio(options: Pick<StudioOptions, 'args' | 'env' | 'before'> = {}): Studio {
  const cache = useTempDir('dar-e2e-media-');
  return useStudio({ ...options, env: { DAR_MEDIA_CACHE: cache, ...options.env }, hostTimeoutMs: 180_000, screenshots: shots });
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
async function aviCorpus(root: string): Promise<void> {
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
}

describe('media in the browser studio: the demo corpus', () => {
  const studio = useMediaStudio();

  it('draws the audio waveform on the acoustic track and a filmstrip on the visual track', async () => {
    const { page } = studio;
    await openClipWithVideo(page);
    await waitSettled(page);
    await expect.poll(() => trackNumber(studio.browser, 'a', 'data-waveform-peaks'), { timeout: 30_000 }).toBeGreaterThan(200);
    await expect.poll(() => trackNumber(studio.browser, 'v', 'data-filmstrip-tiles'), { timeout: 30_000 }).toBeGreaterThan(4);
    // Thumbnails are photos: the visual track's canvas holds many more colours than flat bars.
    const [colours] = await canvasColourCounts(page, '[data-testid=track-v]');
    expect(colours).toBeGreaterThan(40);
    await expect(page.locator('[data-testid=media-notice]').count()).resolves.toBe(0);
    await screenshotBothThemes(studio.browser, 'media-tracks');
  });

  it('keeps the filmstrip and waveform fixed to time when zoomed in', async () => {
    const { page } = studio;
    const fitTiles = await trackNumber(studio.browser, 'v', 'data-filmstrip-tiles');
    const box = (await page.locator('[data-testid=track-v]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, -600);
    await page.keyboard.up('Control');
    await expect.poll(async () => page.locator('.zoom').textContent()).not.toBe('1.0×');
    // Zoomed in, the same track width shows a shorter stretch: the slots stay the same size, the audio spans every column.
    await expect.poll(() => trackNumber(studio.browser, 'a', 'data-waveform-peaks')).toBeGreaterThan(box.width - 2);
    expect(Math.abs((await trackNumber(studio.browser, 'v', 'data-filmstrip-tiles')) - fitTiles)).toBeLessThanOrEqual(2);
    await page.screenshot({ path: join(shots, 'media-tracks-zoomed.png') });
    await page.getByRole('button', { name: 'Fit' }).click();
  });
});

describe('media in the browser studio: videos Chromium cannot play', () => {
  const data = useTempDir('dar-e2e-avi-');
  const studio = useMediaStudio({ before: () => aviCorpus(data), args: ['--data', data, '--checkpoint', join(DEMO, 'model.safetensors')] });

  it('converts an MPEG-4 Part 2 AVI once with progress, then plays it', async () => {
    const { page } = studio;
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
    await expect.poll(() => trackNumber(studio.browser, 'a', 'data-waveform-peaks'), { timeout: 30_000 }).toBeGreaterThan(200);
  }, 40_000);
});

describe('media in the browser studio: no ffmpeg', () => {
  // A FFMPEG_PATH to nowhere, and a PATH without ffmpeg on it.
  const studio = useMediaStudio({ env: { FFMPEG_PATH: join(tmpdir(), 'no-such-dir', 'ffmpeg'), PATH: dirname(process.execPath) } });

  it('says how to fix it, and the clip still opens, plays and predicts', async () => {
    const { page } = studio;
    await openClipWithVideo(page);
    await waitSettled(page);
    const notice = page.locator('[data-testid=media-notice]');
    await expect(notice.textContent()).resolves.toMatch(/ffmpeg not found[\s\S]*FFMPEG_PATH/);
    await notice.getByRole('button', { name: 'How?' }).click();
    await expect(page.locator('[data-testid=media-notice-detail]').textContent()).resolves.toMatch(/FFMPEG_PATH is set to .*not an executable file/);
    expect(await trackNumber(studio.browser, 'a', 'data-waveform-peaks')).toBe(0);
    const [colours] = await canvasColourCounts(page, '[data-testid=track-a]');
    expect(colours).toBeGreaterThan(4);
    await page.locator('[data-testid=play-toggle]').click();
    await expect.poll(async () => (await videoState(page)).currentTime, { timeout: 15_000 }).toBeGreaterThan(0.3);
    await page.keyboard.press('Space');
    await screenshotBothThemes(studio.browser, 'media-no-ffmpeg');
  });
});
