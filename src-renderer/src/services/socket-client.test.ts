import { describe, expect, it } from 'vitest';
import { decodeMessage, encodeMessage, newWireMemo } from '#contract/wire-codec';
import { createSocketClient, type MessageCodec, type SocketLike } from './socket-client';

// A JSON codec stands in for the wire codec: the client only needs encode/decode to round-trip.
const codec: MessageCodec = {
  encode: (m) => new TextEncoder().encode(JSON.stringify(m)),
  decode: (f) => JSON.parse(new TextDecoder().decode(f)),
};

class FakeSocket implements SocketLike {
  binaryType = 'blob';
  sent: unknown[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  send(data: ArrayBuffer | Uint8Array): void {
    this.sent.push(codec.decode(data));
  }
  close(): void {
    this.onclose?.({});
  }
  reply(message: unknown): void {
    this.onmessage?.({ data: codec.encode(message) });
  }
}

function setup() {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; ms: number }[] = [];
  const paints: (() => void)[] = [];
  const client = createSocketClient({
    afterPaint: (fn) => paints.push(fn),
    url: 'ws://x/ws?token=t',
    codec,
    createSocket: () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s;
    },
    schedule: (fn, ms) => timers.push({ fn, ms }),
  });
  return { client, sockets, timers, paints };
}

describe('the host socket client', () => {
  it('queues requests until the socket opens, then matches responses by id', async () => {
    const { client, sockets } = setup();
    const a = client.call('getOverview', {});
    const b = client.call('getClip', { split: 'test', index: 2 });
    expect(sockets[0].sent).toHaveLength(0);
    sockets[0].onopen?.({});
    expect(sockets[0].sent).toEqual([
      { id: 1, method: 'getOverview', params: {} },
      { id: 2, method: 'getClip', params: { split: 'test', index: 2 } },
    ]);
    sockets[0].reply({ id: 2, result: { ok: true, value: 'clip' } });
    sockets[0].reply({ id: 1, result: { ok: false, error: { code: 'ARG_INVALID', message: 'no' } } });
    expect(await b).toEqual({ ok: true, value: 'clip' });
    expect(await a).toEqual({ ok: false, error: { code: 'ARG_INVALID', message: 'no' } });
  });

  it('hands a preview to its request, and holds what follows until the preview is painted, in order', async () => {
    const { client, sockets, paints } = setup();
    sockets[0].onopen?.({});
    const previews: unknown[] = [];
    const seen: string[] = [];
    client.onEvent((e) => seen.push(e.type));
    const settled: string[] = [];
    const r = client.call('explain', {}, (p) => previews.push(p));
    void r.then(() => settled.push('explain'));
    const other = client.call('explain', {});
    void other.then(() => settled.push('other'));
    sockets[0].reply({ id: 2, preview: { masked: 9, complete: 9 } }); // a call without a listener ignores it, and holds nothing
    sockets[0].reply({ id: 7, preview: { masked: 9, complete: 9 } }); // no such request
    sockets[0].reply({ id: 1, preview: { masked: 0.5, complete: 1 } });
    expect(previews).toEqual([{ masked: 0.5, complete: 1 }]);
    sockets[0].reply({ id: 1, result: { ok: true, value: 'whole' } });
    sockets[0].reply({ event: { type: 'log', level: 'info', message: 'hi' } });
    sockets[0].reply({ id: 2, result: { ok: true, value: 'other' } });
    await Promise.resolve();
    expect(settled).toEqual([]);
    expect(seen).toEqual([]);
    expect(paints).toHaveLength(1);
    paints.shift()!();
    expect(await r).toEqual({ ok: true, value: 'whole' });
    expect(await other).toEqual({ ok: true, value: 'other' });
    expect(settled).toEqual(['explain', 'other']);
    expect(seen).toEqual(['log']);
  });

  it('still answers what arrived after a preview when the socket drops before the paint', async () => {
    const { client, sockets } = setup();
    sockets[0].onopen?.({});
    const r = client.call('explain', {}, () => undefined);
    sockets[0].reply({ id: 1, preview: { masked: 0, complete: 0 } });
    sockets[0].reply({ id: 1, result: { ok: true, value: 'whole' } });
    sockets[0].close();
    expect(await r).toEqual({ ok: true, value: 'whole' });
  });

  it('delivers events to every listener until unsubscribed', () => {
    const { client, sockets } = setup();
    const seen: string[] = [];
    const off = client.onEvent((e) => seen.push(e.type));
    client.onEvent((e) => seen.push(`2:${e.type}`));
    sockets[0].onopen?.({});
    sockets[0].reply({ event: { type: 'log', level: 'info', message: 'hi' } });
    off();
    sockets[0].reply({ event: { type: 'eval-progress', done: 1, total: 2 } });
    expect(seen).toEqual(['log', '2:log', '2:eval-progress']);
  });

  it('fails in-flight requests when the socket drops and reconnects with growing backoff', async () => {
    const { client, sockets, timers } = setup();
    const states: string[] = [];
    client.onState((s) => states.push(s));
    sockets[0].onopen?.({});
    const lost = client.call('explain', {});
    sockets[0].close();
    expect(await lost).toMatchObject({ ok: false, error: { code: 'CONNECTION_LOST' } });
    expect(timers[0].ms).toBe(250);
    timers[0].fn();
    sockets[1].close(); // refused: never opened
    timers[1].fn();
    sockets[2].close();
    expect(timers.map((t) => t.ms)).toEqual([250, 500, 1000]);
    timers[2].fn();
    const later = client.call('getAppInfo', {});
    sockets[3].onopen?.({});
    sockets[3].reply({ id: 2, result: { ok: true, value: 1 } });
    expect(await later).toEqual({ ok: true, value: 1 });
    expect(states).toEqual(['open', 'reconnecting', 'open']);
  });

  it('answers a malformed response with an INTERNAL error instead of hanging', async () => {
    const { client, sockets } = setup();
    sockets[0].onopen?.({});
    const r = client.call('getOverview', {});
    sockets[0].reply({ id: 1, result: 42 });
    expect(await r).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
  it('decodes the host memo frames with a memo of its own socket, fresh after a reconnect', async () => {
    const sockets: FakeSocket[] = [];
    const client = createSocketClient({
      url: 'ws://x/ws?token=t',
      codec: { encode: encodeMessage, decode: decodeMessage },
      createSocket: () => {
        const s = new FakeSocket();
        s.send = () => undefined; // requests are wire frames here, not the JSON stand-in
        sockets.push(s);
        return s;
      },
      schedule: (fn) => fn(),
    });
    const complete = Float32Array.from({ length: 64 }, (_, i) => i);
    const answer = (id: number, host: ReturnType<typeof newWireMemo>): Uint8Array => encodeMessage({ id, result: { ok: true, value: { masked: Float32Array.of(id), complete } } }, host);
    let host = newWireMemo();
    sockets[0].onopen?.({});
    const first = client.call('explain', {});
    sockets[0].onmessage?.({ data: answer(1, host) });
    const second = client.call('explain', {});
    sockets[0].onmessage?.({ data: answer(2, host) });
    expect(await first).toMatchObject({ ok: true, value: { masked: Float32Array.of(1), complete } });
    expect(await second).toMatchObject({ ok: true, value: { masked: Float32Array.of(2), complete } });
    sockets[0].close();
    host = newWireMemo(); // the host's memo is per connection too
    sockets[1].onopen?.({});
    const third = client.call('explain', {});
    sockets[1].onmessage?.({ data: answer(3, host) });
    expect(await third).toMatchObject({ ok: true, value: { masked: Float32Array.of(3), complete } });
    client.close();
  });
});
