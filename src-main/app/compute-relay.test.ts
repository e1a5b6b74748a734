import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { decodeCompute, encodeCompute } from '../engine/compute/compute-protocol';
import { relayFrames } from './compute-relay';

/** Two fakes with the shapes of a worker_threads port and a MessagePortMain. */
function ports() {
  const engine = Object.assign(new EventEmitter(), { sent: [] as unknown[], postMessage(value: unknown) { this.sent.push(value); } });
  const win = Object.assign(new EventEmitter(), { sent: [] as unknown[], started: false, closed: false, postMessage(value: unknown) { this.sent.push(value); }, start() { this.started = true; }, close() { this.closed = true; } });
  return { engine, win };
}

describe('the compute relay (Electron main)', () => {
  it('moves frames both ways untouched and drops anything that is not a frame', () => {
    const { engine, win } = ports();
    relayFrames(engine, win);
    expect(win.started).toBe(true);
    const call = encodeCompute({ id: 1, request: { op: 'dispose', model: 1 } });
    engine.emit('message', call);
    engine.emit('message', { not: 'a frame' });
    expect(win.sent).toEqual([call]);
    const answer = encodeCompute({ kind: 'answer', id: 1, ok: true, value: null });
    win.emit('message', { data: answer });
    win.emit('message', { data: 'text' });
    expect(engine.sent).toEqual([answer]);
  });

  it("says 'lost' to the engine once, with the reason, and relays nothing after", () => {
    const { engine, win } = ports();
    const relay = relayFrames(engine, win);
    relay.lost('its renderer crashed (exit code 139)');
    relay.lost('it was closed');
    expect(relay.ended).toBe(true);
    expect(win.closed).toBe(true);
    expect(engine.sent.map((f) => decodeCompute(f as Uint8Array))).toEqual([{ kind: 'lost', reason: 'its renderer crashed (exit code 139)' }]);
    engine.emit('message', encodeCompute({ id: 2, request: { op: 'dispose', model: 1 } }));
    win.emit('message', { data: encodeCompute({ kind: 'answer', id: 2, ok: true, value: null }) });
    expect(win.sent).toEqual([]);
    expect(engine.sent).toHaveLength(1);
  });
});
