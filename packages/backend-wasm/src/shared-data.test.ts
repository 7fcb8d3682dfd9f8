// Identity and same-dtype Cast on wasm share the input's data (one more reference) instead of
// copying it; real casts and string tensors go to the stock kernels; values equal tfjs-cpu's.
import * as tf from '@tensorflow/tfjs-core';
import { getKernel } from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmForTests } from '../test/wasm-setup.js';
import { registerWasmGradientKernels } from './register-kernels.js';
import { castConfig } from './kernels/cast.js';
import { identityConfig } from './kernels/identity.js';

const backend = (): KernelBackend => tf.backend() as KernelBackend;

describe('wasm Identity and Cast', () => {
  beforeAll(async () => {
    await useWasmForTests();
    registerWasmGradientKernels();
    await tf.setBackend('wasm');
  });

  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('replace the stock kernels', () => {
    expect(getKernel('Identity', 'wasm')?.kernelFunc).toBe(identityConfig.kernelFunc);
    expect(getKernel('Cast', 'wasm')?.kernelFunc).toBe(castConfig.kernelFunc);
  });

  it('tf.clone shares the data: one more reference, no new buffer, and the clone outlives the original', async () => {
    const buffers = backend().numDataIds();
    const x = tf.tensor2d([1, 2, 3, 4.5], [2, 2]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    expect(backend().refCount(x.dataId)).toBe(2);
    expect(backend().numDataIds()).toBe(buffers + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4.5]);
    y.dispose();
    expect(backend().numDataIds()).toBe(buffers);
  });

  it('a clone keeps its values when the variable it was taken from is assigned', async () => {
    const initial = tf.tensor1d([1, 2, 3]);
    const v = tf.variable(initial);
    initial.dispose();
    const kept = tf.clone(v);
    const next = tf.tensor1d([7, 8, 9]);
    v.assign(next);
    expect(Array.from(await kept.data())).toEqual([1, 2, 3]);
    expect(Array.from(await v.data())).toEqual([7, 8, 9]);
    tf.dispose([v, kept, next]);
  });

  it('a same-dtype cast shares the data; float32 ↔ int32 casts (stock kernel) convert as tfjs-cpu does', async () => {
    const x = tf.tensor1d([1.7, -1.7, 0, 2.5]);
    const same = tf.cast(x, 'float32');
    expect(same.dataId).toBe(x.dataId);
    const asInt = tf.cast(x, 'int32');
    const back = tf.cast(asInt, 'float32');
    const wasm = { int: Array.from(await asInt.data()), back: Array.from(await back.data()) };
    expect(asInt.dtype).toBe('int32');
    expect(back.dtype).toBe('float32');
    tf.dispose([x, same, asInt, back]);
    await tf.setBackend('cpu');
    const cpu = tf.tidy(() => {
      const c = tf.tensor1d([1.7, -1.7, 0, 2.5]);
      return { int: Array.from(tf.cast(c, 'int32').dataSync()), back: Array.from(tf.cast(tf.cast(c, 'int32'), 'float32').dataSync()) };
    });
    await tf.setBackend('wasm');
    expect(wasm).toEqual(cpu);
    expect(wasm.int).toEqual([1, -1, 0, 2]);
  });

  it('string tensors are cloned by the stock kernel', async () => {
    const s = tf.tensor1d(['a', 'bc']);
    const c = tf.clone(s);
    s.dispose();
    expect(await c.data()).toEqual(['a', 'bc']);
    c.dispose();
  });
});
