import type { StudioMethod } from '#contract/api';
import type { EngineClient } from '../worker/protocol/engine-client';
import { STUDIO_METHODS } from '#contract/studio-methods';
import { broadcastEvent, handle } from './typed-ipc';

/** Routes one contract method to the engine worker, where the studio's state lives. */
function route<M extends StudioMethod>(engine: EngineClient, method: M): void {
  handle(method, (params) => engine.call(method, params));
}

/** Registers every StudioMethod's IPC handler and forwards the engine's events to the page. */
export function registerStudioIpc(engine: EngineClient): void {
  for (const method of STUDIO_METHODS) route(engine, method);
  engine.onEvent(broadcastEvent);
}
