import { app, session } from 'electron';
import type { IpcMainInvokeEvent, WebContents, WebFrameMain } from 'electron';
import { STUDIO_CSP } from '../shell-common/studio-csp';
import { APP_PAGE_URL } from './app-csp';

/** True for the app's own page: app://studio/index.html (the bundled renderer), or the dev server's origin in development. */
export function isAppUrl(url: string): boolean {
  const dev = process.env.ELECTRON_RENDERER_URL;
  if (dev) {
    try {
      return new URL(url).origin === new URL(dev).origin;
    } catch {
      return false;
    }
  }
  return url.split(/[?#]/)[0] === APP_PAGE_URL;
}

/** True for the top-level frame of the app's own page (not a navigated, embedded or destroyed one). */
export function isTrustedFrame(frame: WebFrameMain | null | undefined): boolean {
  return !!frame && frame.parent === null && isAppUrl(frame.url);
}

/** True when an IPC message comes from the app's own page. */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return isTrustedFrame(event.senderFrame);
}

/** Denies navigation away from the app, every new window and webviews (Electron security checklist). */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Hardens every web contents, refuses all permission requests and sets the strict CSP header (dev server; app:// sends APP_CSP itself). */
export function registerSecurity(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [STUDIO_CSP] } });
  });
}
