// EffnetGlobalMean for webgl (WebGL 2): the mean of a packed NHWC texture over height and width,
// [batch, 1, 1, channels] (squeeze-excite's squeeze). tfjs-backend-webgl's average pooling writes
// the window size into its shader, one program per feature-map shape (11 for B0); here height and
// width are uniforms: one program. Each fragment sums two channels over the map, two columns a
// step; an odd last column takes only its own lanes (the texel's other half is padding).
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';

/** The kernel's name, as @effnet/blocks exports it (GLOBAL_MEAN_KERNEL). */
export const GLOBAL_MEAN = 'EffnetGlobalMean';

class GlobalMeanProgram implements GPGPUProgram {
  readonly variableNames = ['x'];
  readonly outputShape: number[];
  readonly packedInputs = true;
  readonly packedOutput = true;
  readonly enableShapeUniforms = true;
  readonly customUniforms = [
    { name: 'height', type: 'int' as const },
    { name: 'width', type: 'int' as const },
  ];
  readonly userCode = `
    void main() {
      ivec4 rc = getOutputCoords();
      int evenWidth = width - imod(width, 2);
      vec2 sum = vec2(0.0);
      for (int h = 0; h < height; h++) {
        for (int w = 0; w < evenWidth; w += 2) {
          vec4 v = getX(rc.x, h, w, rc.w);
          sum += v.xy + v.zw;
        }
        if (evenWidth < width) sum += getX(rc.x, h, evenWidth, rc.w).xy;
      }
      setOutput(vec4(sum / float(height * width), 0.0, 0.0));
    }`;

  constructor(outputShape: number[]) {
    this.outputShape = outputShape;
  }
}

const globalMean: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x?: TensorInfo };
  if (x === undefined) throw new EffnetBackendError('webgl', `${GLOBAL_MEAN} needs the input x`);
  if (x.dtype !== 'float32' || x.shape.length !== 4) {
    throw new EffnetBackendError('webgl', `${GLOBAL_MEAN} needs float32 NHWC x; got ${x.dtype} [${x.shape.join(', ')}]`);
  }
  const [batch, height, width, channels] = x.shape as [number, number, number, number];
  const webgl = backend as MathBackendWebGL;
  const outputShape = [batch, 1, 1, channels];
  if (util.sizeFromShape(x.shape) === 0) {
    // An empty map's mean is NaN (0 / 0), as tf.mean gives it; an empty batch or no channels is empty.
    const values = new Float32Array(util.sizeFromShape(outputShape)).fill(Number.NaN);
    return webgl.makeTensorInfo(outputShape, 'float32', values);
  }
  return webgl.runWebGLProgram(new GlobalMeanProgram(outputShape), [x], 'float32', [[height], [width]]);
};

/** EffnetGlobalMean (@effnet/blocks' globalMeanForward) for the `webgl` backend. */
export const globalMeanConfig: KernelConfig = {
  kernelName: GLOBAL_MEAN,
  backendName: 'webgl',
  kernelFunc: globalMean,
};
