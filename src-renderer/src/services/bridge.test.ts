import { describe, expect, it } from 'vitest';
import { encodeMessage, decodeMessage } from '#contract/wire-codec';
import { socketUrl, studioApiOver } from './bridge';
import { createSocketClient, type SocketLike } from './socket-client';

describe('the bridge', () => {
  it.each([
    [{ protocol: 'http:', host: '127.0.0.1:5173', search: '?token=abc%2F1' }, 'ws://127.0.0.1:5173/ws?token=abc%2F1'],
    [{ protocol: 'https:', host: 'h', search: '' }, 'wss://h/ws?token='],
  ])('connects to the page host with its token (%#)', (location, url) => {
    expect(socketUrl(location)).toBe(url);
  });

  it('sends each contract method as a request frame and returns typed arrays intact', async () => {
    const sent: unknown[] = [];
    let socket!: SocketLike;
    const client = createSocketClient({
      url: 'ws://x/ws?token=t',
      codec: { encode: encodeMessage, decode: decodeMessage },
      createSocket: () => {
        socket = {
          binaryType: '', onopen: null, onclose: null, onerror: null, onmessage: null,
          send: (d) => void sent.push(decodeMessage(d)), close: () => undefined,
        };
        return socket;
      },
    });
    const api = studioApiOver(client);
    socket.onopen?.({});
    const pending = api.getClip({ split: 'test', index: 4 });
    expect(sent).toEqual([{ id: 1, method: 'getClip', params: { split: 'test', index: 4 } }]);
    const intensity = Float32Array.from([0.25, 0.5]);
    const frame = encodeMessage({ id: 1, result: { ok: true, value: { intensity } } });
    socket.onmessage?.({ data: frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.byteLength) });
    const r = await pending;
    expect(r.ok && (r.value as unknown as { intensity: Float32Array }).intensity).toEqual(intensity);
  });
});
