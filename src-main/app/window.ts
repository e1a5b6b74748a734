import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BrowserWindow } from 'electron';
import { APP_PAGE_URL } from './app-csp';

const here = fileURLToPath(new URL('.', import.meta.url));

/** Opens the studio window: sandboxed, isolated, no Node in the page; the preload is the only bridge. */
export function openMainWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    title: 'DAR Studio',
    show: false,
    webPreferences: {
      preload: join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      // Middle-click would otherwise open links in a new window (electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  win.once('ready-to-show', () => win.show());
  if (process.env.ELECTRON_RENDERER_URL) void win.loadURL(process.env.ELECTRON_RENDERER_URL);
  // The built page comes from app:// (app-protocol.ts), never file://.
  else void win.loadURL(APP_PAGE_URL);
  return win;
}
