// EffnetDepthwiseConv for webgl (WebGL 2): a depthwise convolution (channel multiplier 1) of a
// packed NHWC texture with explicit padding, bias and activation (SiLU included) in one shader.
// tfjs-backend-webgl's packed depthwise program writes the filter size and strides into its
// shader: one program per kind of layer (four for B0's first predict, the longest shaders it
// compiles), then Sigmoid and Multiply for SiLU. Here filter size, strides and padding are
// uniforms: one program. Each fragment computes two output columns × two channels. It is slower
// than tfjs's specialised programs in steady state (B0's predict about 0.1 s of 0.5 s on
// SwiftShader), so it runs only where tfjs's WEBGL_USE_SHAPES_UNIFORMS is set, which asks for few
// programs; otherwise the kernel runs tfjs's FusedDepthwiseConv2D (and effnet's SiLU shader).
import { env, getKernel, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';
import { ACTIVATE_GLSL } from './activations.js';
import { WINDOW_UNIFORMS, activationOf, convInputs, windowOf, windowUniformValues } from './conv-attributes.js';
import { SiluProgram } from './silu.js';

/** The kernel's name, as @effnet/blocks exports it (DEPTHWISE_CONV_KERNEL). */
export const DEPTHWISE_CONV = 'EffnetDepthwiseConv';

class DepthwiseConvProgram implements GPGPUProgram {
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
    // Texels are read with texture() at computed positions (faster than texelFetch on SwiftShader,
    // and than the generated getX's index arithmetic). The input's texel index of (b, row, col, c) is
    // ((b·H + row)·⌈W/2⌉ + ⌊col/2⌋)·⌈C/2⌉ + ⌊c/2⌋, holding columns 2⌊col/2⌋ (xy) and the next (zw)
    // of channels c, c + 1; the filter [fh, fw, C, 1] holds tap t's channels c, c + 1 in x and z of
    // texel t·⌈C/2⌉ + ⌊c/2⌋, so one tap to the next is ⌈C/2⌉ texels on.
    this.userCode = `
      ${ACTIVATE_GLSL}
      vec2 column(int rowBase, int col, int channelTexels, int width) {
        if (col < 0 || col >= xShape[2]) return vec2(0.0);
        int index = rowBase + (col / 2) * channelTexels;
        int r = index / width;
        vec4 t = texture(x, (vec2(index - r * width, r) + 0.5) / vec2(width, (xTexShape[0] + 1) / 2));
        return (col - (col / 2) * 2) == 0 ? t.xy : t.zw;
      }
      void main() {
        ivec4 rc = getOutputCoords();
        int channelTexels = (xShape[3] + 1) / 2;
        int xWidth = (xTexShape[1] + 1) / 2;
        int wWidth = (wTexShape[1] + 1) / 2;
        ivec2 wJump = ivec2(channelTexels - (channelTexels / wWidth) * wWidth, channelTexels / wWidth);
        vec2 xScale = 1.0 / vec2(xWidth, (xTexShape[0] + 1) / 2);
        vec2 wScale = 1.0 / vec2(wWidth, (wTexShape[0] + 1) / 2);
        int x0 = rc.z * strides.y - pads.y;
        int x1 = x0 + strides.y;
        vec4 result = vec4(0.0);
        for (int i = 0; i < filterSize.x; i++) {
          int row = rc.y * strides.x - pads.x + i;
          if (row < 0 || row >= xShape[1]) continue;
          int rowBase = (rc.x * xShape[1] + row) * ((xShape[2] + 1) / 2) * channelTexels + rc.w / 2;
          int wIndex = i * filterSize.y * channelTexels + rc.w / 2;
          ivec2 wAt = ivec2(wIndex - (wIndex / wWidth) * wWidth, wIndex / wWidth);
          if (strides.y <= 2) {
            // The second column's tap j reads the input column the first one reads at tap
            // j + stride: one pass over fw + stride columns reads each texel (two columns) once,
            // the second column's weight trailing the first's by the stride.
            vec2 wLag1 = vec2(0.0);
            vec2 wLag2 = vec2(0.0);
            int fetched = -1;
            vec4 texel = vec4(0.0);
            for (int c = 0; c < filterSize.y + strides.y; c++) {
              vec2 wc = vec2(0.0);
              if (c < filterSize.y) {
                wc = texture(w, (vec2(wAt) + 0.5) * wScale).xz;
                wAt += wJump;
                if (wAt.x >= wWidth) wAt += ivec2(-wWidth, 1);
              }
              int col = x0 + c;
              if (col >= 0 && col < xShape[2]) {
                int index = rowBase + (col / 2) * channelTexels;
                if (index != fetched) {
                  int r = index / xWidth;
                  texel = texture(x, (vec2(index - r * xWidth, r) + 0.5) * xScale);
                  fetched = index;
                }
                vec2 v = (col & 1) == 0 ? texel.xy : texel.zw;
                result.xy += v * wc;
                result.zw += v * (strides.y == 1 ? wLag1 : wLag2);
              }
              wLag2 = wLag1;
              wLag1 = wc;
            }
          } else {
            for (int j = 0; j < filterSize.y; j++) {
              vec2 w = texture(w, (vec2(wAt) + 0.5) * wScale).xz;
              result.xy += column(rowBase, x0 + j, channelTexels, xWidth) * w;
              result.zw += column(rowBase, x1 + j, channelTexels, xWidth) * w;
              wAt += wJump;
              if (wAt.x >= wWidth) wAt += ivec2(-wWidth, 1);
            }
          }
        }
        ${hasBias ? 'result += getBiasAtOutCoords();' : ''}
        setOutput(activate(result));
      }`;
  }
}

