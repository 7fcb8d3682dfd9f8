// EffnetSilu for webgl: SiLU's value x·σ(x) = x / (1 + e^−x) in one packed elementwise shader,
// what @effnet/blocks' siluForward calls (inference). tfjs composes it from Sigmoid and Multiply:
// two shaders to compile and two passes over the tensor where this is one of each. Shapes are
// uniforms up to rank 4 (one program for every size), constants above, as tfjs's own programs.
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';

/** The kernel's name, as @effnet/blocks exports it (SILU_KERNEL). */
export const SILU = 'EffnetSilu';

/** x / (1 + e^−x) over a packed texture (also run by the depthwise kernel after tfjs's own program). */
export class SiluProgram implements GPGPUProgram {
  readonly variableNames = ['x'];
  readonly outputShape: number[];
  readonly packedInputs = true;
  readonly packedOutput = true;
  readonly enableShapeUniforms: boolean;
  // e^−x overflows to +∞ below x ≈ −88.7: x / ∞ is −0, as x·σ(x) = x·0 gives it; NaN stays NaN.
  readonly userCode = `
    void main() {
      vec4 x = getXAtOutCoords();
      setOutput(x / (1.0 + exp(-x)));
    }`;

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.enableShapeUniforms = shape.length <= 4;
  }
}

const silu: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x?: TensorInfo };
  if (x === undefined) throw new EffnetBackendError('webgl', `${SILU} needs the input x`);
  if (x.dtype !== 'float32') throw new EffnetBackendError('webgl', `${SILU} needs a float32 x; got ${x.dtype} [${x.shape.join(', ')}]`);
  const webgl = backend as MathBackendWebGL;
  if (util.sizeFromShape(x.shape) === 0) return webgl.makeTensorInfo(x.shape, 'float32');
  return webgl.runWebGLProgram(new SiluProgram(x.shape), [x], 'float32');
};

/** EffnetSilu (SiLU's value for @effnet/blocks) for the `webgl` backend. */
export const siluConfig: KernelConfig = {
  kernelName: SILU,
  backendName: 'webgl',
  kernelFunc: silu,
};
