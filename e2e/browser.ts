/** Headless Chromium for the specs and the UI benchmark (Debian's /usr/bin/chromium). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { formatPageErrors, PageErrors } from './page-errors';

/** A browser with one page, and how to close it. */
export interface Browser {
  context: BrowserContext;
  page: Page;
  /** The page and console errors of its pages (a spec declares those it provokes with `errors.expecting`). */
  errors: PageErrors;
  close: () => Promise<void>;
}

/** The error records each test's end checks: open browsers', and closed ones' until checked once more. */
const watched = new Set<PageErrors>();
const closed = new WeakSet<PageErrors>();

// Under vitest every test ends by failing on the unexpected errors of the pages it had open
// (those of a beforeAll count for the next test): a spec needs nothing of its own.
if (process.env.VITEST) {
  const { afterEach } = await import('vitest');
  afterEach(() => {
    const errors = [...watched].flatMap((e) => e.take());
    for (const e of watched) if (closed.has(e)) watched.delete(e);
    if (errors.length) throw new Error(formatPageErrors(errors));
  });
}

/** The launch flags that work in this container (studio.md). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launches Chromium in a fresh profile with a desktop-sized window. */
export async function launchBrowser(viewport = { width: 1440, height: 900 }): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'dar-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.DAR_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    viewport,
    deviceScaleFactor: 1,
    args: CHROMIUM_ARGS,
  });
  const errors = new PageErrors();
  errors.watchContext(context);
  watched.add(errors);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    errors,
    close: async () => {
      closed.add(errors);
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
