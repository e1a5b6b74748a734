/**
 * The browser host's side of the bridge: one WebSocket carrying binary frames (the wire codec),
 * requests matched to responses by id, events fanned out to listeners, and reconnection with
 * exponential backoff. Requests made while the socket is down wait for it.
 */
import type { EngineEvent } from '#contract/worker-protocol';
import type { ErrorInfo, Result } from '#contract/errors';
import type { WireMemo } from '#contract/wire-codec';

/** Encodes and decodes one message as one binary frame. */
export interface MessageCodec {
  encode(message: unknown): ArrayBuffer | Uint8Array;
  /** `memo` is the connection's (contract/wire-codec.ts WireMemo): memo frames refer to it and replace it. */
  decode(frame: ArrayBuffer | Uint8Array, memo?: WireMemo): unknown;
}

/** The part of WebSocket the client uses (a fake in tests). */
export interface SocketLike {
  binaryType: string;
  send(data: ArrayBuffer | Uint8Array): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

/** Where the connection stands, for the status bar. */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

/** Options of createSocketClient. */
export interface SocketClientOptions {
  url: string;
  codec: MessageCodec;
  /** Opens a socket [new WebSocket(url)]. */
  createSocket?: (url: string) => SocketLike;
  /** First retry delay in ms [250]; doubles per failure up to maxDelayMs [5000]. */
  initialDelayMs?: number;
  maxDelayMs?: number;
  /** Timer used for the backoff [setTimeout]. */
  schedule?: (fn: () => void, ms: number) => unknown;
  /**
   * Runs `fn` once the page has painted what a preview changed [after the next animation frame,
   * or 50 ms at most (a hidden page has no frames)]. Frames that arrive meanwhile wait, in order,
   * so decoding a large answer does not push back the frame that shows the preview's numbers.
   */
  afterPaint?: (fn: () => void) => void;
}

function afterNextPaint(fn: () => void): void {
  let done = false;
  const release = (): void => {
    if (done) return;
    done = true;
    fn();
  };
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(release, 0));
  setTimeout(release, 50);
}

/** A connected request/response + event channel. */
export interface SocketClient {
  /** `onPreview` gets the `{ id, preview }` frames the host may send ahead of the answer. */
  call(method: string, params: unknown, onPreview?: (preview: unknown) => void): Promise<Result<unknown>>;
  onEvent(listener: (event: EngineEvent) => void): () => void;
  onState(listener: (state: ConnectionState) => void): () => void;
  readonly state: ConnectionState;
  close(): void;
}

type Pending = { resolve: (r: Result<unknown>) => void; frame: ArrayBuffer | Uint8Array; onPreview?: (preview: unknown) => void };

const LOST: ErrorInfo = { code: 'CONNECTION_LOST', message: 'the connection to the studio host dropped before it answered' };

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
}

function isResult(x: unknown): x is Result<unknown> {
  return isObject(x) && (x.ok === true || (x.ok === false && isObject(x.error) && typeof x.error.code === 'string'));
}

/** Connects to the host and keeps reconnecting until closed. */
export function createSocketClient(options: SocketClientOptions): SocketClient {
  const { url, codec } = options;
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
  const schedule = options.schedule ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const initialDelay = options.initialDelayMs ?? 250;
  const maxDelay = options.maxDelayMs ?? 5000;
  const inFlight = new Map<number, Pending>();
  const queued: number[] = [];
  const events = new Set<(event: EngineEvent) => void>();
  const states = new Set<(state: ConnectionState) => void>();
  let socket: SocketLike | null = null;
  /** The host's memo frames refer back to the last one on this socket: fresh for every socket. */
  let memo: WireMemo = { arrays: [] };
  let state: ConnectionState = 'connecting';
  let open = false;
  let nextId = 1;
  let delay = initialDelay;
  let closed = false;
  const afterPaint = options.afterPaint ?? afterNextPaint;
  /** Frames that arrived after a preview, waiting for the preview to be painted (in order). */
  const waiting: unknown[] = [];
  let holding = false;

  const release = (): void => {
    holding = false;
    while (!holding && waiting.length > 0) receive(waiting.shift());
  };
  const hold = (): void => {
    if (holding) return;
    holding = true;
    afterPaint(release);
  };

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    for (const l of states) l(s);
  };

  const flush = (): void => {
    while (open && socket && queued.length > 0) {
      const p = inFlight.get(queued.shift()!);
      if (p) socket.send(p.frame);
    }
  };

  const receive = (data: unknown): void => {
    let message: unknown;
    try {
      message = codec.decode(data as ArrayBuffer, memo);
    } catch {
      return; // A frame we cannot read answers nothing; its request fails when the socket drops.
    }
    if (!isObject(message)) return;
    if (typeof message.id === 'number') {
      const p = inFlight.get(message.id);
      if (!p) return;
      if ('preview' in message && !('result' in message)) {
        if (!p.onPreview) return;
        p.onPreview(message.preview);
        return hold();
      }
      inFlight.delete(message.id);
      p.resolve(isResult(message.result) ? message.result : { ok: false, error: { code: 'INTERNAL', message: 'malformed response from the host' } });
    } else if (isObject(message.event) && typeof message.event.type === 'string') {
      for (const l of events) l(message.event as unknown as EngineEvent);
    }
  };

  const connect = (): void => {
    const s = createSocket(url);
    socket = s;
    memo = { arrays: [] };
    s.binaryType = 'arraybuffer';
    s.onopen = () => {
      open = true;
      delay = initialDelay;
      setState('open');
      flush();
    };
    s.onmessage = (ev) => {
      if (holding || waiting.length > 0) waiting.push(ev.data);
      else receive(ev.data);
    };
    s.onerror = () => undefined; // onclose follows and handles it.
    s.onclose = () => {
      if (socket !== s) return;
      // Answers that arrived before the drop still count (they need this socket's memo).
      release();
      const wasOpen = open;
      open = false;
      socket = null;
      // Sent requests may or may not have run: fail them; queued ones wait for the next socket.
      for (const [id, p] of inFlight) {
        if (queued.includes(id)) continue;
        inFlight.delete(id);
        p.resolve({ ok: false, error: LOST });
      }
      if (closed) return;
      setState('reconnecting');
      const wait = wasOpen ? initialDelay : delay;
      delay = Math.min(maxDelay, delay * 2);
      schedule(connect, wait);
    };
  };

  connect();

  return {
    call(method, params, onPreview) {
      const id = nextId++;
      const frame = codec.encode({ id, method, params });
      return new Promise((resolve) => {
        inFlight.set(id, { resolve, frame, onPreview });
        queued.push(id);
        flush();
      });
    },
    onEvent(listener) {
      events.add(listener);
      return () => events.delete(listener);
    },
    onState(listener) {
      states.add(listener);
      return () => states.delete(listener);
    },
    get state() {
      return state;
    },
    close() {
      closed = true;
      socket?.close();
    },
  };
}
