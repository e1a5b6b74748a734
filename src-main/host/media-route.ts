/**
 * `/media/<split>/<index>`: the video of that clip of the open dataset, with range requests.
 * The URL only ever selects a clip; the file path comes from the worker's open dataset, so
 * nothing in a URL reaches the filesystem. Anything not of exactly this shape is a 404.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EngineClient } from '../worker/protocol/engine-client';
import { clipOfMediaPath, mediaReply } from '../shell-common/media-range';

const PREFIX = '/media';

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
}

/** Answers a media request (the token was already checked). */
export async function serveMedia(engine: EngineClient, rawPath: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const clip = rawPath.startsWith(`${PREFIX}/`) ? clipOfMediaPath(rawPath.slice(PREFIX.length)) : null;
  if (!clip) return notFound(res);
  const file = await engine.call('mediaFile', clip);
  if (!file.ok || !file.value) return notFound(res);
  const reply = await mediaReply(file.value, req.headers.range, req.method === 'HEAD').catch(() => null);
  if (!reply) return notFound(res);
  res.writeHead(reply.status, reply.headers);
  if (!reply.body) return void res.end();
  reply.body.on('error', () => res.destroy());
  res.on('close', () => reply.body?.destroy());
  reply.body.pipe(res);
}
