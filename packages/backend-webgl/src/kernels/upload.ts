// EffnetUpload for webgl: a constant (a folded weight of the fused inference form) moved to its
// texture now, in the packed layout tfjs's packed programs read, written from JavaScript
// (packed-texture.ts) without a program. Left to tfjs, a tensor is uploaded at its first use by an
// encode program with its shape written in: one program per weight shape, 70 of the 103 programs
// EfficientNet-B0's first fused predict compiled (and still three, keyed by rank and layout flags,
// with the shape as uniforms). The output is the input's data (an identity, as tfjs's Identity
// kernel returns it), so nothing is copied.
import { env } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { EffnetBackendError } from '@effnet/backends';
import { float32OnCpuOnly, uploadPacked } from './packed-texture.js';
import { withShapeUniforms } from './shape-uniforms.js';

/** The kernel's name, as @effnet/blocks exports it (UPLOAD_KERNEL). */
export const UPLOAD = 'EffnetUpload';

/**
 * Whether the programs that read the fused form's constants take packed inputs: tfjs's defaults.
 * With packing turned off (or off for depthwise convolutions or binary ops) a packed texture would
 * be unpacked again at every call, so the kernel leaves the upload to tfjs there.
 */
function packedReaders(): boolean {
  return env().getBool('WEBGL_PACK') && env().getBool('WEBGL_PACK_DEPTHWISECONV') && env().getBool('WEBGL_PACK_BINARY_OPERATIONS');
}

const upload: KernelFunc = ({ inputs, backend }) => {
  const { x } = inputs as unknown as { x?: TensorInfo };
  if (x === undefined) throw new EffnetBackendError('webgl', `${UPLOAD} needs the input x`);
  const webgl = backend as MathBackendWebGL;
  const data = webgl.texData.get(x.dataId);
  // Float32 values still on the CPU only; anything else (on the GPU already, int32, empty) stays as it is.
  if (float32OnCpuOnly(data) && packedReaders()) {
    if (!uploadPacked(webgl, x.dataId, x.shape)) {
      data.isPacked = true;
      withShapeUniforms(() => webgl.uploadToGPU(x.dataId));
    }
  }
  webgl.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
};

/** EffnetUpload (a constant's packed texture, written now without a program) for the `webgl` backend. */
export const uploadConfig: KernelConfig = {
  kernelName: UPLOAD,
  backendName: 'webgl',
  kernelFunc: upload,
};
