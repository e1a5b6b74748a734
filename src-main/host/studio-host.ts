/**
 * The browser host: the studio contract over HTTP + WebSocket on 127.0.0.1, for a browser
 * instead of the Electron shell. It serves the built renderer, the open dataset's videos and
 * the RPC socket; every request needs the token, the socket also the host's own origin. All
 * state lives in the engine worker: this is a thin router.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '#contract/worker-protocol';
import { WIRE_SOCKET_PATH } from '#contract/wire-codec';
import { DarError } from '../engine/errors';
import { startEngine, unwrap } from '../worker/protocol/engine-client';
import type { EngineClient } from '../worker/protocol/engine-client';
import { STUDIO_CSP } from '../shell-common/studio-csp';
import { newToken, originAllowed, queryToken, refererToken, tokenMatches } from './host-auth';
import { serveMedia } from './media-route';
import { createRpcSocket } from './rpc-socket';
import { StaticFiles } from './static-files';
import { prepareHeadlessGpuEnv } from '../engine/webgpu/dawn-device';

/** Options of {@link startHost}. */
export interface HostOptions {
  /** TCP port on 127.0.0.1; 0 = a free one [0]. */
  port?: number;
  /** Dataset to open at start [the demo corpus]. */
  data?: string;
  /** Checkpoint to open with it [the demo model, for the demo]. */
  checkpoint?: string;
  /** The built renderer [out/renderer of the checkout]. */
  rendererDir?: string;
  /** Compute backend [the best that works]. */
  backend?: BackendName;
  /** Progress and warnings (stderr in the CLI). */
  log?: (line: string) => void;
}

/** A running host. */
export interface StudioHost {
  /** The page's URL including the token: http://127.0.0.1:PORT/?token=TOKEN */
  url: string;
  origin: string;
  port: number;
  token: string;
  engine: EngineClient;
  close(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const SECURITY_HEADERS = {
  'Content-Security-Policy': STUDIO_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
};

async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await readFile(`${repoRoot}package.json`, 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

function plain(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' }).end(text);
}

/** Opens the start dataset in the worker; a checkpoint problem is a warning, anything else fatal. */
async function openStartDataset(engine: EngineClient, options: HostOptions, log: (line: string) => void): Promise<void> {
  const info = unwrap(await engine.call('init', { backend: options.backend }));
  log(`backend: ${info.label}`);
  const opened = await engine.call('openDataset', { path: options.data, checkpoint: options.checkpoint });
  if (opened.ok) {
    const c = opened.value.checkpoint;
    log(`dataset: ${opened.value.name} (${opened.value.path}); model: ${c ? c.path : 'none'}`);
  } else if (opened.error.code.startsWith('CHECKPOINT_')) {
    log(`warning ${opened.error.code}: ${opened.error.message}`);
  } else {
    throw new DarError(opened.error.code, opened.error.message);
  }
}

/** Starts the engine worker, opens the start dataset and listens; resolves once it accepts requests. */
export async function startHost(options: HostOptions = {}): Promise<StudioHost> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const token = newToken();
  // Before the engine thread starts: native code sees only this thread's environment.
  prepareHeadlessGpuEnv();
  const engine = startEngine({ workerData: { shell: 'browser', version: await packageVersion(), mediaUrl: `/media/{split}/{index}?token=${token}` } });
  // The worker's own warnings (e.g. background predictions that stopped) belong in the log too.
  engine.onEvent((e) => {
    if (e.type === 'log') log(`${e.level}: ${e.message}`);
  });
  try {
    await openStartDataset(engine, options, log);
    const server = createServer();
    await listen(server, options.port ?? 0);
    const port = (server.address() as { port: number }).port;
    const origin = `http://127.0.0.1:${port}`;
    const files = new StaticFiles(options.rendererDir ?? `${repoRoot}out/renderer`);
    const socket = attachRoutes(server, { engine, files, token, origin }, log);
    return {
      url: `${origin}/?token=${token}`,
      origin,
      port,
      token,
      engine,
      async close() {
        socket.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
        await engine.close();
      },
    };
  } catch (err) {
    await engine.close();
    throw err;
  }
}

/** Wires the HTTP routes and the vetted socket upgrade onto a listening server. */
function attachRoutes(server: Server, ctx: RequestContext, log: (line: string) => void): ReturnType<typeof createRpcSocket> {
  const socket = createRpcSocket(ctx.engine);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res, ctx).catch((err: unknown) => {
      log(`request ${req.url}: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) plain(res, 500, 'internal error');
      else res.destroy();
    });
  });
  server.on('upgrade', (req: IncomingMessage, sock: Duplex, head: Buffer) => {
    const refuse = vetUpgrade(req, ctx.token, ctx.origin);
    if (refuse) return void sock.end(`HTTP/1.1 ${refuse}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.wss.handleUpgrade(req, sock, head, (ws) => socket.wss.emit('connection', ws, req));
  });
  return socket;
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new DarError('ARG_INVALID', `--port ${port}: already in use`) : err);
    });
    server.listen(port, '127.0.0.1', () => resolve());
  });
}

/** Why a WebSocket upgrade is refused (status line), or null to accept it. */
function vetUpgrade(req: IncomingMessage, token: string, origin: string): string | null {
  const path = (req.url ?? '').split('?')[0];
  if (path !== WIRE_SOCKET_PATH) return '404 Not Found';
  if (!tokenMatches(queryToken(req), token)) return '401 Unauthorized';
  if (!originAllowed(req, origin)) return '403 Forbidden';
  return null;
}

interface RequestContext {
  engine: EngineClient;
  files: StaticFiles;
  token: string;
  origin: string;
}

async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: RequestContext): Promise<void> {
  for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
  const rawPath = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res.setHeader('Allow', 'GET, HEAD'), 405, 'method not allowed');
  const byQuery = tokenMatches(queryToken(req), ctx.token);
  const isMedia = rawPath === '/media' || rawPath.startsWith('/media/');
  // Subresources of the page may show the token through the page's Referer instead; the page and videos may not.
  const isPage = rawPath === '/' || rawPath === '/index.html';
  if (!byQuery && (isMedia || isPage || !tokenMatches(refererToken(req, ctx.origin), ctx.token))) return plain(res, 401, 'unauthorized: open the URL printed by dar serve');
  if (isMedia) return serveMedia(ctx.engine, rawPath, req, res);
  if (!rawPath.startsWith('/') || /%|\.\.|\\|\/\//.test(rawPath)) return plain(res, 404, 'not found');
  const file = await ctx.files.get(rawPath, ctx.token);
  if (!file) return plain(res, 404, 'not found');
  res.writeHead(200, { 'Content-Type': file.contentType, 'Content-Length': String(file.body.length), 'Cache-Control': 'no-cache' });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
