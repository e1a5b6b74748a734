import { Readable } from 'node:stream';
import { protocol } from 'electron';
import type { EngineClient } from '../worker/protocol/engine-client';
import { clipOfMediaPath, mediaReply } from '../shell-common/media-range';

/** The scheme of ClipDetail.videoUrl in this shell: dar-media://clip/<split>/<index>. */
export const MEDIA_SCHEME = 'dar-media';
/** The worker's template for video URLs (EngineWorkerData.mediaUrl). */
export const MEDIA_URL_TEMPLATE = `${MEDIA_SCHEME}://clip/{split}/{index}`;

const notFound = (): Response => new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/**
 * Serves dar-media://clip/<split>/<index> with range requests: the URL only selects a clip of the
 * open dataset, the worker names its file (the original, or its H.264 transcode in the media
 * cache once converted), so nothing else can be reached. Its scheme is declared in schemes.ts.
 */
export function registerMediaProtocol(engine: EngineClient): void {
  protocol.handle(MEDIA_SCHEME, async (request) => {
    const url = new URL(request.url);
    const clip = url.host === 'clip' ? clipOfMediaPath(url.pathname) : null;
    if (!clip || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    const file = await engine.call('mediaFile', clip);
    if (!file.ok || !file.value) return notFound();
    const reply = await mediaReply(file.value, request.headers.get('range'), request.method === 'HEAD').catch(() => null);
    if (!reply) return notFound();
    const body = reply.body ? (Readable.toWeb(reply.body) as ReadableStream<Uint8Array>) : null;
    return new Response(body, { status: reply.status, headers: reply.headers });
  });
}
