/**
 * The `webgpu` rung in Node: a Dawn device (dawn-device.ts) under @tensorflow/tfjs-backend-webgpu,
 * accepted only after a self-check against tfjs's cpu backend, because GPU drivers are not
 * always right and a wrong adapter would train garbage without an error.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '#contract/worker-protocol';
import { openDawnDevice } from './dawn-device';
import type { DawnOpened } from './dawn-device';
import { chunkedAddN, selfCheck } from './webgpu-checks';

/** The self-check's comparison, re-exported for its tests. */
export { worstRelative } from './webgpu-checks';

type Loaded = Omit<BackendInfo, 'name' | 'skipped'>;

let opened: DawnOpened | null = null;
let factory: (() => tf.KernelBackend) | null = null;
let setNavigator = false;

/** Frees the WebGPU device and unregisters the backend, so that Node can exit (Dawn keeps it alive otherwise). */
export function releaseWebGpu(): void {
  if (factory !== null && tf.findBackendFactory('webgpu') === factory) tf.removeBackend('webgpu');
  factory = null;
  opened?.device.destroy();
  opened = null;
  if (setNavigator) delete (globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu;
  setNavigator = false;
}

/** tfjs-backend-webgpu checks `navigator.gpu` exists; Node 20 has no navigator, Node 21+ has one without gpu. */
function exposeGpu(gpu: unknown): void {
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (g.navigator?.gpu) return;
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true, writable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  setNavigator = true;
}

/**
 * Loads the webgpu rung: a Dawn device (a software one only when `allowSoftware`, i.e. forced),
 * tfjs's WebGPU kernels on it, and the self-check; a failure frees everything and says why.
 */
export async function loadWebGpu(allowSoftware: boolean, activate: (name: string, what: string) => Promise<void>): Promise<Loaded> {
  try {
    if (opened?.info.software && !allowSoftware) releaseWebGpu();
    opened ??= await openDawnDevice(allowSoftware);
    const { adapter, device, info, gpu } = opened;
    exposeGpu(gpu);
    const wg = await import('@tensorflow/tfjs-backend-webgpu');
    if (!factory || tf.findBackendFactory('webgpu') !== factory) {
      // The package registers its own factory at import when navigator.gpu exists; ours uses our device.
      if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
      const own = (): tf.KernelBackend => new wg.WebGPUBackend(device as unknown as GPUDevice, adapter.info as unknown as GPUAdapterInfo);
      tf.registerBackend('webgpu', own, 1);
      factory = own;
      chunkedAddN(Math.max(2, (device.limits.maxStorageBuffersPerShaderStage ?? 8) - 1));
    }
    await selfCheck(device, activate);
    const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    return { tfBackend: 'webgpu', label: `WebGPU (${name}${info.software ? ', software' : ''}; Dawn ${opened.via})`, adapter: info };
  } catch (err) {
    releaseWebGpu();
    throw err;
  }
}
