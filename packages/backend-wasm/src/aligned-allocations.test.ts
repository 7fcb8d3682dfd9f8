// alignAllocations on a real tfjs-backend-wasm: every tensor made after it starts on a 16-byte
// boundary (before it, some start 8 bytes past one), values and kernels are unchanged, disposing
// frees every block (the backend's count of buffers returns, and the heap does not grow over
// thousands of allocations), and a block the compiled code allocated itself (NonMaxSuppression's
// selected indices, freed by the backend's `_free` too) passes through.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmForTests } from '../test/wasm-setup.js';
import { alignAllocations } from './aligned-allocations.js';

interface Heap {
  getMemoryOffset(dataId: object): number;
  numDataIds(): number;
  wasm: { HEAPU8: Uint8Array };
}

const heap = () => tf.backend() as unknown as Heap & KernelBackend;
const offsets = (tensors: tf.Tensor[]) => tensors.map((t) => heap().getMemoryOffset(t.dataId) % 16);

describe('alignAllocations', () => {
  beforeAll(async () => {
    await useWasmForTests();
    await tf.setBackend('wasm');
  });

  it('puts every tensor made after it on a 16-byte boundary, with the same values and kernels, and frees every block', () => {
    const sizes = Array.from({ length: 40 }, (_, i) => 1 + ((i * 37) % 23));
    const before = sizes.map((n) => tf.fill([n], 1.5));
    // tfjs-backend-wasm's malloc aligns to 8: some of these start 8 bytes past a 16-byte boundary.
    expect(offsets(before).some((o) => o === 8)).toBe(true);
    alignAllocations(tf.backend());
    alignAllocations(tf.backend()); // a second call changes nothing
    const buffers = heap().numDataIds();
    const after = sizes.map((n, i) => tf.tensor1d(Float32Array.from({ length: n }, (_, k) => i * 100 + k)));
    expect(offsets(after).every((o) => o === 0)).toBe(true);
    after.forEach((t, i) => expect(Array.from(t.dataSync())).toEqual(Array.from({ length: sizes[i]! }, (_, k) => i * 100 + k)));
    const sum = tf.addN([after[3]!, after[3]!]);
    expect(heap().getMemoryOffset(sum.dataId) % 16).toBe(0);
    expect(Array.from(sum.dataSync())).toEqual(Array.from(after[3]!.dataSync(), (v) => 2 * v));
    tf.dispose([...after, sum]);
    expect(heap().numDataIds()).toBe(buffers);
    // Freed blocks are reused: thousands of allocations do not grow the heap.
    const heapBytes = heap().wasm.HEAPU8.length;
    for (let i = 0; i < 5000; i++) tf.dispose(tf.tidy(() => tf.add(tf.fill([1000 + (i % 7)], i), 1)));
    expect(heap().wasm.HEAPU8.length).toBe(heapBytes);
    tf.dispose(before);
  });

  it("passes through blocks the compiled code allocated itself: NonMaxSuppression's indices", async () => {
    alignAllocations(tf.backend());
    const buffers = heap().numDataIds();
    const boxes = tf.tensor2d([0, 0, 1, 1, 0, 0.1, 1, 1.1, 0, 2, 1, 3], [3, 4]);
    const scores = tf.tensor1d([0.9, 0.8, 0.7]);
    for (let i = 0; i < 50; i++) {
      const selected = await tf.image.nonMaxSuppressionAsync(boxes, scores, 3, 0.5);
      expect(Array.from(selected.dataSync())).toEqual([0, 2]);
      selected.dispose();
    }
    tf.dispose([boxes, scores]);
    expect(heap().numDataIds()).toBe(buffers);
  });
});
