import type { BackendInfo, BackendName, EngineEvent } from '#contract/worker-protocol';
import { startEngine, unwrap } from '../worker/protocol/engine-client';
import type { EngineClient } from '../worker/protocol/engine-client';
import type { CliIo } from './command';
import { prepareHeadlessGpuEnv } from '../engine/webgpu/dawn-device';

/**
 * Runs `fn` against a fresh engine worker whose backend is chosen first (and reported on
 * stderr), forwarding its events to `onEvent`; the worker is always closed.
 */
export async function withEngine<T>(io: CliIo, backend: BackendName | undefined, fn: (engine: EngineClient, backend: BackendInfo) => Promise<T>, onEvent?: (e: EngineEvent) => void): Promise<T> {
  // Before the engine thread starts: native code sees only this thread's environment.
  prepareHeadlessGpuEnv();
  const engine = startEngine();
  const off = onEvent ? engine.onEvent(onEvent) : () => {};
  try {
    const info = unwrap(await engine.call('init', { backend }));
    io.err(`backend: ${info.label}${info.skipped.length ? ` (skipped: ${info.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
    return await fn(engine, info);
  } finally {
    off();
    await engine.close();
  }
}
