// A float32 tensor still on the CPU written straight into a packed texture: the values laid out in
// JavaScript as tfjs's packed programs read them, then one texSubImage2D. tfjs uploads through an
// encode program instead, one per kind of shape even with shapes as uniforms (four for B0's first
// predict: biases, depthwise filters, 1×1 filters, the image), and each program compiled costs a
// cold first call 40-100 ms on SwiftShader. Laying the values out costs about 1.5 ns a value once
// V8 has optimised the loop, about 14 before (B0's 1280 × 1000 classifier 1.8 and 17 ms, a 224 ×
// 224 image 0.3 and 2.6 ms), so B0's 5.3 M weights add tens of milliseconds to the first call.
//
// tfjs's packed layout: the tensor seen as [batch, rows, cols] (leading dimensions multiplied, a
// vector as one row) is stored texel by texel, row-major over the texture, each texel holding a
// 2 × 2 block (r, c), (r, c + 1), (r + 1, c), (r + 1, c + 1) of one batch entry; blocks run along
// the row (⌈cols/2⌉ of them), then down (⌈rows/2⌉), then batch after batch. Lanes past the last row
// or column, and texels past the last block, are 0, as the encode program leaves them.
import type { DataId } from '@tensorflow/tfjs-core';
import { webgl_util, type MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';

/** tfjs-backend-webgl's TextureUsage.RENDER (not exported): the usage of a program's output, which an encode program's texture has. */
const RENDER_USAGE = 0;

/** A tensor's data in the webgl backend (tfjs-backend-webgl's TextureData, which it does not export by name). */
type TextureData = ReturnType<MathBackendWebGL['texData']['get']>;

/** The part of MathBackendWebGL used here that its typings leave out. */
interface TextureAcquirer {
  acquireTexture(texShape: [number, number], usage: number, dtype: 'float32', isPacked: boolean): { texture: WebGLTexture; texShape: [number, number] };
}

/** `values` of a `[batch, rows, cols]` tensor in tfjs's packed layout, `texels` RGBA texels long. */
export function packTexels(values: Float32Array, [batch, rows, cols]: [number, number, number], texels: number): Float32Array {
  const out = new Float32Array(texels * 4);
  const blocksPerRow = Math.ceil(cols / 2);
  let texel = 0;
  for (let b = 0; b < batch; b++) {
    for (let r = 0; r < rows; r += 2) {
      const top = (b * rows + r) * cols;
      const bottom = r + 1 < rows ? top + cols : -1;
      for (let block = 0; block < blocksPerRow; block++, texel++) {
        const c = block * 2;
        const at = texel * 4;
        const right = c + 1 < cols;
        out[at] = values[top + c]!;
        if (right) out[at + 1] = values[top + c + 1]!;
        if (bottom >= 0) {
          out[at + 2] = values[bottom + c]!;
          if (right) out[at + 3] = values[bottom + c + 1]!;
        }
      }
    }
  }
  return out;
}

/** Whether a tensor's data is float32 values on the CPU and not (yet) a texture: what an upload moves. */
export function float32OnCpuOnly(data: TextureData): data is TextureData & { values: Float32Array } {
  return data.texture == null && data.dtype === 'float32' && data.values instanceof Float32Array && data.values.length > 0;
}

/**
 * Moves a float32 tensor whose values are on the CPU only into a packed texture, as tfjs's upload
 * would leave it (same texture shape, usage and byte count), without a program. Returns false,
 * doing nothing, where it does not apply (already on the GPU, another dtype, no values, or a
 * backend without the method it needs); the caller then leaves the upload to tfjs.
 */
export function uploadPacked(webgl: MathBackendWebGL, dataId: DataId, shape: number[]): boolean {
  const data = webgl.texData.get(dataId);
  const acquirer = webgl as unknown as Partial<TextureAcquirer>;
  if (!float32OnCpuOnly(data) || typeof acquirer.acquireTexture !== 'function') return false;
  const texShape = webgl_util.getTextureShapeFromLogicalShape(shape, true);
  const width = Math.max(1, Math.ceil(texShape[1] / 2));
  const height = Math.max(1, Math.ceil(texShape[0] / 2));
  const packed = packTexels(data.values, webgl_util.getShapeAs3D(shape), width * height);
  const texture = acquirer.acquireTexture(texShape, RENDER_USAGE, 'float32', true);
  webgl.gpgpu.uploadDenseMatrixToTexture(texture.texture, width, height, packed);
  Object.assign(data, { texture, texShape, isPacked: true, usage: RENDER_USAGE, values: null });
  return true;
}
