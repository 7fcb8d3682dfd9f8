// Whether the active backend registers one of the kernels @effnet/blocks calls where a backend
// offers them (SILU_GRAD_KERNEL, BATCH_MOMENTS_KERNEL, BATCH_NORM_GRAD_KERNEL); elsewhere the
// callers compose tfjs ops.
import * as tf from '@tensorflow/tfjs-core';

/** Whether the active backend registers `kernel`. */
export function backendHas(kernel: string): boolean {
  return tf.getKernel(kernel, tf.getBackend()) !== undefined;
}
