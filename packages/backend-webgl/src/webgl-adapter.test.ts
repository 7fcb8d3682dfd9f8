// The webgl adapter in Node: registered on import, unavailable with a reason, and activate()
// refuses with an EffnetBackendError carrying that reason.
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter } from '@effnet/backends';
import { webglAdapter } from './index.js';

describe('webgl adapter in Node', () => {
  it('is registered on import as a browser backend ranked above wasm', () => {
    expect(getAdapter('webgl')).toBe(webglAdapter);
    expect(webglAdapter.platform).toBe('browser');
    expect(webglAdapter.priority).toBe(30);
  });

  it('is unavailable: no WebGL context', async () => {
    expect(await webglAdapter.isAvailable()).toEqual({
      available: false,
      reason: 'no WebGL context: this runtime has no canvas (WebGL needs a browser; in Node use wasm or node)',
    });
  });

  it('activate throws EffnetBackendError with the reason', async () => {
    await expect(webglAdapter.activate()).rejects.toThrow(EffnetBackendError);
    await expect(webglAdapter.activate()).rejects.toThrow(/backend 'webgl': no WebGL context/);
  });
});
