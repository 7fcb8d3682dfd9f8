// The `node` and `node-gpu` BackendAdapters: @tensorflow/tfjs-node (libtensorflow on the CPU)
// and @tensorflow/tfjs-node-gpu (CUDA). Both are optional peers, imported dynamically on
// activate(); importing either registers tfjs's `tensorflow` backend, which activate() selects.
// Follows the tfjs-node README (package names, backend name, `version` export).
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, timeFirstCall } from '@effnet/backends';
import type { BackendAdapter, BackendAvailability, BackendDescription } from '@effnet/backends';

/** How a native adapter finds and loads its package; replaceable in tests. */
export interface NativeLoader {
  /** Resolves the package's manifest path without loading it; throws when not installed. */
  resolve(specifier: string): Promise<string>;
  /** Imports the package (which registers the `tensorflow` backend). */
  load(specifier: string): Promise<Record<string, unknown>>;
}

/** Resolves with Node's require.resolve and loads with a dynamic import. */
export const NODE_LOADER: NativeLoader = {
  async resolve(specifier) {
    const { createRequire } = await import('node:module');
    return createRequire(import.meta.url).resolve(`${specifier}/package.json`);
  },
  async load(specifier) {
    return (await import(/* @vite-ignore */ specifier)) as Record<string, unknown>;
  },
};

/** Which native package an adapter wraps. */
export interface NativeAdapterOptions {
  /** Adapter name: `node` or `node-gpu`. */
  readonly name: 'node' | 'node-gpu';
  /** npm package: `@tensorflow/tfjs-node` or `@tensorflow/tfjs-node-gpu`. */
  readonly packageName: string;
  /** Loader (defaults to {@link NODE_LOADER}). */
  readonly loader?: NativeLoader;
}

/** Priority and install line of each native adapter: node-gpu above node, both above the browser backends. */
const NATIVE = {
  node: { priority: 50, install: 'npm install @effnet/backend-node @tensorflow/tfjs-node' },
  'node-gpu': { priority: 60, install: 'npm install @effnet/backend-node @tensorflow/tfjs-node-gpu' },
} as const;

function isNode(): boolean {
  return typeof process !== 'undefined' && process.versions?.node !== undefined;
}

function versionOf(module: Record<string, unknown>, key: string): string {
  const version = module['version'];
  if (typeof version === 'string') return version;
  if (typeof version === 'object' && version !== null) {
    const value = (version as Record<string, unknown>)[key];
    if (typeof value === 'string') return value;
  }
  return 'unknown';
}

/** Builds the adapter for tfjs-node (`node`) or tfjs-node-gpu (`node-gpu`). */
export function nativeAdapter(options: NativeAdapterOptions): BackendAdapter {
  const { name, packageName } = options;
  const loader = options.loader ?? NODE_LOADER;
  const { priority, install } = NATIVE[name];
  const packageKey = packageName.replace('@tensorflow/', '');

  async function load(): Promise<Record<string, unknown>> {
    if (!isNode()) throw new EffnetBackendError(name, `${packageName} runs only in Node.js; in browsers use webgpu, webgl or wasm`);
    try {
      await loader.resolve(packageName);
    } catch {
      throw new EffnetBackendError(name, `${packageName} is not installed; run \`${install}\``);
    }
    try {
      return await loader.load(packageName);
    } catch (error) {
      throw new EffnetBackendError(
        name,
        `${packageName} is installed but its native binding failed to load (${String(error)}); ` +
          `reinstall it (\`${install}\`) so that it downloads libtensorflow for this platform`,
      );
    }
  }

  return {
    name,
    platform: 'node',
    priority,
    install,
    capabilities: { inference: true, training: true, float16: false, multithreading: true },

    async isAvailable(): Promise<BackendAvailability> {
      if (!isNode()) return { available: false, reason: `${packageName} runs only in Node.js` };
      try {
        await loader.resolve(packageName);
      } catch {
        return { available: false, reason: `${packageName} is not installed; run \`${install}\`` };
      }
      return { available: true };
    },

    async activate(): Promise<void> {
      await load();
      if (!(await tf.setBackend('tensorflow'))) {
        throw new EffnetBackendError(name, `${packageName} loaded but the 'tensorflow' backend did not initialise; check that it and @tensorflow/tfjs-core are the same version (npm ls @tensorflow/tfjs-core)`);
      }
      await tf.ready();
    },

    async describe(): Promise<BackendDescription> {
      const module = await load();
      return {
        name,
        tfjsBackend: 'tensorflow',
        versions: { 'tfjs-core': tf.version_core, [packageKey]: versionOf(module, packageKey) },
        ...(name === 'node-gpu' ? { gpu: 'NVIDIA CUDA (libtensorflow GPU build)' } : {}),
      };
    },

    warmup: timeFirstCall,
  };
}

/** The adapter `@effnet/backend-node` registers as `node` (@tensorflow/tfjs-node). */
export const nodeAdapter: BackendAdapter = nativeAdapter({ name: 'node', packageName: '@tensorflow/tfjs-node' });

/** The adapter `@effnet/backend-node` registers as `node-gpu` (@tensorflow/tfjs-node-gpu). */
export const nodeGpuAdapter: BackendAdapter = nativeAdapter({ name: 'node-gpu', packageName: '@tensorflow/tfjs-node-gpu' });
