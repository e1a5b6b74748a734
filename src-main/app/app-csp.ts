/**
 * The page's Content-Security-Policy in the Electron shell, where the page is app://studio. No
 * Electron import, so scripts/electronegativity.ts can evaluate it (the scanner cannot resolve a
 * constant). Every source is the app origin itself (only the built renderer folder is served
 * there), never 'self' and never file:, so nothing else on disk can run as the page's script.
 */

/** The page's scheme, host and origin. */
export const APP_SCHEME = 'app';
export const APP_HOST = 'studio';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The one page of the app. */
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/** The strict CSP of the Electron page (the browser host's is STUDIO_CSP, for its own origin). */
export const APP_CSP = [
  "default-src 'none'",
  `script-src ${APP_ORIGIN}`,
  `style-src ${APP_ORIGIN} 'unsafe-inline'`,
  `img-src ${APP_ORIGIN} data: blob:`,
  'media-src blob: dar-media:',
  `connect-src ${APP_ORIGIN}`,
  `worker-src ${APP_ORIGIN} blob:`,
  `font-src ${APP_ORIGIN} data:`,
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
