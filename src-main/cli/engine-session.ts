import type { BackendName, EngineEvent } from '../contract/engine';
import { DarError } from '../engine/errors';
import { startEngine, unwrap } from '../worker/protocol/engine-client';
import type { EngineClient } from '../worker/protocol/engine-client';
import type { ParsedArgs } from './args';
import { stringFlag } from './args';
import type { CliIo } from './command';

const BACKENDS: readonly BackendName[] = ['gpu', 'native', 'wasm', 'cpu'];

/** The --backend flag, checked. */
export function backendFlag(args: ParsedArgs): BackendName | undefined {
  const b = stringFlag(args, 'backend');
  if (b === undefined || b === 'auto') return undefined;
  if (!BACKENDS.includes(b as BackendName)) throw new DarError('ARG_INVALID', `--backend must be one of auto, ${BACKENDS.join(', ')}; got "${b}"`);
  return b as BackendName;
}

/**
 * Runs `fn` against a fresh engine worker whose backend is chosen first (and reported on
 * stderr), forwarding its events to `onEvent`; the worker is always closed.
 */
export async function withEngine<T>(io: CliIo, backend: BackendName | undefined, fn: (engine: EngineClient) => Promise<T>, onEvent?: (e: EngineEvent) => void): Promise<T> {
  const engine = startEngine();
  const off = onEvent ? engine.onEvent(onEvent) : () => {};
  try {
    const info = unwrap(await engine.call('init', { backend }));
    io.err(`backend: ${info.label}${info.skipped.length ? ` (skipped: ${info.skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})` : ''}`);
    return await fn(engine);
  } finally {
    off();
    await engine.close();
  }
}
