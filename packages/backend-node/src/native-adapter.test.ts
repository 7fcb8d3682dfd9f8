// The node and node-gpu adapters: without their packages (as here) they say why and how to
// install; with a stand-in package that registers a `tensorflow` backend they activate it.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter, listBackends, useBackend } from '@effnet/backends';
import { nativeAdapter, nodeAdapter, nodeGpuAdapter } from './index.js';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('node adapters without their packages', () => {
  it('are registered on import under node and node-gpu', () => {
    expect(getAdapter('node')).toBe(nodeAdapter);
    expect(getAdapter('node-gpu')).toBe(nodeGpuAdapter);
  });

  it('isAvailable says the package is missing and gives the install line', async () => {
    expect(await nodeAdapter.isAvailable()).toEqual({
      available: false,
      reason: '@tensorflow/tfjs-node is not installed; run `npm install @effnet/backend-node @tensorflow/tfjs-node`',
    });
    expect(await nodeGpuAdapter.isAvailable()).toEqual({
      available: false,
      reason: '@tensorflow/tfjs-node-gpu is not installed; run `npm install @effnet/backend-node @tensorflow/tfjs-node-gpu`',
    });
  });

  it('activate throws EffnetBackendError with the install line', async () => {
    const error = await rejection(nodeAdapter.activate());
    expect(error).toBeInstanceOf(EffnetBackendError);
    expect(error.message).toBe(
      "backend 'node': @tensorflow/tfjs-node is not installed; run `npm install @effnet/backend-node @tensorflow/tfjs-node`",
    );
    const gpu = await rejection(nodeGpuAdapter.activate());
    expect(gpu).toBeInstanceOf(EffnetBackendError);
    expect((gpu as EffnetBackendError).backend).toBe('node-gpu');
    expect(gpu.message).toContain('npm install @effnet/backend-node @tensorflow/tfjs-node-gpu');
  });

  it('useBackend(node-gpu) refuses with the reason; listBackends reports both unavailable', async () => {
    const error = await rejection(useBackend('node-gpu'));
    expect(error).toBeInstanceOf(EffnetBackendError);
    expect(error.message).toContain('not available here: @tensorflow/tfjs-node-gpu is not installed');
    const rows = await listBackends();
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['node-gpu', false],
      ['node', false],
    ]);
  });
});

describe('node adapter with a stand-in package', () => {
  afterAll(() => {
    tf.removeBackend('tensorflow');
  });

  it('loads the package, selects the tensorflow backend and reports its version', async () => {
    const loaded: string[] = [];
    const adapter = nativeAdapter({
      name: 'node',
      packageName: '@tensorflow/tfjs-node',
      loader: {
        resolve: async (specifier) => `/fake/${specifier}/package.json`,
        load: async (specifier) => {
          loaded.push(specifier);
          tf.registerBackend('tensorflow', () => new MathBackendCPU());
          return { version: { 'tfjs-node': '4.22.0' } };
        },
      },
    });
    expect(await adapter.isAvailable()).toEqual({ available: true });
    await adapter.activate();
    expect(tf.getBackend()).toBe('tensorflow');
    expect(loaded).toEqual(['@tensorflow/tfjs-node']);
    tf.removeBackend('tensorflow');
    const info = await adapter.describe();
    expect(info.versions['tfjs-node']).toBe('4.22.0');
  });

  it('a binding that fails to load is an EffnetBackendError telling to reinstall', async () => {
    const adapter = nativeAdapter({
      name: 'node-gpu',
      packageName: '@tensorflow/tfjs-node-gpu',
      loader: {
        resolve: async () => '/fake/package.json',
        load: async () => {
          throw new Error('libtensorflow.so.2: cannot open shared object file');
        },
      },
    });
    const error = await rejection(adapter.activate());
    expect(error).toBeInstanceOf(EffnetBackendError);
    expect(error.message).toContain('native binding failed to load (Error: libtensorflow.so.2');
    expect(error.message).toContain('npm install @effnet/backend-node @tensorflow/tfjs-node-gpu');
  });
});