const depthwiseConv: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter, bias, operands } = convInputs(DEPTHWISE_CONV, inputs);
  const [, , channels, multiplier] = filter.shape as number[];
  if (x.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4 || x.shape[3] !== channels || multiplier !== 1) {
    throw new EffnetBackendError('webgl', `${DEPTHWISE_CONV} needs float32 NHWC x and a [fh, fw, channels, 1] filter; got x ${x.dtype} [${x.shape.join(', ')}], filter [${filter.shape.join(', ')}]`);
  }
  const activation = activationOf(DEPTHWISE_CONV, attrs, bias, channels!);
  const window = windowOf(DEPTHWISE_CONV, attrs, x, filter, channels!);
  const webgl = backend as MathBackendWebGL;
  if (util.sizeFromShape(window.outputShape) === 0) return webgl.makeTensorInfo(window.outputShape, 'float32');
  if (!env().getBool('WEBGL_USE_SHAPES_UNIFORMS')) {
    const [top, bottom, left, right] = window.pads;
    const stock = getKernel('FusedDepthwiseConv2D', 'webgl')!.kernelFunc;
    const attrs = { strides: window.strides, pad: [[0, 0], [top, bottom], [left, right], [0, 0]], dataFormat: 'NHWC', dilations: [1, 1], activation: activation === 'silu' ? 'linear' : activation };
    const y = stock({ inputs: bias === undefined ? { x, filter } : { x, filter, bias }, backend, attrs }) as TensorInfo;
    if (activation !== 'silu') return y;
    const out = webgl.runWebGLProgram(new SiluProgram(y.shape), [y], 'float32');
    webgl.disposeIntermediateTensorInfo(y);
    return out;
  }
  const program = new DepthwiseConvProgram(window.outputShape, bias !== undefined);
  return webgl.runWebGLProgram(program, operands, 'float32', windowUniformValues(filter, window, activation));
};

/** EffnetDepthwiseConv (@effnet/blocks' depthwiseConvForward) for the `webgl` backend. */
export const depthwiseConvConfig: KernelConfig = {
  kernelName: DEPTHWISE_CONV,
  backendName: 'webgl',
  kernelFunc: depthwiseConv,
};
