// The `webgl` BackendAdapter: tfjs-backend-webgl on a WebGL 2 (or 1) context in browsers.
// isAvailable() probes for a context on a throwaway canvas and loads no tfjs code; the backend
// module is imported on activate(), which also registers effnet's seven inference kernels on WebGL 2
// (src/kernels: 1×1, depthwise and stem convolutions, global mean and SiLU, whose sizes are
// uniforms; the weights written into their textures without a program; the elementwise add and
// product through tfjs's programs with shapes as uniforms), so that a cold first predict compiles fewer shaders. GPU vendor from
// WEBGL_debug_renderer_info where exposed.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall } from '@effnet/backends';
import type { BackendAdapter, BackendAvailability, BackendDescription } from '@effnet/backends';
import { convConfig } from './kernels/conv.js';
import { depthwiseConvConfig } from './kernels/depthwise-conv.js';
import { elementwiseConfig } from './kernels/elementwise.js';
import { globalMeanConfig } from './kernels/global-mean.js';
import { pointwiseConvConfig } from './kernels/pointwise-conv.js';
import { siluConfig } from './kernels/silu.js';
import { uploadConfig } from './kernels/upload.js';

const INSTALL = 'npm install @effnet/backend-webgl @tensorflow/tfjs-backend-webgl';

type Canvas = { getContext(kind: string): unknown };

function makeCanvas(): Canvas | undefined {
  const g = globalThis as unknown as {
    OffscreenCanvas?: new (w: number, h: number) => Canvas;
    document?: { createElement(tag: string): Canvas };
  };
  if (g.OffscreenCanvas !== undefined) return new g.OffscreenCanvas(1, 1);
  if (g.document !== undefined) return g.document.createElement('canvas');
  return undefined;
}

/** Whether a WebGL context can be created here, and why not. */
export function probeWebgl(): BackendAvailability {
  const canvas = makeCanvas();
  if (canvas === undefined) {
    return { available: false, reason: 'no WebGL context: this runtime has no canvas (WebGL needs a browser; in Node use wasm or node)' };
  }
  const context = canvas.getContext('webgl2') ?? canvas.getContext('webgl');
  if (context === null || context === undefined) {
    return { available: false, reason: 'no WebGL context: the browser refused to create one (WebGL disabled or no GPU); use wasm' };
  }
  return { available: true };
}

async function loadWebgl(): Promise<typeof import('@tensorflow/tfjs-backend-webgl')> {
  try {
    return await import('@tensorflow/tfjs-backend-webgl');
  } catch (error) {
    throw new EffnetBackendError('webgl', `@tensorflow/tfjs-backend-webgl could not be loaded (${String(error)}); run \`${INSTALL}\``);
  }
}

function rendererOf(backend: unknown): string | undefined {
  const gl = (backend as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
  if (gl === undefined) return undefined;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return info === null ? String(gl.getParameter(gl.RENDERER)) : String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL));
}

/** The adapter `@effnet/backend-webgl` registers as `webgl`. */
export const webglAdapter: BackendAdapter = {
  name: 'webgl',
  platform: 'browser',
  priority: 30,
  install: INSTALL,
  capabilities: { inference: true, training: true, float16: true, multithreading: true },

  async isAvailable(): Promise<BackendAvailability> {
    return probeWebgl();
  },

  async activate(): Promise<void> {
    const probe = probeWebgl();
    if (!probe.available) throw new EffnetBackendError('webgl', probe.reason!);
    await loadWebgl();
    if (!(await tf.setBackend('webgl'))) throw new EffnetBackendError('webgl', 'tfjs-backend-webgl failed to initialise; use wasm');
    await tf.ready();
    // Their loops run to uniform bounds, which WebGL 1's shading language does not allow.
    if (tf.env().getNumber('WEBGL_VERSION') === 2) {
      for (const config of [pointwiseConvConfig, depthwiseConvConfig, convConfig, globalMeanConfig, siluConfig, uploadConfig, elementwiseConfig]) {
        if (tf.getKernel(config.kernelName, 'webgl') === undefined) tf.registerKernel(config);
      }
    }
  },

  async describe(): Promise<BackendDescription> {
    const webgl = await loadWebgl();
    const active = tf.getBackend() === 'webgl';
    const gpu = active ? rendererOf(tf.backend()) : undefined;
    return {
      name: 'webgl',
      tfjsBackend: 'webgl',
      versions: { 'tfjs-core': tf.version_core, 'tfjs-backend-webgl': webgl.version_webgl },
      ...(gpu === undefined ? {} : { gpu }),
    };
  },

  warmup: timeFirstCall,
};
