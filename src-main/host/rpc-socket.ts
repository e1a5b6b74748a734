/**
 * The contract over a WebSocket: binary frames of the wire codec (contract/wire-codec.ts),
 * requests routed to the engine worker, engine events broadcast to every page. Only the
 * studio's own methods are callable; anything else is answered with ARG_INVALID.
 */
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { EngineEvent } from '../contract/engine';
import type { Result } from '../contract/errors';
import { decodeMessage, encodeMessage, newWireMemo } from '../contract/wire-codec';
import type { WireMemo } from '../contract/wire-codec';
import type { EngineClient } from '../worker/engine-client';
import { isStudioMethod } from '../worker/studio-methods';

/** Largest request frame a page may send (masks are small; this only stops abuse). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_INVALID = 1007;
/** Answers sent as memo frames: a mask edit's explanation repeats most of the previous one. */
const MEMO_METHODS: ReadonlySet<string> = new Set(['explain']);

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function send(ws: WebSocket, message: unknown, memo?: WireMemo): void {
  if (ws.readyState !== ws.OPEN) return;
  let frame: Uint8Array;
  try {
    frame = encodeMessage(message, memo);
  } catch (err) {
    const id = (message as { id?: number }).id;
    frame = encodeMessage({ id, result: { ok: false, error: { code: 'INTERNAL', message: `cannot encode the answer: ${err instanceof Error ? err.message : String(err)}` } } });
  }
  ws.send(frame, { binary: true });
}

type Reply = { id: number; result: Result<unknown>; method: string };

async function answer(engine: EngineClient, request: unknown): Promise<Reply | null> {
  const r = request as { id?: unknown; method?: unknown; params?: unknown } | null;
  if (!r || typeof r !== 'object' || !Number.isSafeInteger(r.id)) return null;
  const id = r.id as number;
  if (!isStudioMethod(r.method)) {
    return { id, method: '', result: { ok: false, error: { code: 'ARG_INVALID', message: `unknown method ${JSON.stringify(r.method)}` } } };
  }
  const result = await engine.call(r.method, (r.params ?? {}) as never);
  return { id, result, method: r.method };
}

/** The socket side of the host: a WebSocketServer without its own HTTP server (upgrades are vetted first). */
export function createRpcSocket(engine: EngineClient): { wss: WebSocketServer; close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  wss.on('connection', (ws) => {
    // What the page holds of the last memo frame; answers are sent in order, so it stays in step with the page's.
    const memo = newWireMemo();
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(CLOSE_UNSUPPORTED, 'binary frames only');
      let request: unknown;
      try {
        request = decodeMessage(toBytes(data));
      } catch {
        return ws.close(CLOSE_INVALID, 'malformed frame');
      }
      void answer(engine, request).then((reply) => {
        if (!reply) return ws.close(CLOSE_INVALID, 'expected { id, method, params }');
        const { id, result } = reply;
        send(ws, { id, result }, MEMO_METHODS.has(reply.method) && result.ok ? memo : undefined);
      });
    });
  });
  const off = engine.onEvent((event: EngineEvent) => {
    for (const ws of wss.clients) send(ws, { event });
  });
  return {
    wss,
    close() {
      off();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
