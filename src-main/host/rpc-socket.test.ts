import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '#contract/errors';
import { decodeMessage, encodeMessage, newWireMemo } from '#contract/wire-codec';
import { AnswerFrames } from '../worker/protocol/answer-frames';
import type { EngineClient } from '../worker/protocol/engine-client';
import { createRpcSocket } from './rpc-socket';

// A stand-in engine that answers every call with its method name (explain: a masked and a complete
// branch), framed as the engine thread frames them: this tests the socket only.
const calls: string[] = [];
const forgotten: number[] = [];
const COMPLETE = Float32Array.from({ length: 2048 }, (_, i) => Math.cos(i));
const frames = new AnswerFrames();
const engine: EngineClient = {
  call: async (method, params) => {
    calls.push(method);
    const masked = Float32Array.of((params as { index?: number }).index ?? 0);
    return { ok: true, value: method === 'explain' ? { masked, complete: Float32Array.from(COMPLETE) } : method } as never;
  },
  callFrame: async (method, params, conn, pageId, onPreview) => {
    const result = await engine.call(method, params as never);
    if (method === 'explain') onPreview?.(encodeMessage({ id: pageId, preview: { index: (params as { index: number }).index } }));
    return frames.encode(conn, pageId, method, result);
  },
  forget: (conn) => void forgotten.push(conn),
  onEvent: () => () => {},
  close: async () => {},
};

describe('rpc socket', () => {
  const server = createServer();
  const rpc = createRpcSocket(engine);
  server.on('upgrade', (req, socket, head) => rpc.wss.handleUpgrade(req, socket, head, (ws) => rpc.wss.emit('connection', ws, req)));
  let ws: WebSocket;

  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    ws = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await new Promise((r) => ws.once('open', r));
  });
  afterAll(() => {
    ws.close();
    rpc.close();
    server.close();
  });

  const ask = (id: number, method: string): Promise<Result<unknown>> =>
    new Promise((resolve) => {
      ws.on('message', function on(data: Buffer) {
        const m = decodeMessage(new Uint8Array(data)) as { id: number; result: Result<unknown> };
        if (m.id !== id) return;
        ws.off('message', on);
        resolve(m.result);
      });
      ws.send(encodeMessage({ id, method, params: {} }));
    });

  it('routes the training, robustness, experiment and feature-space methods to the engine', async () => {
    const methods = ['trainingDefaults', 'startTraining', 'stopTraining', 'resumeTraining', 'trainingStatus', 'listCheckpoints', 'openCheckpoint', 'runRobustness', 'exportRobustness', 'queueExperiments', 'listJobs', 'cancelJob', 'resumeJobs', 'featureProjection'];
    for (const [i, m] of methods.entries()) expect(await ask(i + 1, m)).toEqual({ ok: true, value: m });
    expect(calls).toEqual(methods);
  });

  it('refuses the engine’s own methods (train, evaluate, mediaFile) from a page', async () => {
    for (const [i, m] of ['train', 'evaluate', 'mediaFile', 'init'].entries()) {
      const r = await ask(100 + i, m);
      expect(r).toMatchObject({ ok: false, error: { code: 'ARG_INVALID' } });
    }
    expect(calls).not.toContain('train');
  });
  it('answers explain with memo frames (a repeated complete branch is not sent again), each after its preview', async () => {
    const memo = newWireMemo();
    const got: Uint8Array[] = [];
    const previews: unknown[] = [];
    const explain = (id: number, index: number): Promise<{ masked: Float32Array; complete: Float32Array }> =>
      new Promise((resolve) => {
        ws.on('message', function on(data: Buffer) {
          const frame = new Uint8Array(data);
          const m = decodeMessage(frame, memo) as { id: number; preview?: unknown; result?: Result<{ masked: Float32Array; complete: Float32Array }> };
          if (m.id === id && m.preview) previews.push(m);
          if (m.id !== id || !m.result?.ok) return;
          ws.off('message', on);
          got.push(frame);
          resolve(m.result.value);
        });
        ws.send(encodeMessage({ id, method: 'explain', params: { index } }));
      });
    const first = await explain(200, 1);
    expect(previews).toEqual([{ id: 200, preview: { index: 1 } }]);
    const second = await explain(201, 2);
    expect(previews).toHaveLength(2);
    expect(Array.from(second.masked)).toEqual([2]);
    expect(Array.from(second.complete)).toEqual(Array.from(first.complete));
    expect(got[0].byteLength).toBeGreaterThan(COMPLETE.byteLength);
    expect(got[1].byteLength).toBeLessThan(COMPLETE.byteLength / 4);
    expect(() => decodeMessage(got[1])).toThrow(/memo/);
  });

  it('tells the engine to forget a page connection once it closes', async () => {
    const other = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await new Promise((r) => other.once('open', r));
    const before = forgotten.length;
    other.close();
    await expect.poll(() => forgotten.length).toBe(before + 1);
  });
});
