/**
 * The one bridge between the studio and its shell. In Electron the preload exposes the contract
 * as `window.dar`; in a browser the page talks to `dar serve` over a WebSocket (token from the
 * page URL, binary frames from the shared wire codec). Stores call this module; components never do.
 */
import type { CallOptions, StudioApi, StudioMethod, StudioMethods } from '#contract/api';
import type { Result } from '#contract/errors';
import { STUDIO_METHODS } from '#contract/studio-methods';
import { decodeMessage, encodeMessage, WIRE_SOCKET_PATH } from '#contract/wire-codec';
import { createSocketClient, type ConnectionState, type SocketClient } from './socket-client';

declare global {
  interface Window {
    /** The Electron preload's contract object (absent in the browser studio). */
    dar?: StudioApi;
  }
}

/** Builds the StudioApi over a socket client: one function per contract method. */
export function studioApiOver(client: SocketClient): StudioApi {
  const api: Partial<Record<StudioMethod, unknown>> = {};
  for (const method of STUDIO_METHODS) {
    api[method] = (params: unknown, options?: CallOptions<StudioMethod>) => client.call(method, params, options?.onPreview as ((p: unknown) => void) | undefined);
  }
  return { ...(api as Omit<StudioApi, 'onEvent'>), onEvent: (listener) => client.onEvent(listener) };
}

/** The WebSocket URL of the host that served this page, carrying the page's token. */
export function socketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WIRE_SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

let current: StudioApi | null = null;
let client: SocketClient | null = null;
const stateListeners = new Set<(state: ConnectionState) => void>();

function connect(): StudioApi {
  if (typeof window !== 'undefined' && window.dar) return window.dar;
  client = createSocketClient({ url: socketUrl(window.location), codec: { encode: encodeMessage, decode: decodeMessage } });
  client.onState((s) => stateListeners.forEach((l) => l(s)));
  return studioApiOver(client);
}

/** The studio API of this shell (connects on first use). */
export function bridge(): StudioApi {
  current ??= connect();
  return current;
}

/** Calls one contract method (`options.onPreview`: its preview, where the method has one and the shell sends it). */
export function call<M extends StudioMethod>(method: M, params: StudioMethods[M][0], options?: CallOptions<M>): Promise<Result<StudioMethods[M][1]>> {
  const fn = bridge()[method] as (p: StudioMethods[M][0], o?: CallOptions<M>) => Promise<Result<StudioMethods[M][1]>>;
  return fn(params, options);
}

/** Replaces the bridge (tests swap in a fake StudioApi; null reconnects on next use). */
export function setBridge(api: StudioApi | null): void {
  current = api;
}

/** Connection state of the browser host socket; Electron's IPC is always 'open'. */
export function connectionState(): ConnectionState {
  return client?.state ?? 'open';
}

/** Listens to connection changes; returns the unsubscribe function. */
export function onConnectionState(listener: (state: ConnectionState) => void): () => void {
  stateListeners.add(listener);
  return () => stateListeners.delete(listener);
}
