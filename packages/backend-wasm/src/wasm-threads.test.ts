// setWasmThreads: checked counts, honoured only before the backend's first start, and navigator
// left as it was after the start (in Node, which has no threaded build, the start still works).
import * as tf from '@tensorflow/tfjs-core';
import { EffnetBackendError, useBackend } from '@effnet/backends';
import { describe, expect, it } from 'vitest';
import './register-all.js';
import { setWasmThreads } from './wasm-threads.js';

describe('setWasmThreads', () => {
  it.each([0, 9, 1.5, Number.NaN])('refuses %s threads with EffnetBackendError', (threads) => {
    expect(() => setWasmThreads(threads)).toThrow(EffnetBackendError);
    expect(() => setWasmThreads(threads)).toThrow(/threads must be an integer from 1 to 8/);
  });

  it('is taken before the first start, then refused; hardwareConcurrency is restored', async () => {
    const cores = globalThis.navigator?.hardwareConcurrency;
    setWasmThreads(2);
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(globalThis.navigator?.hardwareConcurrency).toBe(cores);
    expect(() => setWasmThreads(2)).toThrow(/only before the first useBackend\('wasm'\)/);
  });
});
