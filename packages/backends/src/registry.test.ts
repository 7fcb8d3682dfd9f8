// The adapter registry with stand-in adapters: auto-selection order, names and reasons in
// listBackends, the install line for unregistered backends, duplicate registration.
import { afterEach, describe, expect, it } from 'vitest';
import { EffnetBackendError, listBackends, registerAdapter, unregisterAdapter, useBackend } from './index.js';
import type { BackendAdapter } from './index.js';

const activated: string[] = [];

// The priorities effnet's plugins declare.
const PRIORITY: Record<string, number> = { 'node-gpu': 60, node: 50, webgpu: 40, webgl: 30, wasm: 20, cpu: 10 };

function fake(name: string, available: boolean): BackendAdapter {
  return {
    name,
    platform: 'node',
    priority: PRIORITY[name] ?? 0,
    install: `npm install @effnet/backend-${name}`,
    capabilities: { inference: true, training: true, float16: false, multithreading: false },
    isAvailable: async () => (available ? { available } : { available, reason: `${name} missing here` }),
    activate: async () => {
      activated.push(name);
    },
    describe: async () => ({ name, tfjsBackend: name, versions: {} }),
    warmup: async () => 0,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('backend registry', () => {
  afterEach(() => {
    for (const name of ['cpu', 'wasm', 'webgl', 'webgpu', 'node', 'node-gpu']) unregisterAdapter(name);
    activated.length = 0;
  });

  it('auto picks the available adapter of highest priority: node-gpu > node > webgpu > webgl > wasm > cpu', async () => {
    for (const [name, ok] of [['cpu', true], ['wasm', true], ['webgl', true], ['webgpu', false], ['node', false], ['node-gpu', false]] as const) {
      registerAdapter(fake(name, ok), 'test');
    }
    expect((await useBackend('auto')).name).toBe('webgl');
    unregisterAdapter('webgl');
    expect((await useBackend('auto')).name).toBe('wasm');
    unregisterAdapter('node');
    registerAdapter(fake('node', true), 'test');
    expect((await useBackend('auto')).name).toBe('node');
    expect(activated).toEqual(['webgl', 'wasm', 'node']);
  });

  it('listBackends gives name, availability and reason, highest priority first', async () => {
    registerAdapter(fake('cpu', true), 'test');
    registerAdapter(fake('node-gpu', false), 'test');
    expect(await listBackends()).toEqual([
      { name: 'node-gpu', platform: 'node', priority: 60, available: false, reason: 'node-gpu missing here' },
      { name: 'cpu', platform: 'node', priority: 10, available: true },
    ]);
  });

  it('an unregistered backend throws EffnetBackendError naming what is registered and how plugins install', async () => {
    registerAdapter(fake('cpu', true), 'test');
    const error = await rejection(useBackend('wasm'));
    expect(error).toBeInstanceOf(EffnetBackendError);
    expect(error.message).toContain("backend 'wasm': no adapter named 'wasm' is registered (registered: cpu)");
    expect(error.message).toContain('`npm install @effnet/backend-<runtime> @tensorflow/tfjs-backend-<runtime>`');
    expect(error.message).toContain("`import '@effnet/backend-<runtime>'`");
    const gpu = await rejection(useBackend('node-gpu'));
    expect(gpu.message).toContain('@effnet/backend-node with @tensorflow/tfjs-node or tfjs-node-gpu');
  });

  it('a registered adapter declares its own priority and install line', async () => {
    registerAdapter(fake('wasm', false), 'test');
    expect((await rejection(useBackend('wasm'))).message).toBe("backend 'wasm': not available here: wasm missing here");
    expect([fake('wasm', true).priority, fake('wasm', true).install]).toEqual([20, 'npm install @effnet/backend-wasm']);
  });

  it('an unavailable backend asked by name throws with its reason; auto with none available lists reasons', async () => {
    registerAdapter(fake('node', false), 'test');
    expect((await rejection(useBackend('node'))).message).toBe("backend 'node': not available here: node missing here");
    expect((await rejection(useBackend('auto'))).message).toContain('node: node missing here');
    expect(activated).toEqual([]);
  });

  it('registering a name twice throws naming both registrants', () => {
    registerAdapter(fake('wasm', true), '@effnet/backend-wasm');
    expect(() => registerAdapter(fake('wasm', true), 'my-fork')).toThrow(
      "backend 'wasm': an adapter with this name is already registered by @effnet/backend-wasm; my-fork tried to register another.",
    );
  });
});
