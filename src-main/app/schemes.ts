import { protocol } from 'electron';
import { APP_SCHEME } from './app-csp';
import { MEDIA_SCHEME } from './media-protocol';

/**
 * Declares the shell's schemes before `ready`, in ONE call (a second call replaces the first):
 * app:// is the page (standard and secure, so it has a real origin and the CSP's sources mean
 * exactly it), dar-media:// streams clip videos to <video>.
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
  ]);
}
