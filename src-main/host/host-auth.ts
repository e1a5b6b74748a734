/**
 * Who may talk to the browser host: whoever holds the token printed at start (a random 32-byte
 * hex string in the page's URL, cookie-free), and for the socket only pages of the host's own
 * origin, so a page elsewhere cannot drive the studio even through the user's browser.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh token: 32 random bytes as 64 hex characters. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Constant-time comparison of a presented token with the real one. */
export function tokenMatches(presented: string | null | undefined, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token of a request's own URL (`?token=`). */
export function queryToken(req: IncomingMessage): string | null {
  return new URL(req.url ?? '/', 'http://127.0.0.1').searchParams.get('token');
}

/**
 * The token of the page a subresource was fetched for: the Referer, when it is of the host's own
 * origin. Scripts and styles the page loads carry it there (their own URLs are the build's).
 */
export function refererToken(req: IncomingMessage, origin: string): string | null {
  const referer = req.headers.referer;
  if (!referer) return null;
  try {
    const url = new URL(referer);
    return url.origin === origin ? url.searchParams.get('token') : null;
  } catch {
    return null;
  }
}

/** True when a WebSocket upgrade comes from a page of the host's own origin. */
export function originAllowed(req: IncomingMessage, origin: string): boolean {
  return req.headers.origin === origin;
}
