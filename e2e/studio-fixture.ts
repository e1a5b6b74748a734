/**
 * The setup every browser spec shares: `dar serve` on a fresh port, Chromium on it, the studio
 * opened, and both closed after the spec's tests. Call `useStudio` at describe scope (it
 * registers the beforeAll and afterAll); read `host`, `browser` and `page` inside tests.
 * The page-error check comes with the browser (e2e/browser.ts): nothing to add here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser, type Browser } from './browser';
import { repoRoot, serveArgs, startHost, type StudioHost } from './studio-host';
import { openSettledStudio, openStudio } from './studio-page';

/** Where the specs write their screenshots (the `screenshots` option makes it). */
export const SCREENSHOTS = join(repoRoot, 'e2e/screenshots');

/** How a spec's studio is started; every field is optional. */
export interface StudioOptions {
  /** `dar serve` arguments; default serveArgs(). */
  args?: string[];
  /** Variables added to the host's environment; a DAR_STUDIO_HOME here is kept across `restartHost` (startHost). */
  env?: Record<string, string>;
  /** How long `dar serve` may take to print its URL; default startHost's (300 s). */
  hostTimeoutMs?: number;
  /** The browser window's size; default launchBrowser's desktop size. */
  viewport?: { width: number; height: number };
  /** Wait until the worker has predicted the whole library (openSettledStudio), for specs that time work; default false. */
  settled?: boolean;
  /** A folder to make before the host starts (SCREENSHOTS for the specs that take pictures). */
  screenshots?: string;
  /** Runs first in the beforeAll, inside its timeout (preparing the data or home the host reads). */
  before?: () => void | Promise<void>;
  /** The beforeAll's timeout: the host start, the browser and the first page; default 180 s. */
  timeoutMs?: number;
  /** The afterAll's timeout; default the config's hookTimeout. */
  closeTimeoutMs?: number;
}

/** A spec's studio: available inside its tests, once the beforeAll has run. */
export interface Studio {
  readonly host: StudioHost;
  readonly browser: Browser;
  /** The browser's page, on the studio. */
  readonly page: Page;
  /** Stops the current host (already killed or not), starts one with the same options and opens the page on it (library rows only). */
  restartHost: () => Promise<void>;
}

/** Registers the beforeAll that starts a host and a browser on it, and the afterAll that closes both. */
export function useStudio(options: StudioOptions = {}): Studio {
  let host: StudioHost | undefined;
  let browser: Browser | undefined;
  const start = (): Promise<StudioHost> => startHost(options.args ?? serveArgs(), options.hostTimeoutMs, options.env);

  beforeAll(async () => {
    if (options.screenshots) mkdirSync(options.screenshots, { recursive: true });
    await options.before?.();
    host = await start();
    browser = await launchBrowser(options.viewport);
    await (options.settled ? openSettledStudio : openStudio)(browser.page, host.url);
  }, options.timeoutMs ?? 180_000);

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
  }, options.closeTimeoutMs);

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`studio.${name} is read before useStudio's beforeAll started it (read it inside a test)`);
    return value;
  };
  return {
    get host() {
      return ready(host, 'host');
    },
    get browser() {
      return ready(browser, 'browser');
    },
    get page() {
      return ready(browser, 'page').page;
    },
    restartHost: async () => {
      await ready(host, 'host').stop();
      host = await start();
      await openStudio(ready(browser, 'browser').page, host.url);
    },
  };
}
