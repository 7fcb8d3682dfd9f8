// Loads the onnxruntime that fits the platform: onnxruntime-node in Node (native CPU execution),
// onnxruntime-web in a browser (wasm, or webgpu where the browser has it). Both implement
// onnxruntime-common's InferenceSession and Tensor, which is all this package uses.
import type { Env, InferenceSession, Tensor } from 'onnxruntime-common';
import { EffnetBackendError } from '@effnet/backends';

/** What this package needs of an onnxruntime package. */
export interface OnnxRuntime {
  /** Package name and version, e.g. `onnxruntime-node 1.30.0`. */
  readonly name: string;
  /** Version of the runtime. */
  readonly version: string;
  /** `InferenceSession.create` of the package. */
  readonly InferenceSession: { create(bytes: Uint8Array, options?: InferenceSession.SessionOptions): Promise<InferenceSession> };
  /** The package's Tensor class. */
  readonly Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => Tensor;
  /**
   * The package's `env`: in browsers, set `env.wasm.wasmPaths` to where onnxruntime-web's .wasm
   * files are served (bundlers move them) and `env.wasm.numThreads` before the first session.
   */
  readonly env: Env;
}

/** Whether this is Node (not a browser or a worker). */
export function inNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node !== undefined;
}

let loaded: Promise<OnnxRuntime> | null = null;

/**
 * The platform's onnxruntime, loaded once.
 *
 * @throws EffnetBackendError with the install line when the package is missing.
 */
export function loadRuntime(): Promise<OnnxRuntime> {
  loaded ??= (async () => {
    const name = inNode() ? 'onnxruntime-node' : 'onnxruntime-web';
    try {
      const ort = (inNode() ? await import('onnxruntime-node') : await import(/* @vite-ignore */ 'onnxruntime-web')) as unknown as Omit<OnnxRuntime, 'name' | 'version'>;
      const version = ort.env.versions?.['node'] ?? ort.env.versions?.['web'] ?? ort.env.versions?.['common'] ?? 'unknown';
      return { name, version, InferenceSession: ort.InferenceSession, Tensor: ort.Tensor, env: ort.env };
    } catch (error) {
      loaded = null;
      throw new EffnetBackendError('onnx', `${name} could not be loaded (${String(error)}); run \`npm install @effnet/backend-onnx ${name}\``);
    }
  })();
  return loaded;
}
