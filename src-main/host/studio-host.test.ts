import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { ClipDetail, DatasetOverview } from '#contract/api';
import type { Result } from '#contract/errors';
import { decodeMessage, encodeMessage } from '#contract/wire-codec';
import { DEMO_DIR } from '../../testing/worker/studio-checkpoints';
import { startHost } from './studio-host';
import type { StudioHost } from './studio-host';
import { useTempDir } from '../../testing/temp-dir';

const VIDEO = join(DEMO_DIR, 'Raw/synth_017/4.mp4'); // train clip 84

/** A stand-in build of the renderer, so these tests do not depend on the page's sources (call at describe scope). */
function fakeRenderer(): string {
  const dir = useTempDir('dar-host-renderer-');
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><script type="module" src="./assets/app.js"></script><link rel="stylesheet" href="./assets/app.css"></head><body><div id="app"></div></body></html>');
  writeFileSync(join(dir, 'assets/app.js'), 'console.log("studio")');
  writeFileSync(join(dir, 'assets/app.css'), 'body{}');
  return dir;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A raw GET: the path goes on the wire exactly as given (no URL normalisation, unlike fetch). */
function get(host: StudioHost, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the socket; resolves to the socket or to the HTTP status that refused it. */
function connect(host: StudioHost, query: string, origin?: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, origin ? { origin } : {});
    ws.binaryType = 'arraybuffer';
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

function call<T>(ws: WebSocket, id: number, method: string, params: unknown): Promise<Result<T>> {
  return new Promise((resolve) => {
    const onMessage = (data: ArrayBuffer): void => {
      const message = decodeMessage(data) as { id?: number; result?: Result<T> };
      if (message.id !== id) return;
      ws.off('message', onMessage);
      resolve(message.result!);
    };
    ws.on('message', onMessage);
    ws.send(encodeMessage({ id, method, params }));
  });
}

describe('browser host', () => {
  const rendererDir = fakeRenderer();
  let host: StudioHost;
  let q = '';

  beforeAll(async () => {
    host = await startHost({ port: 0, data: DEMO_DIR, rendererDir, log: () => {} });
    q = `?token=${host.token}`;
  }, 30_000);
  afterAll(async () => host?.close());

  it('prints a URL on 127.0.0.1 with a 64-hex-character token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
  });

  it('answers 401 without the token or with a wrong one, on the page, the assets and the media', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/media/train/84', `/media/train/84?token=${'0'.repeat(64)}`, '/?token=']) {
      const r = await get(host, path);
      expect(r.status, path).toBe(401);
      expect(r.body.toString()).not.toContain('studio');
    }
  });

  it('serves the page with the strict CSP and the token carried to its own assets', async () => {
    const page = await get(host, `/${q}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    const html = page.body.toString();
    expect(html).toContain(`src="./assets/app.js${q}"`);
    expect(html).toContain(`href="./assets/app.css${q}"`);
    const js = await get(host, `/assets/app.js${q}`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body.toString()).toBe('console.log("studio")');
    expect((await get(host, `/assets/app.css${q}`)).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('lets a subresource show the token through a same-origin Referer, never a foreign one', async () => {
    const ours = await get(host, '/assets/app.js', { Referer: host.url });
    expect(ours.status).toBe(200);
    const foreign = await get(host, '/assets/app.js', { Referer: `http://evil.example/${q}` });
    expect(foreign.status).toBe(401);
    expect((await get(host, '/', { Referer: host.url })).status).toBe(401);
  });

  it('answers traversal attempts with 404 and no file content', async () => {
    const attempts = [
      '/media/../../etc/passwd',
      '/media/..%2f..%2fetc%2fpasswd',
      '/media/%2e%2e/%2e%2e/etc/passwd',
      '/media//etc/passwd',
      '/media/train/../../../../etc/passwd',
      '/media/train/84/../../../etc/passwd',
      '/media/train/1e3',
      '/media/train/-1',
      '/media/train/99999',
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
      '//etc/passwd',
      '/index.html/../../package.json',
    ];
    for (const path of attempts) {
      const r = await get(host, `${path}${q}`);
      expect(r.status, path).toBe(404);
      expect(r.body.toString(), path).not.toMatch(/root:|"name"|ftyp/);
    }
  });

  it('serves a clip video whole and by byte range (206 with the right bytes, 416 when unsatisfiable)', async () => {
    const file = readFileSync(VIDEO);
    const whole = await get(host, `/media/train/84${q}`);
    expect(whole.status).toBe(200);
    expect(whole.headers['content-type']).toBe('video/mp4');
    expect(whole.headers['accept-ranges']).toBe('bytes');
    expect(whole.body.equals(file)).toBe(true);
    const part = await get(host, `/media/train/84${q}`, { Range: 'bytes=100-299' });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 100-299/${file.length}`);
    expect(part.body.equals(file.subarray(100, 300))).toBe(true);
    const tail = await get(host, `/media/train/84${q}`, { Range: 'bytes=-10' });
    expect(tail.body.equals(file.subarray(file.length - 10))).toBe(true);
    const open = await get(host, `/media/train/84${q}`, { Range: `bytes=${file.length - 5}-` });
    expect(open.body.equals(file.subarray(file.length - 5))).toBe(true);
    const bad = await get(host, `/media/train/84${q}`, { Range: `bytes=${file.length}-` });
    expect(bad.status).toBe(416);
    expect(bad.headers['content-range']).toBe(`bytes */${file.length}`);
    expect((await get(host, `/media/train/84${q}`, { Range: 'bytes=9-3' })).status).toBe(416);
    const head = await get(host, `/media/train/84${q}`, {}, 'HEAD');
    expect(head.headers['content-length']).toBe(String(file.length));
    expect(head.body.length).toBe(0);
  });

  it('answers 404 for a clip without a video', async () => {
    expect((await get(host, `/media/train/0${q}`)).status).toBe(404);
  });

  it('refuses socket upgrades without the token (401) or from another origin (403)', async () => {
    expect(await connect(host, '', host.origin)).toBe(401);
    expect(await connect(host, `?token=${'f'.repeat(64)}`, host.origin)).toBe(401);
    expect(await connect(host, q, 'http://evil.example')).toBe(403);
    expect(await connect(host, q, `http://localhost:${host.port}`)).toBe(403);
    expect(await connect(host, q)).toBe(403);
  });

  it('serves the contract over the socket with typed arrays as typed arrays', async () => {
    const ws = await connect(host, q, host.origin);
    expect(ws).toBeInstanceOf(WebSocket);
    const socket = ws as WebSocket;
    const overview = await call<DatasetOverview>(socket, 1, 'getOverview', {});
    expect(overview.ok && overview.value.synthetic).toBe(true);
    const clip = await call<ClipDetail>(socket, 2, 'getClip', { split: 'train', index: 84 });
    if (!clip.ok) throw new Error(clip.error.message);
    expect(clip.value.frames.a.intensity).toBeInstanceOf(Float32Array);
    expect(clip.value.frames.a.spans.length).toBe(2 * clip.value.frames.a.count);
    expect(clip.value.videoUrl).toBe(`/media/train/84${q}`);
    const info = await call<{ shell: string }>(socket, 3, 'getAppInfo', {});
    expect(info.ok && info.value.shell).toBe('browser');
    const noModel = await call(socket, 4, 'explain', { split: 'train', index: 84, masks: {} });
    expect(!noModel.ok && noModel.error.code).toBe('NO_CHECKPOINT');
    const engineOnly = await call(socket, 5, 'train', { data: DEMO_DIR, out: '/tmp/x' });
    expect(!engineOnly.ok && engineOnly.error.code).toBe('ARG_INVALID');
    const bad = await call(socket, 6, 'getClip', { split: 'train', index: -1 });
    expect(!bad.ok && bad.error.code).toBe('ARG_INVALID');
    socket.close();
  });

  it('closes a socket that sends text instead of binary frames', async () => {
    const socket = (await connect(host, q, host.origin)) as WebSocket;
    const code = await new Promise<number>((resolve) => {
      socket.once('close', (c) => resolve(c));
      socket.send(JSON.stringify({ id: 1, method: 'getOverview', params: {} }));
    });
    expect(code).toBe(1003);
  });
});
