/** What the specs and the UI benchmark do to the studio page, in the user's terms. */
import type { Page } from 'playwright-core';

/** A modality track. */
export type Track = 'l' | 'a' | 'v';

/** Opens the studio and waits for the library's first rows. */
export async function openStudio(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitForLibrary(page);
}

/** Waits for the library's first rows (the desktop app opens its page itself). */
export async function waitForLibrary(page: Page, timeout = 30_000): Promise<void> {
  await page.locator('[data-testid=clip-item]').first().waitFor({ timeout });
}

/**
 * Opens the studio and waits until the worker has predicted the whole library: requests that
 * start work (training, jobs) queue behind that pass, so specs that time such work wait first.
 */
export async function openSettledStudio(page: Page, url: string): Promise<void> {
  await openStudio(page, url);
  await page.locator('[data-testid=clip-list][data-predicting=false]').waitFor({ timeout: 300_000 });
}

/** The studio's views, in the header's tab order (the renderer's navigation store names them). */
export const VIEWS = ['workbench', 'training', 'robustness', 'experiments', 'features'] as const;

/** A view of the studio. */
export type View = (typeof VIEWS)[number];

/** Switches to a view with its header tab and waits until it shows. */
export async function openView(page: Page, view: View): Promise<void> {
  await page.locator(`[data-testid=nav-${view}]`).click();
  // The workbench stays mounted beside the library; the other views mount on their tab.
  const shown = view === 'workbench' ? '[data-testid=clip-list]' : `[data-testid=view-${view}]`;
  await page.locator(shown).waitFor({ state: 'visible', timeout: 30_000 });
}

/**
 * The console error Chromium logs each time the page's socket retries a host that is gone: a
 * spec that kills its host declares it (`browser.errors.expecting`) until it opens the next one.
 */
export function hostGoneMessage(host: { origin: string; token: string }): string {
  return `WebSocket connection to '${host.origin.replace(/^http/, 'ws')}/ws?token=${host.token}' failed: Error in connection establishment: net::ERR_CONNECTION_REFUSED`;
}

/** Scrolls the library until a clip with a video shows, and opens it; returns its id once `ready` shows [the video]. */
export async function openClipWithVideo(page: Page, ready = '[data-testid=clip-video]'): Promise<string> {
  const list = page.locator('[data-testid=clip-list]');
  for (let i = 0; i < 200; i++) {
    const item = page.locator('[data-testid=clip-item][data-has-video=true]').first();
    if (await item.count()) {
      const id = (await item.getAttribute('data-clip-id')) ?? '';
      await item.click();
      await page.locator(ready).first().waitFor();
      await waitSettled(page);
      return id;
    }
    const done = await list.evaluate((el) => {
      const end = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
      el.scrollTop += el.clientHeight;
      return end;
    });
    if (done) break;
    await page.waitForTimeout(100);
  }
  throw new Error('no clip with a video in the library');
}

/** Waits until the prediction on screen belongs to the newest masks. */
export async function waitSettled(page: Page): Promise<void> {
  await page.locator('[data-testid=prediction-panel][data-pending=false]').waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=prediction-masked]').waitFor({ timeout: 30_000 });
}

/** The number a data-testid element shows. */
export async function readNumber(page: Page, testid: string): Promise<string> {
  return ((await page.locator(`[data-testid=${testid}]`).textContent()) ?? '').trim();
}

/** Drags across a track from fraction `from` to `to` of its width (a new mask segment, or a move/resize). */
export async function dragOnTrack(page: Page, track: Track, from: number, to: number): Promise<void> {
  const box = await page.locator(`[data-testid=track-${track}]`).boundingBox();
  if (!box) throw new Error(`track-${track} is not visible`);
  const y = box.y + box.height * 0.4;
  await page.mouse.move(box.x + box.width * from, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * ((from + to) / 2), y, { steps: 4 });
  await page.mouse.move(box.x + box.width * to, y, { steps: 4 });
  await page.mouse.up();
}

/** The part of a canvas element the pixel check reads (e2e compiles without the DOM lib). */
interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** The part of a video element the specs read. */
export interface VideoLike {
  currentTime: number;
  paused: boolean;
}

/** The clip video's clock and state. */
export async function videoState(page: Page): Promise<VideoLike> {
  return page.locator('[data-testid=clip-video]').evaluate((v) => {
    const video = v as unknown as VideoLike;
    return { currentTime: video.currentTime, paused: video.paused };
  });
}

/** For each canvas in a container: how many distinct colours it holds (1 = blank). */
export async function canvasColourCounts(page: Page, selector: string): Promise<number[]> {
  return page.locator(`${selector} canvas`).evaluateAll((canvases) =>
    (canvases as unknown as CanvasLike[]).map((c) => {
      const ctx = c.getContext('2d');
      if (!ctx || c.width === 0 || c.height === 0) return 0;
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < px.length && seen.size < 64; i += 4 * 7) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
      return seen.size;
    }),
  );
}

/** For each image in a container, once decoded: how many distinct colours it holds (1 = blank). */
export async function imageColourCounts(page: Page, selector: string): Promise<number[]> {
  return page.locator(`${selector} img`).evaluateAll(async (images) => {
    type Img = { naturalWidth: number; naturalHeight: number; decode(): Promise<void> };
    type Ctx = { drawImage(i: Img, x: number, y: number): void; getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    type Doc = { createElement(tag: 'canvas'): { width: number; height: number; getContext(kind: '2d'): Ctx | null } };
    const doc = (globalThis as unknown as { document: Doc }).document;
    return Promise.all(
      (images as unknown as Img[]).map(async (img) => {
        await img.decode().catch(() => undefined);
        if (!img.naturalWidth || !img.naturalHeight) return 0;
        const c = doc.createElement('canvas');
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        const ctx = c.getContext('2d');
        if (!ctx) return 0;
        ctx.drawImage(img, 0, 0);
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        const seen = new Set<number>();
        for (let i = 0; i < px.length && seen.size < 64; i += 4) seen.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
        return seen.size;
      }),
    );
  });
}
