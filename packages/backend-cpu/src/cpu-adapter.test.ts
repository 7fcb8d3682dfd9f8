// The cpu adapter: registered on import, available, activates tfjs-backend-cpu, describes its
// versions, warms up a function and refuses a second registration naming both registrants.
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { EffnetBackendError, getAdapter, registerAdapter, useBackend } from '@effnet/backends';
import { cpuAdapter } from './index.js';

describe('cpu adapter', () => {
  it('is registered on import and available', async () => {
    expect(getAdapter('cpu')).toBe(cpuAdapter);
    expect(await cpuAdapter.isAvailable()).toEqual({ available: true });
  });

  it('activates through useBackend and describes tfjs 4.22', async () => {
    expect(await useBackend('cpu')).toBe(cpuAdapter);
    expect(tf.getBackend()).toBe('cpu');
    const info = await cpuAdapter.describe();
    expect(info.versions['tfjs-backend-cpu']).toMatch(/^4\.22\./);
    expect(info.threads).toBe(1);
  });

  it('warmup runs the function once and returns its milliseconds', async () => {
    let calls = 0;
    const ms = await cpuAdapter.warmup((x) => {
      calls++;
      return tf.add(x, 1);
    }, [2, 3]);
    expect(calls).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(0);
  });

  it('registering a second cpu adapter names both registrants', () => {
    expect(() => registerAdapter({ ...cpuAdapter }, 'my-app')).toThrow(EffnetBackendError);
    expect(() => registerAdapter({ ...cpuAdapter }, 'my-app')).toThrow(/already registered by @effnet\/backend-cpu; my-app tried/);
  });
});
