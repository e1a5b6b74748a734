/**
 * The compute page (src-compute/) as the tests and the wasm-threads bench reach it without
 * Electron: built with its own vite config into a temp folder, served from 127.0.0.1 with the
 * very headers the desktop's dar-compute:// sends (CSP, COOP/COEP: cross-origin isolated), opened
 * in headless Chromium with WebGPU on (SwiftShader here), and given the port the compute window's
 * preload would give it. Frames cross between Node and the page as base64 over Playwright.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { computeHeaders } from '../../src-main/app/compute-csp';
import { listRendererFiles, rendererKey } from '../../src-main/shell-common/renderer-files';
import { mimeType } from '../../src-main/engine/media/mime';
import type { ComputeLink } from '../../src-main/engine/compute/compute-protocol';
import { computeConfig } from '../../vite.compute.config';

/** Chromium with WebGPU: unlike the studio specs' flags, the GPU stays on (SwiftShader where no GPU is). */
export const COMPUTE_CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--enable-unsafe-webgpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** A built compute page behind a local server. */
export interface ComputeSite {
  origin: string;
  close(): Promise<void>;
}

/** Builds the compute page into a temp folder and serves it with the compute window's headers. */
export async function serveComputePage(): Promise<ComputeSite> {
  const dir = mkdtempSync(join(tmpdir(), 'dar-compute-page-'));
  await build(computeConfig(dir));
  const files = await listRendererFiles(dir);
  let origin = '';
  const server: Server = createServer((req, res) => {
    const key = rendererKey(new URL(req.url ?? '/', origin).pathname);
    const file = files.get(key);
    if (!file) return void res.writeHead(404, computeHeaders(origin)).end();
    res.writeHead(200, { ...computeHeaders(origin), 'Content-Type': mimeType(key) }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return {
    origin,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What the harness runs in the page (a string: this file is type-checked without the DOM): a
 * channel whose port2 goes to the page as the preload posts it, port1 bridged to Node in base64.
 */
const HARNESS = `(() => {
  const toB64 = (bytes) => {
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  };
  const channel = new MessageChannel();
  channel.port1.onmessage = (e) => window.__darFrameOut(toB64(new Uint8Array(e.data)));
  window.__darFrameIn = (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    channel.port1.postMessage(bytes, [bytes.buffer]);
  };
  window.postMessage('dar-compute-port', location.origin, [channel.port2]);
})()`;

const FACTS = `({
  rung: document.documentElement.dataset.rung ?? null,
  lost: document.documentElement.dataset.lost ?? null,
  title: document.title,
  crossOriginIsolated: globalThis.crossOriginIsolated,
  cores: navigator.hardwareConcurrency,
})`;

/** An open compute page and the engine's end of its link. */
export interface ComputePage {
  page: Page;
  link: ComputeLink;
  /** What the page says about itself once its worker chose a rung. */
  facts(): Promise<{ rung: string | null; lost: string | null; title: string; crossOriginIsolated: boolean; cores: number }>;
  close(): Promise<void>;
}

/** Opens the page (forcing `backend`; WASM on one thread with `singleThread`) in its own Chromium and hands it a port, as the preload does. */
export async function openComputePage(site: ComputeSite, backend: 'webgpu' | 'wasm' | null, singleThread = false): Promise<ComputePage> {
  const browser: Browser = await chromium.launch({ executablePath: process.env.DAR_CHROMIUM ?? '/usr/bin/chromium', headless: true, args: COMPUTE_CHROMIUM_ARGS });
  const page = await browser.newPage();
  const listeners: ((frame: Uint8Array) => void)[] = [];
  await page.exposeBinding('__darFrameOut', (_source, b64: string) => {
    const frame = new Uint8Array(Buffer.from(b64, 'base64'));
    for (const l of listeners) l(frame);
  });
  const query = new URLSearchParams(backend ? { backend } : {});
  if (singleThread) query.set('threads', '1');
  await page.goto(`${site.origin}/index.html?${query}`);
  await page.evaluate(HARNESS);
  // Frames go in order: each waits for the one before it.
  let sending: Promise<unknown> = Promise.resolve();
  const link: ComputeLink = {
    post: (frame) => {
      const b64 = Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength).toString('base64');
      sending = sending.then(() => page.evaluate(`window.__darFrameIn(${JSON.stringify(b64)})`)).catch(() => undefined);
    },
    onFrame: (l) => void listeners.push(l),
  };
  return {
    page,
    link,
    facts: () => page.evaluate(FACTS) as ReturnType<ComputePage['facts']>,
    close: () => browser.close(),
  };
}
