import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { protocol } from 'electron';
import { APP_CSP, APP_ORIGIN, APP_SCHEME } from './app-csp';
import { listRendererFiles } from '../shell-common/renderer-files';
import { appFileFor } from './app-files';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The bundled renderer (out/renderer beside out/main). */
const RENDERER_DIR = join(here, '../renderer');
const HEADERS = { 'Content-Security-Policy': APP_CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };

const notFound = (): Response => new Response('not found', { status: 404, headers: { ...HEADERS, 'Content-Type': 'text/plain' } });

/**
 * Serves app://studio/<path> from the built renderer only (a file listed at start, by exact path),
 * with the strict CSP as a header: under file:// 'self' would be the whole disk and no header
 * could be set.
 */
export function registerAppProtocol(rendererDir = RENDERER_DIR): void {
  const files = listRendererFiles(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = appFileFor(await files, request.url, APP_ORIGIN);
    const body = file && (await readFile(file.path).catch(() => null));
    if (!file || !body) return notFound();
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...HEADERS, 'Content-Type': file.contentType } });
  });
}
