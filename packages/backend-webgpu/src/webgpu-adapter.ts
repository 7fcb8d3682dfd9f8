// The `webgpu` BackendAdapter: tfjs-backend-webgpu on navigator.gpu in browsers. isAvailable()
// asks navigator.gpu for an adapter (no tfjs code is loaded); the backend module is imported on
// activate(). GPU vendor from GPUAdapter.info (WebGPU spec) where the browser exposes it.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall } from '@effnet/backends';
import type { BackendAdapter, BackendAvailability, BackendDescription } from '@effnet/backends';

const INSTALL = 'npm install @effnet/backend-webgpu @tensorflow/tfjs-backend-webgpu';

interface GpuLike {
  requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string }; features?: { has(f: string): boolean } } | null>;
}

function gpu(): GpuLike | undefined {
  return (globalThis as unknown as { navigator?: { gpu?: GpuLike } }).navigator?.gpu;
}

/** Whether WebGPU can run here, and why not. */
export async function probeWebgpu(): Promise<BackendAvailability> {
  const api = gpu();
  if (api === undefined) {
    return { available: false, reason: 'no navigator.gpu: this runtime has no WebGPU (use a WebGPU browser; in Node use wasm or node)' };
  }
  const adapter = await api.requestAdapter();
  if (adapter === null) return { available: false, reason: 'navigator.gpu returned no adapter (WebGPU disabled or unsupported GPU); use webgl or wasm' };
  return { available: true };
}

async function loadWebgpu(): Promise<typeof import('@tensorflow/tfjs-backend-webgpu')> {
  try {
    return await import('@tensorflow/tfjs-backend-webgpu');
  } catch (error) {
    throw new EffnetBackendError('webgpu', `@tensorflow/tfjs-backend-webgpu could not be loaded (${String(error)}); run \`${INSTALL}\``);
  }
}

/** The adapter `@effnet/backend-webgpu` registers as `webgpu`. */
export const webgpuAdapter: BackendAdapter = {
  name: 'webgpu',
  platform: 'browser',
  priority: 40,
  install: INSTALL,
  capabilities: { inference: true, training: true, float16: false, multithreading: true },

  isAvailable: probeWebgpu,

  async activate(): Promise<void> {
    const probe = await probeWebgpu();
    if (!probe.available) throw new EffnetBackendError('webgpu', probe.reason!);
    await loadWebgpu();
    if (!(await tf.setBackend('webgpu'))) throw new EffnetBackendError('webgpu', 'tfjs-backend-webgpu failed to initialise; use webgl or wasm');
    await tf.ready();
  },

  async describe(): Promise<BackendDescription> {
    const webgpu = await loadWebgpu();
    const info = (await gpu()?.requestAdapter())?.info;
    const vendor = [info?.vendor, info?.architecture].filter((s) => s !== undefined && s !== '').join(' ');
    return {
      name: 'webgpu',
      tfjsBackend: 'webgpu',
      versions: { 'tfjs-core': tf.version_core, 'tfjs-backend-webgpu': String((webgpu as Record<string, unknown>)['version_webgpu'] ?? tf.version_core) },
      ...(vendor === '' ? {} : { gpu: vendor }),
    };
  },

  warmup: timeFirstCall,
};
