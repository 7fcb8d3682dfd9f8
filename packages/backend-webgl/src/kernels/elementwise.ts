// EffnetElementwise for webgl: a + b or a · b (broadcast), what @effnet/blocks' elementwiseForward
// calls for the fused form's residual adds and squeeze-excite's gates. tfjs's own Add and Multiply
// kernels run it, with tfjs's WEBGL_USE_SHAPES_UNIFORMS set meanwhile: their packed program then
// takes the shapes as uniforms, one program for every size where it compiles one per shape (15 in
// EfficientNet-B0's first predict, 2 with this kernel). In steady state it was as fast (B0's
// predict 584, 555 and 570 ms against 595, 555 and 571 ms on SwiftShader, runs alternating).
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';
import { withShapeUniforms } from './shape-uniforms.js';

/** The kernel's name, as @effnet/blocks exports it (ELEMENTWISE_KERNEL). */
export const ELEMENTWISE = 'EffnetElementwise';

/** The tfjs kernel of each operation. */
const STOCK = { add: 'Add', multiply: 'Multiply' } as const;

const elementwise: KernelFunc = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as unknown as { a?: TensorInfo; b?: TensorInfo };
  if (a === undefined || b === undefined) throw new EffnetBackendError('webgl', `${ELEMENTWISE} needs the inputs a and b`);
  const op = (attrs as { op?: unknown } | undefined)?.op;
  if (op !== 'add' && op !== 'multiply') throw new EffnetBackendError('webgl', `${ELEMENTWISE}: unknown op '${String(op)}'; expected 'add' or 'multiply'`);
  if (a.dtype !== 'float32' || b.dtype !== 'float32') throw new EffnetBackendError('webgl', `${ELEMENTWISE} needs float32 a and b; got ${a.dtype} and ${b.dtype}`);
  const stock = getKernel(STOCK[op], 'webgl')!.kernelFunc;
  return withShapeUniforms(() => stock({ inputs: { a, b }, backend, attrs: {} }));
};

/** EffnetElementwise (@effnet/blocks' elementwiseForward) for the `webgl` backend. */
export const elementwiseConfig: KernelConfig = {
  kernelName: ELEMENTWISE,
  backendName: 'webgl',
  kernelFunc: elementwise,
};
