/**
 * The Content-Security-Policy of the studio page, the same in both shells (browser host header,
 * Electron session header). The page's own
 * <meta> CSP (src-renderer/index.html) must allow no less than this for what the page does.
 */

/** The strict CSP: own scripts only, no eval, media from the shell's media routes, the host socket. */
export const STUDIO_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: dar-media:",
  "connect-src 'self' ws://127.0.0.1:*",
  "worker-src 'self' blob:",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');
