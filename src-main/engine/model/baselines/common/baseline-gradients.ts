/**
 * Gradients of the few tfjs kernels the baselines put on the tape that the engine's own set
 * (ops/gradients.ts, which the Node bundle needs) leaves out: the baselines are written in plain
 * tf ops with autodiff (their heads are tiny), unlike DAR's fused ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import '../../ops/ops';

let registered = false;

/** Registers Relu's gradient once, unless a bundle already did. */
export function registerBaselineGradients(): void {
  if (registered) return;
  registered = true;
  if (!tf.getGradient('Relu')) {
    tf.registerGradient({
      kernelName: 'Relu',
      inputsToSave: ['x'],
      gradFunc: (dy, [x]) => ({ x: () => tf.mul(dy as tf.Tensor, tf.step(x)) }),
    });
  }
}
