// EffnetPointwiseConv for webgl (WebGL 2): a 1×1 stride-1 convolution of packed NHWC textures,
// bias and activation (SiLU included) in the same shader. tfjs-backend-webgl runs 1×1
// convolutions as a matrix product whose shader has the shared dimension written in as a
// constant, so every distinct channel count compiles a program of its own (30 for B0's first
// predict); here the channel count, every shape and the activation are uniforms, so one program
// serves them all (and the dense layer, as a 1×1 map). Each fragment computes a 2 × 2 block of the packed output (two pixels of a row,
// two output channels), two input channels per step, as tfjs's packed matrix product does.
import { util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';
import type { GPGPUProgram, MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';
import { ACTIVATE_GLSL, ACTIVATION_CODES, ACTIVATION_UNIFORM } from './activations.js';
import { activationOf, convInputs } from './conv-attributes.js';

/** The kernel's name, as @effnet/blocks exports it (POINTWISE_CONV_KERNEL). */
export const POINTWISE_CONV = 'EffnetPointwiseConv';

class PointwiseConvProgram implements GPGPUProgram {
  readonly variableNames: string[];
  readonly outputShape: number[];
  readonly userCode: string;
  readonly packedInputs = true;
  readonly packedOutput = true;
  readonly enableShapeUniforms = true;
  readonly customUniforms = [{ name: 'inChannels', type: 'int' as const }, ACTIVATION_UNIFORM];

  constructor(outputShape: number[], hasBias: boolean) {
    this.outputShape = outputShape;
    this.variableNames = hasBias ? ['x', 'w', 'bias'] : ['x', 'w'];
    // Texels are read at positions stepped along as k advances, rather than through the generated
    // getX/getW, which divide by the texture width at every read: the input's pairs of channels lie
    // in consecutive texels, the filter's one packed row apart. tfjs lays a [N, H, W, K] texture out
    // with one pixel pair per row and a [1, 1, K, C] filter with one channel pair per row when they
    // fit: then only one texture coordinate moves and nothing wraps. (texture() with coordinates is
    // faster than texelFetch on SwiftShader: B0's predict 0.55-0.57 against 0.63-0.74 s.)
    this.userCode = `
      ${ACTIVATE_GLSL}
      void main() {
        ivec4 rc = getOutputCoords();
        int pairs = inChannels / 2;
        int xWidth = (xTexShape[1] + 1) / 2;
        int xIndex = ((rc.x * xShape[1] + rc.y) * ((xShape[2] + 1) / 2) + rc.z / 2) * pairs;
        ivec2 xAt = ivec2(xIndex - (xIndex / xWidth) * xWidth, xIndex / xWidth);
        int wWidth = (wTexShape[1] + 1) / 2;
        int wStep = (wShape[3] + 1) / 2;
        ivec2 wJump = ivec2(wStep - (wStep / wWidth) * wWidth, wStep / wWidth);
        int wIndex = rc.w / 2;
        ivec2 wAt = ivec2(wIndex - (wIndex / wWidth) * wWidth, wIndex / wWidth);
        vec2 xScale = 1.0 / vec2(xWidth, (xTexShape[0] + 1) / 2);
        vec2 wScale = 1.0 / vec2(wWidth, (wTexShape[0] + 1) / 2);
        vec4 result = vec4(0.0);
        if (xAt.x == 0 && xWidth == pairs && wJump == ivec2(0, 1)) {
          vec2 xUV = (vec2(xAt) + 0.5) * xScale;
          vec2 wUV = (vec2(wAt) + 0.5) * wScale;
          for (int k = 0; k < pairs; k++) {
            vec4 a = texture(x, xUV);
            vec4 b = texture(w, wUV);
            result += a.xxzz * b.xyxy + a.yyww * b.zwzw;
            xUV.x += xScale.x;
            wUV.y += wScale.y;
          }
        } else {
          for (int k = 0; k < pairs; k++) {
            // a: (w, k) (w, k+1) (w+1, k) (w+1, k+1); b: (k, c) (k, c+1) (k+1, c) (k+1, c+1).
            vec4 a = texture(x, (vec2(xAt) + 0.5) * xScale);
            vec4 b = texture(w, (vec2(wAt) + 0.5) * wScale);
            result += a.xxzz * b.xyxy + a.yyww * b.zwzw;
            xAt.x += 1;
            if (xAt.x == xWidth) xAt = ivec2(0, xAt.y + 1);
            wAt += wJump;
            if (wAt.x >= wWidth) wAt += ivec2(-wWidth, 1);
          }
        }
        ${hasBias ? 'result += getBiasAtOutCoords();' : ''}
        setOutput(activate(result));
      }`;
  }
}

const pointwiseConv: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, filter, bias, operands } = convInputs(POINTWISE_CONV, inputs);
  const [fh, fw, inChannels, outChannels] = filter.shape;
  if (x.dtype !== 'float32' || x.shape.length !== 4 || filter.shape.length !== 4 || fh !== 1 || fw !== 1 || x.shape[3] !== inChannels || inChannels! % 2 !== 0) {
    throw new EffnetBackendError('webgl', `${POINTWISE_CONV} needs float32 NHWC x with an even channel count and a [1, 1, in, out] filter; got x ${x.dtype} [${x.shape.join(', ')}], filter [${filter.shape.join(', ')}]`);
  }
  const activation = activationOf(POINTWISE_CONV, attrs, bias, outChannels!);
  const webgl = backend as MathBackendWebGL;
  const outputShape = [x.shape[0]!, x.shape[1]!, x.shape[2]!, outChannels!];
  if (util.sizeFromShape(outputShape) === 0) return webgl.makeTensorInfo(outputShape, 'float32');
  const program = new PointwiseConvProgram(outputShape, bias !== undefined);
  return webgl.runWebGLProgram(program, operands, 'float32', [[inChannels!], [ACTIVATION_CODES[activation]!]]);
};

/** EffnetPointwiseConv (@effnet/blocks' pointwiseConvForward) for the `webgl` backend. */
export const pointwiseConvConfig: KernelConfig = {
  kernelName: POINTWISE_CONV,
  backendName: 'webgl',
  kernelFunc: pointwiseConv,
};
