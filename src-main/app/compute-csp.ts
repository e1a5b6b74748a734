/**
 * The compute page's origin, Content-Security-Policy and isolation headers (the desktop's hidden
 * compute window, src-compute/). No Electron import: the tests serve the built page with the very
 * same headers from a plain Node server, and the security gate can evaluate them.
 */

/** The compute page's scheme, host and origin (its own origin: nothing of the studio page's reaches it). */
export const COMPUTE_SCHEME = 'dar-compute';
export const COMPUTE_HOST = 'compute';
export const COMPUTE_ORIGIN = `${COMPUTE_SCHEME}://${COMPUTE_HOST}`;
/** The one page of the compute window. */
export const COMPUTE_PAGE_URL = `${COMPUTE_ORIGIN}/index.html`;

/**
 * The strict CSP of the compute page served from `origin`. It has no UI and talks to nothing:
 * scripts and workers come from its own origin only, except what tfjs's threaded WASM needs:
 * 'wasm-unsafe-eval' to compile its binary, and blob: for the thread workers it builds (and
 * their importScripts of a blob of its own factory). No connect-src beyond fetching its own
 * .wasm files: nothing can leave the page but the MessagePort the shell gave it.
 */
export function computeCsp(origin: string): string {
  return [
    "default-src 'none'",
    `script-src ${origin} 'wasm-unsafe-eval' blob:`,
    `worker-src ${origin} blob:`,
    `connect-src ${origin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Every response of the compute page: the CSP, and cross-origin isolation (COOP same-origin +
 * COEP require-corp, resources same-origin), without which there is no SharedArrayBuffer and
 * tfjs's WASM runs on one thread.
 */
export function computeHeaders(origin: string): Record<string, string> {
  return {
    'Content-Security-Policy': computeCsp(origin),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
}
