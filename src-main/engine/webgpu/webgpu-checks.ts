/**
 * What every WebGPU rung runs before it is trusted, in Node (Dawn) and in the compute page
 * (Chromium): a self-check against tfjs's cpu backend, and the AddN fix. No Node, no DOM.
 */
import * as tf from '@tensorflow/tfjs-core';

/** The device's error scopes, the part of a GPUDevice the self-check uses. */
export interface ErrorScopes {
  pushErrorScope(filter: 'validation'): void;
  popErrorScope(): Promise<{ message: string } | null>;
}

/** Relative tolerance of the self-check: float32 on any GPU stays well inside it; a broken kernel does not. */
const SELF_CHECK_TOLERANCE = 1e-3;

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
export async function selfCheck(device: ErrorScopes, activate: (name: string, what: string) => Promise<void>): Promise<void> {
  await import('@tensorflow/tfjs-backend-cpu');
  await activate('cpu', '@tensorflow/tfjs-backend-cpu');
  // The cpu backend prints an "install tfjs-node" banner on first use; this is not a user's run.
  (tf.backend() as unknown as { firstUse?: boolean }).firstUse = false;
  const want = await readProbe();
  await activate('webgpu', '@tensorflow/tfjs-backend-webgpu');
  // Dawn reports an invalid pipeline only to stderr and the kernel's output is garbage: catch it here.
  device.pushErrorScope('validation');
  const got = await readProbe();
  const invalid = await device.popErrorScope();
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
export function chunkedAddN(maxInputs: number): void {
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

