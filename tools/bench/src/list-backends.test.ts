// Acceptance in Node with every effnet backend plugin imported: listBackends() reports cpu and
// wasm available; node and node-gpu unavailable because their packages are not installed;
// webgl and webgpu unavailable for want of a WebGL context / navigator.gpu. useBackend('auto')
// then picks wasm, the fastest available here.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, listBackends, useBackend } from '@effnet/backends';
import '@effnet/backend-cpu';
import '@effnet/backend-node';
import '@effnet/backend-wasm';
import '@effnet/backend-webgl';
import '@effnet/backend-webgpu';

describe('backends in Node', () => {
  it('listBackends reports each backend with its availability and reason', async () => {
    const rows = await listBackends();
    expect(rows.map((r) => [r.name, r.available])).toEqual([
      ['node-gpu', false],
      ['node', false],
      ['webgpu', false],
      ['webgl', false],
      ['wasm', true],
      ['cpu', true],
    ]);
    const reason = (name: string) => rows.find((r) => r.name === name)!.reason;
    expect(reason('node')).toBe('@tensorflow/tfjs-node is not installed; run `npm install @effnet/backend-node @tensorflow/tfjs-node`');
    expect(reason('node-gpu')).toBe('@tensorflow/tfjs-node-gpu is not installed; run `npm install @effnet/backend-node @tensorflow/tfjs-node-gpu`');
    expect(reason('webgl')).toMatch(/^no WebGL context/);
    expect(reason('webgpu')).toMatch(/^no navigator\.gpu/);
    expect(reason('wasm')).toBeUndefined();
    expect(reason('cpu')).toBeUndefined();
  });

  it("useBackend('auto') activates wasm, the fastest available backend in Node", async () => {
    const adapter = await useBackend('auto');
    expect(adapter.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const info = await adapter.describe();
    expect(info.versions['tfjs-backend-wasm']).toBe('4.22.0');
    expect(info.simd).toBe(true);
    await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it("useBackend('node') throws EffnetBackendError with the install line", async () => {
    await expect(useBackend('node')).rejects.toThrow(EffnetBackendError);
    await expect(useBackend('node')).rejects.toThrow('npm install @effnet/backend-node @tensorflow/tfjs-node');
  });
});
