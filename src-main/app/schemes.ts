import { protocol } from 'electron';
import { APP_SCHEME } from './app-csp';
import { COMPUTE_SCHEME } from './compute-csp';
import { MEDIA_SCHEME } from './media-protocol';

/**
 * Declares the shell's schemes before `ready`, in ONE call (a second call replaces the first):
 * app:// is the page (standard and secure, so it has a real origin and the CSP's sources mean
 * exactly it), dar-media:// streams clip videos to <video>, dar-compute:// is the hidden compute
 * window's page (its own origin, cross-origin isolated).
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: COMPUTE_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}
