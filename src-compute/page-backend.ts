/**
 * The compute page's backend ladder: Chromium's WebGPU (D3D12 on Windows, Metal on macOS, Vulkan
 * on Linux behind the switches app/compute-switches.ts turns on), never a software adapter unless
 * forced, accepted only after the engine's self-check; else tfjs's WebAssembly with SIMD and,
 * because the page is cross-origin isolated, its threaded binary on every core (`singleThread`:
 * the plain SIMD binary, the bench's baseline).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as wasm from '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendInfo, BackendName } from '#contract/worker-protocol';
import { adapterInfo, DEVICE_LIMITS } from '../src-main/engine/webgpu/dawn-device';
import type { DawnAdapter } from '../src-main/engine/webgpu/dawn-device';
import { chunkedAddN, selfCheck } from '../src-main/engine/webgpu/webgpu-checks';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

type Loaded = Omit<BackendInfo, 'name' | 'skipped'>;

/** Called when the GPU device is lost after the rung was chosen (driver reset, GPU process crash). */
export type OnDeviceLost = (reason: string) => void;

async function activate(name: string, what: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`${what}: tf.setBackend('${name}') failed to initialise`);
}

async function loadWebGpu(forced: boolean, onLost: OnDeviceLost): Promise<Loaded> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) throw new Error('this page has no navigator.gpu (WebGPU is off: on Linux it needs the Vulkan switches)');
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('navigator.gpu gave no adapter');
  const info = adapterInfo(adapter as unknown as DawnAdapter);
  if (info.software && !forced) throw new Error(`only a software adapter (${info.description || info.vendor || 'fallback'}), slower than WebAssembly`);
  const limits = adapter.limits as unknown as Record<string, number>;
  const requiredLimits = Object.fromEntries(DEVICE_LIMITS.filter((k) => typeof limits[k] === 'number').map((k) => [k, limits[k]]));
  const device = await adapter.requestDevice({ requiredLimits });
  let chosen = false;
  void device.lost.then((lost) => {
    if (chosen) onLost(`the GPU device was lost (${lost.reason}: ${lost.message})`);
  });
  if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info), 1);
  chunkedAddN(Math.max(2, (device.limits.maxStorageBuffersPerShaderStage ?? 8) - 1));
  try {
    await selfCheck(device, activate);
  } catch (err) {
    device.destroy();
    throw err;
  }
  chosen = true;
  const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
  return { tfBackend: 'webgpu', label: `WebGPU (${name}${info.software ? ', software' : ''}; Chromium)`, adapter: info };
}

/**
 * tfjs-backend-wasm 4.22's threaded binary sizes its pool as navigator.hardwareConcurrency / 2
 * (1 to 4), assuming two hyperthreads per core, and ignores setThreadsCount (checked here: 2 cores
 * gave 1 thread whatever was set). This worker computes nothing else: one thread per logical core.
 */
function widenThreadPool(): void {
  const cores = navigator.hardwareConcurrency || 1;
  Object.defineProperty(navigator, 'hardwareConcurrency', { value: cores * 2, configurable: true });
}

async function loadWasm(singleThread: boolean): Promise<Loaded> {
  wasm.setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });
  // Threads need SharedArrayBuffer, which only a cross-origin isolated page has (COOP + COEP).
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', globalThis.crossOriginIsolated === true && !singleThread);
  if (!singleThread) widenThreadPool();
  await activate('wasm', '@tensorflow/tfjs-backend-wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  const threads = Math.max(1, wasm.getThreadsCount());
  return { tfBackend: 'wasm', label: `WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'}; Chromium)`, simd, threads };
}

/**
 * Makes the best rung active: `prefer` forces one (webgpu may then be a software adapter, which
 * is how it is tested), else WebGPU on real hardware, else WebAssembly. Says what it skipped.
 */
export async function initPageBackend(prefer: BackendName | null, onLost: OnDeviceLost, singleThread = false): Promise<BackendInfo> {
  const rungs: BackendName[] = prefer ? [prefer] : ['webgpu', 'wasm'];
  const skipped: BackendInfo['skipped'] = [];
  for (const name of rungs) {
    try {
      if (name === 'webgpu') return { name, ...(await loadWebGpu(prefer === 'webgpu', onLost)), skipped };
      if (name === 'wasm') return { name, ...(await loadWasm(singleThread)), skipped };
      throw new Error('the compute page runs webgpu or wasm only');
    } catch (err) {
      skipped.push({ name, reason: (err instanceof Error ? err.message : String(err)).split('\n')[0] });
    }
  }
  throw new Error(`no compute backend in the page (${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')})`);
}
