/**
 * The `webgpu` rung in Node: a Dawn device (dawn-device.ts) under @tensorflow/tfjs-backend-webgpu,
 * accepted only after a self-check against tfjs's cpu backend, because GPU drivers are not
 * always right and a wrong adapter would train garbage without an error.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BackendInfo } from '#contract/worker-protocol';
import { openDawnDevice } from './dawn-device';
import type { DawnOpened } from './dawn-device';

type Loaded = Omit<BackendInfo, 'name' | 'skipped'>;

/** Relative tolerance of the self-check: float32 on any GPU stays well inside it; a broken kernel does not. */
const SELF_CHECK_TOLERANCE = 1e-3;

let opened: DawnOpened | null = null;
let factory: (() => tf.KernelBackend) | null = null;
let setNavigator = false;

const seq = (n: number, k: number): Float32Array => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.5));

/**
 * A tiny forward and backward with the kernels a DAR step leans on: matMuls big enough for the
 * tiled kernel (x·w and the weight gradient xᵀ·dy), tanh and its derivative, softmax, log,
 * moments and means. The backward is written out (tfjs-core's Node build registers no
 * gradients), so it tests the kernels, not the tape.
 */
function probe(): tf.Tensor[] {
  return tf.tidy(() => {
    const x = tf.tensor2d(seq(24 * 96, 0.37), [24, 96]);
    const w = tf.mul(tf.tensor2d(seq(96 * 80, 0.11), [96, 80]), 0.2);
    const h = tf.tanh(tf.matMul(x, w));
    const p = tf.softmax(h);
    const { variance } = tf.moments(h, -1);
    const value = tf.add(tf.mean(tf.mul(p, tf.log(tf.add(p, 1e-6)))), tf.mean(variance));
    const dy = tf.mul(tf.sub(1, tf.square(h)), tf.sub(p, 1 / 80));
    const grad = tf.matMul(tf.transpose(x), dy);
    // More inputs than a shader stage can bind: AddN must sum them in chunks (chunkedAddN).
    const many = tf.addN(Array.from({ length: 40 }, (_, i) => tf.mul(h, (i % 7) - 3)));
    return [value, grad, h, many];
  });
}

async function readProbe(): Promise<Float32Array[]> {
  const outs = probe();
  try {
    return await Promise.all(outs.map((t) => t.data<'float32'>()));
  } finally {
    tf.dispose(outs);
  }
}

/** The worst element of `got` against `want`, relative to |want| (and to 1% of want's scale near zero). */
export function worstRelative(got: Float32Array, want: Float32Array): number {
  const scale = want.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  let worst = got.length === want.length ? 0 : Infinity;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i] - want[i]) / Math.max(Math.abs(want[i]), 1e-2 * scale, 1e-12);
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

/** Runs the probe on cpu and on webgpu (left active) and throws, saying how wrong, if they differ. */
async function selfCheck(activate: (name: string, what: string) => Promise<void>): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu', '@tensorflow/tfjs-backend-cpu');
  // The cpu backend prints an "install tfjs-node" banner on first use; this is not a user's run.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const want = await readProbe();
  await activate('webgpu', '@tensorflow/tfjs-backend-webgpu');
  // Dawn reports an invalid pipeline only to stderr and the kernel's output is garbage: catch it here.
  opened!.device.pushErrorScope('validation');
  const got = await readProbe();
  const invalid = await opened!.device.popErrorScope();
  if (invalid) throw new Error(`self-check failed: the adapter refused a kernel (${invalid.message.split('\n')[0]})`);
  const names = ['forward value', 'weight gradient', 'activations', 'sum of 40 tensors'];
  const worst = want.map((w, i) => worstRelative(got[i], w));
  const bad = worst.findIndex((r) => !(r <= SELF_CHECK_TOLERANCE));
  if (bad >= 0) throw new Error(`self-check failed: the adapter's ${names[bad]} is off by ${worst[bad].toExponential(2)} relative to the cpu backend`);
}

const CHUNKED = Symbol('dar.chunkedAddN');
type KernelArgs = { inputs: tf.TensorInfo[]; backend: { disposeData(dataId: object): unknown }; attrs: tf.NamedAttrMap };

/**
 * tfjs-backend-webgpu's AddN binds every input as a storage buffer in one shader, so summing more
 * tensors than the device binds (the global gradient norm adds ~400) makes an invalid pipeline
 * and a wrong sum without an error. Wraps the kernel to sum at most `maxInputs` at a time.
 */
function chunkedAddN(maxInputs: number): void {
  const stock = tf.getKernel('AddN', 'webgpu');
  if (!stock || (stock.kernelFunc as unknown as Record<symbol, boolean>)[CHUNKED]) return;
  const run = (args: KernelArgs, inputs: tf.TensorInfo[]): tf.TensorInfo => stock.kernelFunc({ ...args, inputs } as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const kernelFunc = (raw: Parameters<tf.KernelFunc>[0]): tf.TensorInfo => {
    const args = raw as unknown as KernelArgs;
    let inputs = Array.from(args.inputs);
    const temps: tf.TensorInfo[] = [];
    while (inputs.length > maxInputs) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < inputs.length; i += maxInputs) {
        const chunk = inputs.slice(i, i + maxInputs);
        const partial = chunk.length === 1 ? chunk[0] : run(args, chunk);
        if (chunk.length > 1) temps.push(partial);
        next.push(partial);
      }
      inputs = next;
    }
    const out = run(args, inputs);
    for (const t of temps) args.backend.disposeData(t.dataId);
    return out;
  };
  Object.assign(kernelFunc, { [CHUNKED]: true });
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ kernelName: 'AddN', backendName: 'webgpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

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
    await selfCheck(activate);
    const name = info.description || [info.vendor, info.architecture].filter(Boolean).join(' ') || 'unnamed adapter';
    return { tfBackend: 'webgpu', label: `WebGPU (${name}${info.software ? ', software' : ''}; Dawn ${opened.via})`, adapter: info };
  } catch (err) {
    releaseWebGpu();
    throw err;
  }
}
