/**
 * The contract over a WebSocket: binary frames of the wire codec (contract/wire-codec.ts),
 * requests routed to the engine worker, engine events broadcast to every page. Only the
 * studio's own methods are callable; anything else is answered with ARG_INVALID. Answers are
 * encoded on the engine thread (worker/protocol/answer-frames.ts), so this thread only moves bytes.
 */
import type { RawData, WebSocket } from 'ws';
import { WebSocketServer } from 'ws';
import type { EngineEvent } from '#contract/worker-protocol';
import { decodeMessage, encodeMessage } from '#contract/wire-codec';
import type { EngineClient } from '../worker/protocol/engine-client';
import { isStudioMethod } from '#contract/studio-methods';

/** Largest request frame a page may send (masks are small; this only stops abuse). */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;
const CLOSE_UNSUPPORTED = 1003;
const CLOSE_INVALID = 1007;

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

function sendFrame(ws: WebSocket, frame: Uint8Array): void {
  if (ws.readyState === ws.OPEN) ws.send(frame, { binary: true });
}

/** The socket side of the host: a WebSocketServer without its own HTTP server (upgrades are vetted first). */
export function createRpcSocket(engine: EngineClient): { wss: WebSocketServer; close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_BYTES });
  let nextConnection = 1;
  wss.on('connection', (ws) => {
    // The engine keeps this page's memo (explain answers refer back to the previous one) until it goes.
    const conn = nextConnection++;
    ws.on('close', () => engine.forget(conn));
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return ws.close(CLOSE_UNSUPPORTED, 'binary frames only');
      let request: { id?: unknown; method?: unknown; params?: unknown } | null;
      try {
        request = decodeMessage(toBytes(data)) as typeof request;
      } catch {
        return ws.close(CLOSE_INVALID, 'malformed frame');
      }
      if (!request || typeof request !== 'object' || !Number.isSafeInteger(request.id)) return ws.close(CLOSE_INVALID, 'expected { id, method, params }');
      const id = request.id as number;
      if (!isStudioMethod(request.method)) {
        return sendFrame(ws, encodeMessage({ id, result: { ok: false, error: { code: 'ARG_INVALID', message: `unknown method ${JSON.stringify(request.method)}` } } }));
      }
      // Frames come back in the order the engine finishes; the memo's order is the engine's too.
      // A preview frame (explain's predictions) goes out the moment the engine has it.
      void engine.callFrame(request.method, request.params ?? {}, conn, id, (preview) => sendFrame(ws, preview)).then((frame) => sendFrame(ws, frame));
    });
  });
  const off = engine.onEvent((event: EngineEvent) => {
    if (wss.clients.size === 0) return;
    let frame: Uint8Array;
    try {
      frame = encodeMessage({ event });
    } catch {
      return; // an event that cannot be encoded is dropped, never the host
    }
    for (const ws of wss.clients) sendFrame(ws, frame);
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
