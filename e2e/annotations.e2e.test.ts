import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../testing/temp-dir';
import { SCREENSHOTS as shots, useStudio } from './studio-fixture';
import type { StudioHost } from './studio-host';
import { dragOnTrack, hostGoneMessage, readNumber, waitSettled } from './studio-page';

const NOTE = 'voice is flat while the words are warm';
/** How long `dar serve` may take to print its URL (it builds the page; CI machines are shared). */
const HOST_START_MS = 120_000;

/** The process and every descendant of it (the host's worker is a thread; any helper it spawned is a child). */
function processTree(root: number): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const [pid, ppid] of parents) if (ppid === tree[i]) tree.push(pid);
  return tree;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
  } catch {
    return false;
  }
}

/** SIGKILLs the host process and its descendants, by id, and waits until none is left. */
async function killHard(host: StudioHost): Promise<void> {
  const tree = processTree(host.pid);
  for (const pid of tree) process.kill(pid, 'SIGKILL');
  await expect.poll(() => tree.filter(alive), { timeout: 10_000 }).toEqual([]);
}

async function openClipById(page: Page, id: string): Promise<void> {
  await page.locator('[data-testid=library-search]').fill(id);
  await page.locator(`[data-testid=clip-item][data-clip-id="${id}"]`).click();
  await page.locator(`[data-testid=annotation-panel][data-clip-id="${id}"]`).waitFor({ state: 'attached' });
  await waitSettled(page);
}

async function allSaved(page: Page): Promise<void> {
  await page.locator('[data-testid=annotation-panel][data-unsaved=false]').waitFor({ state: 'attached', timeout: 15_000 });
}

describe('durable annotations in the browser studio', () => {
  const home = useTempDir('dar-e2e-annot-'); // removed after the studio closes (after-hooks run last first)
  const studio = useStudio({ env: { DAR_STUDIO_HOME: home }, hostTimeoutMs: HOST_START_MS, timeoutMs: HOST_START_MS + 60_000, screenshots: shots });
  let clipId = '';
  let probeMasked = '';

  it('annotates a clip: label, tag, notes saved as typed, and a probe of the current masks', async () => {
    const { page } = studio;
    clipId = (await page.locator('[data-testid=clip-item]').nth(3).getAttribute('data-clip-id')) ?? '';
    await openClipById(page, clipId);
    await page.locator('[data-testid=lower-tab-annotation]').click();
    await page.locator('[data-testid=annotation-label-input]').fill('-1.3');
    await page.locator('[data-testid=annotation-label-input]').press('Enter');
    await page.locator('[data-testid=annotation-label][data-value="-1.3"]').waitFor();
    await expect(page.locator('[data-testid=annotation-label-class]').textContent()).resolves.toContain('negative');
    await page.locator('[data-testid=annotation-tag-input]').fill('sarcasm');
    await page.locator('[data-testid=annotation-tag-input]').press('Enter');
    await page.locator('[data-testid=annotation-tag][data-tag=sarcasm]').waitFor();
    await page.locator('[data-testid=annotation-notes]').click();
    await page.keyboard.type(NOTE); // no blur: the debounced save must do it
    await allSaved(page);
    await dragOnTrack(page, 'a', 0.2, 0.7);
    await waitSettled(page);
    probeMasked = await readNumber(page, 'prediction-masked');
    await page.locator('[data-testid=probe-name]').fill('no acoustic middle');
    await page.locator('[data-testid=probe-save]').click();
    await page.locator('[data-testid=probe-item][data-name="no acoustic middle"]').waitFor();
    await expect(page.locator('[data-testid=probe-item]').textContent()).resolves.toContain(probeMasked);
    await allSaved(page);
    await expect(page.locator('[data-testid=annotation-status]').getAttribute('data-status')).resolves.toBe('saved');
    await page.locator(`[data-testid=clip-item][data-clip-id="${clipId}"] [data-testid=annotated-dot]`).waitFor();
    await page.screenshot({ path: join(shots, 'annotations.png') });
    await page.locator('[data-testid=annotation-panel]').screenshot({ path: join(shots, 'annotations-panel.png') });
    await page.locator('[data-testid=theme-toggle]').click();
    await page.screenshot({ path: join(shots, 'annotations-light.png') });
    await page.locator('[data-testid=annotation-panel]').screenshot({ path: join(shots, 'annotations-panel-light.png') });
    await page.locator('[data-testid=theme-toggle]').click();
  }, 20_000);

  it('keeps every saved edit when the host is SIGKILLed and restarted on the same studio home', async () => {
    const { page } = studio;
    const projects = join(home, 'projects');
    expect(readdirSync(projects).some((f) => f.endsWith('.sqlite-wal'))).toBe(true); // open, mid-session
    await studio.browser.errors.expecting([hostGoneMessage(studio.host)], async () => {
      await killHard(studio.host);
      // Killed, not closed: the edits are only in the write-ahead log, which SQLite replays on open.
      expect(readdirSync(projects).some((f) => f.endsWith('.sqlite-wal'))).toBe(true);
      await studio.restartHost(); // same home
    });
    await openClipById(page, clipId);
    await page.locator('[data-testid=lower-tab-annotation]').click(); // a new port is a new origin: the tab choice is not remembered
    await page.locator('[data-testid=annotation-label][data-value="-1.3"]').waitFor();
    await page.locator('[data-testid=annotation-tag][data-tag=sarcasm]').waitFor();
    await expect(page.locator('[data-testid=annotation-notes]').inputValue()).resolves.toBe(NOTE);
    await page.locator(`[data-testid=clip-item][data-clip-id="${clipId}"] [data-testid=annotated-dot]`).waitFor();
    await expect(page.locator('[data-testid=prediction-masked]').textContent()).resolves.not.toBe(probeMasked);
    await page.locator('[data-testid=probe-item][data-name="no acoustic middle"]').click();
    await waitSettled(page);
    expect(await readNumber(page, 'prediction-masked')).toBe(probeMasked);
  }, 30_000); // a restart of the host

  it('exports CSV with the MMSA columns, and imports a CSV that tags another clip (one undo step)', async () => {
    const { page } = studio;
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=annotation-export-csv]').click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\n')[0]).toBe('video_id,clip_id,text,label,mode,tags,notes');
    expect(csv).toContain(`,-1.3,`);
    expect(csv).toContain(NOTE);
    await page.locator('[data-testid=library-search]').fill('');
    await expect.poll(() => page.locator('[data-testid=clip-item]').count()).toBeGreaterThan(1);
    const other = (await page.locator(`[data-testid=clip-item]:not([data-clip-id="${clipId}"])`).first().getAttribute('data-clip-id')) ?? '';
    const [video, clip] = other.split('$_$');
    const file = join(home, 'import.csv');
    writeFileSync(file, `video_id,clip_id,tags\n${video},${clip},imported\n`);
    await page.locator('[data-testid=annotation-import-file]').setInputFiles(file);
    await expect.poll(() => page.locator('[data-testid=annotation-message]').textContent()).toMatch(/Imported import\.csv: 1 of 1/);
    await page.locator(`[data-testid=clip-item][data-clip-id="${other}"] [data-testid=annotated-dot]`).waitFor();
    await page.locator('[data-testid=annotation-undo]').click();
    await page.locator(`[data-testid=clip-item][data-clip-id="${other}"] [data-testid=annotated-dot]`).waitFor({ state: 'detached' });
    expect(existsSync(join(home, 'projects'))).toBe(true);
  });
});
