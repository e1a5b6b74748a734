/**
 * The main process's part of the compute link: it moves frames between the engine thread's port
 * (worker_threads) and the compute window's port (MessageChannelMain) without reading them, and
 * says 'lost' to the engine, in the protocol's own words, when the window goes. No Electron
 * import (the ports are structural): tested in plain Node.
 */
import { encodeCompute, transferOf } from '../engine/compute/compute-protocol';

/** The engine thread's end as main holds it (a worker_threads MessagePort). */
export interface EnginePortLike {
  postMessage(value: unknown, transfer?: ArrayBuffer[]): void;
  on(event: 'message', listener: (value: unknown) => void): unknown;
  off(event: 'message', listener: (value: unknown) => void): unknown;
}

/** The window's end as main holds it (a MessagePortMain). */
export interface WindowPortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}

function asFrame(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return null;
}

/** A relay between the engine and one window; `lost` ends it and tells the engine why (once). */
export interface ComputeRelay {
  lost(reason: string): void;
  readonly ended: boolean;
}

/** Starts relaying frames both ways; anything that is not a frame is dropped. */
export function relayFrames(engine: EnginePortLike, window: WindowPortLike): ComputeRelay {
  let ended = false;
  const toWindow = (value: unknown): void => {
    const frame = asFrame(value);
    if (frame && !ended) window.postMessage(frame);
  };
  engine.on('message', toWindow);
  window.on('message', ({ data }) => {
    const frame = asFrame(data);
    if (frame && !ended) engine.postMessage(frame, transferOf(frame));
  });
  window.start();
  return {
    get ended() {
      return ended;
    },
    lost(reason: string) {
      if (ended) return;
      ended = true;
      engine.off('message', toWindow);
      window.close();
      sayLost(engine, reason);
    },
  };
}

/** Tells the engine the compute page is gone, in the protocol's own words. */
export function sayLost(engine: Pick<EnginePortLike, 'postMessage'>, reason: string): void {
  const frame = encodeCompute({ kind: 'lost', reason });
  engine.postMessage(frame, transferOf(frame));
}
