/**
 * Launches the desktop studio for the Electron smoke spec and hands back its window's page, the
 * same Page the browser specs drive, so both share e2e/studio-page.ts.
 *
 * - Built app (`npm run build`, then `npm run test:electron`): Playwright's `_electron.launch`
 *   runs node_modules/electron on this folder (package.json `main` is out/main/index.js).
 * - Packaged app (DAR_ELECTRON_PACKAGED=release, electron-builder's output folder): the installers'
 *   fuses turn off `--inspect`, which `_electron.launch` needs to reach the main process, so the
 *   executable is started with `--remote-debugging-port=0` (a Chromium switch no fuse removes)
 *   and Playwright attaches to its window over CDP. The spec needs only the window.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../studio-host';

/** electron-builder.yml's `productName` and Linux `executableName` (installers.test.ts checks they agree). */
export const PRODUCT_NAME = 'DAR Studio';
/** See PRODUCT_NAME. */
export const LINUX_EXECUTABLE = 'dar-studio';

/** A running desktop studio. */
export interface StudioApp {
  page: Page;
  /** The hidden compute window's page (dar-compute://), once the app has opened it. */
  computePage: () => Promise<Page>;
  /** `built` or `packaged`, for the spec's title. */
  kind: 'built' | 'packaged';
  close: () => Promise<void>;
}

/** Where electron-builder leaves the unpacked app of this platform under its output folder (`release/`). */
export function packagedExecutable(releaseDir: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  if (platform === 'win32') return join(releaseDir, 'win-unpacked', `${PRODUCT_NAME}.exe`);
  if (platform === 'darwin') return join(releaseDir, arch === 'arm64' ? 'mac-arm64' : 'mac', `${PRODUCT_NAME}.app`, 'Contents', 'MacOS', PRODUCT_NAME);
  return join(releaseDir, 'linux-unpacked', LINUX_EXECUTABLE);
}

/** Starts the built app, or the packaged one when DAR_ELECTRON_PACKAGED names electron-builder's output folder. */
export async function launchStudioApp(timeout = 120_000): Promise<StudioApp> {
  // A fresh studio home and media cache: a run neither reads nor leaves anything in the user's.
  const scratch = mkdtempSync(join(tmpdir(), 'dar-electron-'));
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  env.DAR_STUDIO_HOME = join(scratch, 'home');
  env.DAR_MEDIA_CACHE = join(scratch, 'media');
  const packaged = process.env.DAR_ELECTRON_PACKAGED;
  const app = packaged ? await attachPackaged(packagedExecutable(join(repoRoot, packaged)), env, timeout) : await launchBuilt(env, timeout);
  return {
    ...app,
    close: async () => {
      await app.close();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

async function launchBuilt(env: Record<string, string>, timeout: number): Promise<StudioApp> {
  const app = await _electron.launch({ args: ['.'], cwd: repoRoot, env, timeout });
  // Two windows: the studio and the hidden compute window; pick each by its origin.
  const pages = (): Page[] => app.windows();
  const page = await pageAt(pages, 'app://', timeout);
  return { page, computePage: () => pageAt(pages, 'dar-compute://', timeout), kind: 'built', close: () => app.close() };
}

async function attachPackaged(executable: string, env: Record<string, string>, timeout: number): Promise<StudioApp> {
  // Linux runners have no setuid sandbox helper for an unpacked app (Playwright passes the same).
  const args = ['--remote-debugging-port=0', ...(process.platform === 'linux' ? ['--no-sandbox'] : [])];
  const child = spawn(executable, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let out = '';
  const endpoint = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${executable} printed no DevTools endpoint within ${timeout} ms:\n${out}`)), timeout);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${executable} exited with ${code} before it listened:\n${out}`));
    });
  });
  const browser: Browser = await chromium.connectOverCDP(endpoint, { timeout });
  const pages = (): Page[] => browser.contexts().flatMap((c) => c.pages());
  const page = await pageAt(pages, 'app://', timeout);
  return {
    page,
    computePage: () => pageAt(pages, 'dar-compute://', timeout),
    kind: 'packaged',
    close: async () => {
      await browser.close(); // only disconnects: the app is ours to end
      if (child.exitCode === null) child.kill();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** The first page whose URL starts with `prefix` (app:// the studio, dar-compute:// the compute window), once it exists. */
async function pageAt(pages: () => Page[], prefix: string, timeout: number): Promise<Page> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const page = pages().find((p) => p.url().startsWith(prefix));
    if (page) return page;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the app opened no window at ${prefix}`);
}
