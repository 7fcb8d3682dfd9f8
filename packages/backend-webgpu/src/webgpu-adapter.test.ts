// The webgpu adapter in Node: registered on import, unavailable with a reason, activate()
// refuses with an EffnetBackendError; with a stand-in navigator.gpu that has no adapter it says so.
import { afterEach, describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter } from '@effnet/backends';
import { probeWebgpu, webgpuAdapter } from './index.js';

describe('webgpu adapter in Node', () => {
  afterEach(() => {
    delete (globalThis as { navigator?: unknown }).navigator;
  });

  it('is registered on import as a browser backend ranked above webgl', () => {
    expect(getAdapter('webgpu')).toBe(webgpuAdapter);
    expect(webgpuAdapter.priority).toBe(40);
  });

  it('is unavailable: no navigator.gpu', async () => {
    const answer = await webgpuAdapter.isAvailable();
    expect(answer.available).toBe(false);
    expect(answer.reason).toMatch(/^no navigator\.gpu/);
  });

  it('reports a missing GPU adapter', async () => {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu: { requestAdapter: async () => null } }, configurable: true });
    expect((await probeWebgpu()).reason).toMatch(/returned no adapter/);
  });

  it('activate throws EffnetBackendError with the reason', async () => {
    await expect(webgpuAdapter.activate()).rejects.toThrow(EffnetBackendError);
    await expect(webgpuAdapter.activate()).rejects.toThrow(/backend 'webgpu': no navigator\.gpu/);
  });
});
