// The `cpu` BackendAdapter: tfjs-backend-cpu, plain JavaScript, available everywhere; the
// fallback of useBackend('auto'). The backend module is loaded on activate() only.
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall } from '@effnet/backends';
import type { BackendAdapter, BackendAvailability, BackendDescription } from '@effnet/backends';

const INSTALL = 'npm install @effnet/backend-cpu @tensorflow/tfjs-backend-cpu';

async function loadCpu(): Promise<typeof import('@tensorflow/tfjs-backend-cpu')> {
  try {
    return await import('@tensorflow/tfjs-backend-cpu');
  } catch (error) {
    throw new EffnetBackendError('cpu', `@tensorflow/tfjs-backend-cpu could not be loaded (${String(error)}); run \`${INSTALL}\``);
  }
}

/** The adapter `@effnet/backend-cpu` registers as `cpu`. */
export const cpuAdapter: BackendAdapter = {
  name: 'cpu',
  platform: typeof process !== 'undefined' && process.versions?.node !== undefined ? 'node' : 'browser',
  priority: 10,
  install: INSTALL,
  capabilities: { inference: true, training: true, float16: false, multithreading: false },

  async isAvailable(): Promise<BackendAvailability> {
    // Plain JavaScript runs anywhere; the package itself is a required peer of this plugin.
    return { available: true };
  },

  async activate(): Promise<void> {
    await loadCpu();
    if (!(await tf.setBackend('cpu'))) throw new EffnetBackendError('cpu', 'tfjs-backend-cpu failed to initialise');
    await tf.ready();
  },

  async describe(): Promise<BackendDescription> {
    const cpu = await loadCpu();
    return { name: 'cpu', tfjsBackend: 'cpu', versions: { 'tfjs-core': tf.version_core, 'tfjs-backend-cpu': cpu.version_cpu }, threads: 1 };
  },

  warmup: timeFirstCall,
};
