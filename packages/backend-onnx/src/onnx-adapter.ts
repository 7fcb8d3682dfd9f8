// The `onnx` BackendAdapter: inference only (its capabilities say so), through onnxruntime-node in
// Node and onnxruntime-web in browsers. Activating it loads the runtime and keeps a tfjs backend
// (cpu) for the tensors around the sessions; models run through OnnxModel.create(model).
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall, type BackendAdapter, type BackendAvailability, type BackendDescription, type WarmupTarget } from '@effnet/backends';
import { inNode, loadRuntime } from './onnx-runtime.js';

/** The adapter `@effnet/backend-onnx` registers as `onnx`. */
export const onnxAdapter: BackendAdapter = {
  name: 'onnx',
  platform: inNode() ? 'node' : 'browser',
  // Never chosen by useBackend('auto'): it cannot train, and it runs models through OnnxModel.
  priority: 0,
  install: 'npm install @effnet/backend-onnx onnxruntime-node (Node) or onnxruntime-web (browsers)',
  capabilities: { inference: true, training: false, float16: true, multithreading: true },
  async isAvailable(): Promise<BackendAvailability> {
    try {
      await loadRuntime();
      return { available: true };
    } catch (error) {
      return { available: false, reason: (error as Error).message };
    }
  },
  async activate(): Promise<void> {
    await loadRuntime();
    // The tensors handed to and from onnxruntime live in tfjs; cpu is always there.
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new EffnetBackendError('onnx', 'tfjs-backend-cpu (for the tensors around onnxruntime) failed to initialise');
    await tf.ready();
  },
  async describe(): Promise<BackendDescription> {
    const runtime = await loadRuntime();
    return { name: 'onnx', tfjsBackend: tf.getBackend(), versions: { 'tfjs-core': tf.version_core, [runtime.name]: runtime.version } };
  },
  warmup(model: WarmupTarget, inputShape: number[]): Promise<number> {
    return timeFirstCall(model, inputShape);
  },
};
