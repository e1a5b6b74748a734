import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Protocol } from 'electron';
import { COMPUTE_ORIGIN, COMPUTE_SCHEME, computeHeaders } from './compute-csp';
import { listRendererFiles } from '../shell-common/renderer-files';
import { appFileFor } from './app-files';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The bundled compute page (out/compute beside out/main; vite.compute.config.ts). */
const COMPUTE_DIR = join(here, '../compute');
const HEADERS = computeHeaders(COMPUTE_ORIGIN);

const notFound = (): Response => new Response('not found', { status: 404, headers: { ...HEADERS, 'Content-Type': 'text/plain' } });

/**
 * Serves dar-compute://compute/<path> from the built compute page only (files listed at start,
 * by exact path), with its CSP and the COOP/COEP headers that make the window cross-origin
 * isolated, so tfjs's WASM may use threads. Its scheme is declared in schemes.ts; `target` is
 * the compute window's own session's protocol.
 */
export function registerComputeProtocol(target: Protocol, computeDir = COMPUTE_DIR): void {
  const files = listRendererFiles(computeDir);
  target.handle(COMPUTE_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const file = appFileFor(await files, request.url, COMPUTE_ORIGIN);
    const body = file && (await readFile(file.path).catch(() => null));
    if (!file || !body) return notFound();
    return new Response(request.method === 'HEAD' ? null : body, { status: 200, headers: { ...HEADERS, 'Content-Type': file.contentType } });
  });
}
