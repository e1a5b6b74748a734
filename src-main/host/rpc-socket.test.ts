import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Result } from '../contract/errors';
import { decodeMessage, encodeMessage } from '../contract/wire-codec';
import type { EngineClient } from '../worker/engine-client';
import { createRpcSocket } from './rpc-socket';

// A stand-in engine that answers every call with its method name: this tests the socket's routing only.
const calls: string[] = [];
const engine: EngineClient = {
  call: async (method) => {
    calls.push(method);
    return { ok: true, value: method } as never;
  },
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
});
