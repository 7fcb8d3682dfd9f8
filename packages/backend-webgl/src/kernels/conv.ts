// EffnetConv for webgl (WebGL 2): a direct convolution of a packed NHWC texture with explicit
// padding, bias and activation (SiLU included) in one shader; @effnet/blocks calls it for stems
// (few input channels). tfjs-backend-webgl runs such a convolution as im2col and a matrix product
// (two programs, the product's with the shared dimension written in), then Sigmoid and Multiply
// for SiLU; here every size is a uniform: one program. Each fragment computes two output columns ×
// two output channels, summing over taps and pairs of input channels (the second of an odd last
// pair is padding and is skipped).
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';
import { ACTIVATE_GLSL } from './activations.js';
import { WINDOW_UNIFORMS, activationOf, convInputs, windowOf, windowUniformValues } from './conv-attributes.js';
import { uploadPacked } from './packed-texture.js';

/** The kernel's name, as @effnet/blocks exports it (CONV_KERNEL). */
export const CONV = 'EffnetConv';

class ConvProgram implements GPGPUProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly userCode: string;
  readonly packedInputs = true;
  readonly packedOutput = true;
  readonly enableShapeUniforms = true;
  readonly customUniforms = WINDOW_UNIFORMS;

  constructor(outputShape: number[], hasBias: boolean) {
    this.outputShape = outputShape;
    this.variableNames = hasBias ? ['x', 'w', 'bias'] : ['x', 'w'];
    // Texel indices: x (b, row, col, k) at ((b·H + row)·⌈W/2⌉ + ⌊col/2⌋)·⌈Cin/2⌉ + ⌊k/2⌋, holding
    // columns 2⌊col/2⌋ (xy) and the next (zw) of channels k, k + 1; w (i, j, k, c) at
    // ((i·fw + j)·⌈Cin/2⌉ + ⌊k/2⌋)·⌈Cout/2⌉ + ⌊c/2⌋, holding (k, c) (k, c+1) (k+1, c) (k+1, c+1).
    this.userCode = `
      ${ACTIVATE_GLSL}
      vec4 fetchX(int index, int width) {
        int r = index / width;
        return texture(x, (vec2(index - r * width, r) + 0.5) / vec2(width, (xTexShape[0] + 1) / 2));
      }
      vec4 fetchW(int index, int width) {
        int r = index / width;
        return texture(w, (vec2(index - r * width, r) + 0.5) / vec2(width, (wTexShape[0] + 1) / 2));
      }
      void main() {
        ivec4 rc = getOutputCoords();
        int inPairs = (xShape[3] + 1) / 2;
        int outPairs = (wShape[3] + 1) / 2;
        int xWidth = (xTexShape[1] + 1) / 2;
        int wWidth = (wTexShape[1] + 1) / 2;
        int lastPair = (xShape[3] & 1) == 1 ? inPairs - 1 : inPairs;
        int x0 = rc.z * strides.y - pads.y;
        int x1 = x0 + strides.y;
        vec4 result = vec4(0.0);
        for (int i = 0; i < filterSize.x; i++) {
          int row = rc.y * strides.x - pads.x + i;
          if (row < 0 || row >= xShape[1]) continue;
          int rowBase = (rc.x * xShape[1] + row) * ((xShape[2] + 1) / 2) * inPairs;
          for (int j = 0; j < filterSize.y; j++) {
            int col0 = x0 + j;
            int col1 = x1 + j;
            bool in0 = col0 >= 0 && col0 < xShape[2];
            bool in1 = col1 >= 0 && col1 < xShape[2];
            int xIndex0 = rowBase + (max(col0, 0) / 2) * inPairs;
            int xIndex1 = rowBase + (max(col1, 0) / 2) * inPairs;
            int wIndex = (i * filterSize.y + j) * inPairs * outPairs + rc.w / 2;
            for (int k = 0; k < inPairs; k++) {
              vec4 b = fetchW(wIndex + k * outPairs, wWidth);
              bool single = k == lastPair;
              if (in0) {
                vec4 t = fetchX(xIndex0 + k, xWidth);
                vec2 v = (col0 & 1) == 0 ? t.xy : t.zw;
                result.xy += single ? v.x * b.xy : v.x * b.xy + v.y * b.zw;
              }
              if (in1) {
                vec4 t = fetchX(xIndex1 + k, xWidth);
                vec2 v = (col1 & 1) == 0 ? t.xy : t.zw;
                result.zw += single ? v.x * b.xy : v.x * b.xy + v.y * b.zw;
              }
            }
          }
        }
        ${hasBias ? 'result += getBiasAtOutCoords();' : ''}
        setOutput(activate(result));
      }`;
  }
}

const conv: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter, bias, operands } = convInputs(CONV, inputs);
  const [, , inChannels, outChannels] = filter.shape as number[];
  if (x.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4 || x.shape[3] !== inChannels) {
    throw new EffnetBackendError('webgl', `${CONV} needs float32 NHWC x and a [fh, fw, in, out] filter; got x ${x.dtype} [${x.shape.join(', ')}], filter [${filter.shape.join(', ')}]`);
  }
  const activation = activationOf(CONV, attrs, bias, outChannels!);
  const window = windowOf(CONV, attrs, x, filter, outChannels!);
  const webgl = backend as MathBackendWebGL;
  if (util.sizeFromShape(window.outputShape) === 0) return webgl.makeTensorInfo(window.outputShape, 'float32');
  // A stem's input is usually an image fresh from JavaScript: into its packed texture without
  // tfjs's encode program (one program fewer to compile on the first call).
  uploadPacked(webgl, x.dataId, x.shape);
  return webgl.runWebGLProgram(new ConvProgram(window.outputShape, bias !== undefined), operands, 'float32', windowUniformValues(filter, window, activation));
};

/** EffnetConv (@effnet/blocks' convForward) for the `webgl` backend. */
export const convConfig: KernelConfig = {
  kernelName: CONV,
  backendName: 'webgl',
  kernelFunc: conv,
};
