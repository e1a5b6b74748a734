// "Import videos" as a user does it: a folder of three real-format videos (H.264 and VP9, one
// without a face, one without a transcript) becomes a clip folder in the background, with
// progress; the studio then opens it, lists its clips and plays one with its l/a/v tracks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureFacePng, makeVideoFolder } from '../testing/engine/extract/video-folder';
import { TINY_BERT_DIR } from '../testing/engine/extract/tiny-bert';
import { useStudio } from './studio-fixture';

const tmp = mkdtempSync(join(tmpdir(), 'dar-e2e-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Import videos in the browser studio', () => {
  const videos = join(tmp, 'videos');
  const out = join(tmp, 'clips');
  const studio = useStudio({
    before: () => {
      const face = fixtureFacePng(tmp);
      makeVideoFolder(videos, ['interview', 'vlog', 'noface'], face);
      makeVideoFolder(join(videos, 'more'), ['vlog'], face);
    },
  });

  it('imports a folder with progress (the video without a face kept, its visual track missing) and opens the clip folder', async () => {
    const { page } = studio;
    await page.locator('[data-testid=import-videos]').click();
    await page.locator('[data-testid=import-videos-path]').fill(videos);
    await page.locator('[data-testid=import-out-path]').fill(out);
    await page.locator('[data-testid=import-bert-path]').fill(TINY_BERT_DIR);
    await page.locator('[data-testid=import-start]').click();
    await expect.poll(() => page.locator('[data-testid=import-progress]').textContent(), { timeout: 60_000 }).toMatch(/Clip \d of 4 .*: (probe|audio|acoustic|visual|language|write)/);
    await expect.poll(() => page.locator('[data-testid=import-summary]').textContent(), { timeout: 240_000 }).toMatch(/Done: 4 written, 0 kept, 0 failed/);
    await page.locator('[data-testid=import-open]').click();
    await expect.poll(async () => (await page.locator('.library .count').textContent()) ?? '', { timeout: 60_000 }).toMatch(/^4 clips/);
    // A clip of it plays with its three tracks.
    await expect.poll(() => page.locator('[data-testid=clip-item]').count(), { timeout: 30_000 }).toBe(4);
    await page.locator('[data-testid=clip-item]').first().click();
    await expect.poll(() => page.locator('[data-testid=clip-video]').count(), { timeout: 60_000 }).toBe(1);
    for (const m of ['l', 'a', 'v']) await expect.poll(() => page.locator(`[data-testid=track-${m}]`).count()).toBe(1);
  }, 360_000);
});
