/**
 * The compute backend ladder, chosen once at start: WebGPU through Dawn (`webgpu`, optional;
 * never a software adapter unless forced, see webgpu/) -> TensorFlow native with CUDA
 * (`@tensorflow/tfjs-node-gpu`) -> TensorFlow native on the CPU (`@tensorflow/tfjs-node`) ->
 * WebAssembly (`@tensorflow/tfjs-backend-wasm`, shipped with the app, always works) -> pure JS.
 * The native packages are optional dependencies whose binary download often fails, so they are
 * loaded lazily and a failure just moves one rung down.
 */
import type { BackendInfo, BackendName } from '#contract/worker-protocol';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { DarError } from './errors';
import { loadWebGpu } from './webgpu/webgpu-rung';

/** The rungs of the ladder, best first. */
export type { BackendInfo, BackendName } from '#contract/worker-protocol';

/** The ladder's order: what `initBackend()` tries without a preference. */
export const BACKEND_LADDER: readonly BackendName[] = ['webgpu', 'gpu', 'native', 'wasm', 'cpu'];

/** Options of `initBackend`. */
export interface BackendOptions {
  /** Force one rung (fails with BACKEND_UNAVAILABLE if it cannot load); default: DAR_BACKEND, else the ladder. */
  prefer?: BackendName;
  /** Folder holding the tfjs-backend-wasm `.wasm` binaries (e.g. unpacked from an asar); default: the package's dist. */
  wasmDir?: string;
}

type Loaded = Omit<BackendInfo, 'name' | 'skipped'>;

/** Environment variable that forces a rung, like `prefer`. */
export const BACKEND_ENV = 'DAR_BACKEND';

/** The rung DAR_BACKEND asks for; unset, empty or 'auto' means the ladder. */
export function backendFromEnv(env: NodeJS.ProcessEnv = process.env): BackendName | undefined {
  const raw = env[BACKEND_ENV]?.trim().toLowerCase();
  if (!raw || raw === 'auto') return undefined;
  if ((BACKEND_LADDER as readonly string[]).includes(raw)) return raw as BackendName;
  throw new DarError('ARG_INVALID', `${BACKEND_ENV}: expected one of auto, ${BACKEND_LADDER.join(', ')}, got "${raw}"`);
}

function message(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

/** setBackend that turns tfjs's "return false and console.warn" into an error with a reason. */
async function activate(tfName: string, what: string): Promise<void> {
  if (tf.findBackendFactory(tfName) == null) {
    throw new Error(`${what} loaded but no '${tfName}' backend is registered on this tfjs-core (a second tfjs-core copy?)`);
  }
  if (!(await tf.setBackend(tfName))) throw new Error(`${what}: tf.setBackend('${tfName}') failed to initialise`);
}

async function loadNative(pkg: string, label: string): Promise<Loaded> {
  try {
    // A variable specifier keeps bundlers and the type checker from requiring the optional package.
    await import(/* @vite-ignore */ pkg);
  } catch (err) {
    throw new Error(`${pkg} could not be loaded: ${message(err)}`);
  }
  await activate('tensorflow', pkg);
  return { tfBackend: 'tensorflow', label };
}

/** Absolute folder (with trailing separator) of the tfjs-backend-wasm binaries. */
export function defaultWasmDir(): string {
  const main = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

let wasmPathsSet = false;

async function loadWasm(wasmDir?: string): Promise<Loaded> {
  if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') throw new Error('this runtime has no WebAssembly');
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathsSet && tf.engine().registry['wasm'] == null) {
    const dir = wasmDir ? path.resolve(wasmDir) + path.sep : defaultWasmDir();
    const simdFile = path.join(dir, 'tfjs-backend-wasm-simd.wasm');
    if (!existsSync(simdFile)) throw new Error(`WebAssembly binary not found: ${simdFile}`);
    // In Node, emscripten reads the binary with fs from prefix + file name, so a folder path works.
    wasm.setWasmPaths(dir);
    wasmPathsSet = true;
  }
  // tfjs has no Node worker-thread support: force the single-threaded (SIMD) binary.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  await activate('wasm', '@tensorflow/tfjs-backend-wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = Math.max(1, wasm.getThreadsCount());
  const label = `WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`;
  return { tfBackend: 'wasm', label, simd, threads };
}

async function loadCpu(): Promise<Loaded> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu', '@tensorflow/tfjs-backend-cpu');
  // The cpu backend prints an "install tfjs-node" banner on first use; we already said which rung runs.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  return { tfBackend: 'cpu', label: 'JavaScript (cpu, slow)' };
}

function load(name: BackendName, options: BackendOptions, forced: boolean): Promise<Loaded> {
  switch (name) {
    case 'webgpu':
      // Forcing webgpu may use a software adapter (how it is tested without a GPU); the ladder never does.
      return loadWebGpu(forced, activate);
    case 'gpu':
      return loadNative('@tensorflow/tfjs-node-gpu', 'TensorFlow native (CUDA)');
    case 'native':
      return loadNative('@tensorflow/tfjs-node', 'TensorFlow native (CPU)');
    case 'wasm':
      return loadWasm(options.wasmDir);
    case 'cpu':
      return loadCpu();
  }
}

/**
 * Makes one backend active in tfjs-core and says which. With a preference (option or
 * DAR_BACKEND) exactly that rung is loaded or BACKEND_UNAVAILABLE names why not; otherwise the
 * ladder is walked top-down and the rungs that failed are reported in `skipped`.
 */
export async function initBackend(options: BackendOptions = {}): Promise<BackendInfo> {
  const prefer = options.prefer ?? backendFromEnv();
  if (prefer !== undefined && !BACKEND_LADDER.includes(prefer)) {
    throw new DarError('ARG_INVALID', `backend: expected one of ${BACKEND_LADDER.join(', ')}, got "${String(prefer)}"`);
  }
  const rungs = prefer ? [prefer] : BACKEND_LADDER;
  const skipped: BackendInfo['skipped'] = [];
  for (const name of rungs) {
    try {
      return { name, ...(await load(name, options, prefer === name)), skipped };
    } catch (err) {
      skipped.push({ name, reason: message(err) });
    }
  }
  const reasons = skipped.map((s) => `${s.name}: ${s.reason}`).join('; ');
  throw new DarError('BACKEND_UNAVAILABLE', prefer ? `backend ${prefer} unavailable (${reasons})` : `no backend could be loaded (${reasons})`);
}
