// Test helper: makes the wasm backend usable in Node (its .wasm files from the installed
// package) without registering any effnet kernel or adapter, and leaves cpu selected; the seeded
// generator of the parity sweeps, the error measure they bound, and their check for leaked buffers.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelBackend } from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { nodeWasmDir } from '../src/wasm-paths.js';

/** Points tfjs-backend-wasm at its files, initialises wasm and cpu, and selects cpu. */
export async function useWasmForTests(): Promise<void> {
  setWasmPaths((await nodeWasmDir())!);
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
}

/** mulberry32: seeded uniform numbers in [0, 1), so every run checks the same cases. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest |actual − expected| relative to the largest |expected| (at least 1e-6): the sweeps' error. */
export function maxRelativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1e-6;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]!));
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!) / scale);
  return worst;
}

/** The wasm backend's buffers and all tensors counted now; the returned check expects both counts again. */
export function leakCheck(): () => void {
  tf.setBackend('wasm');
  const buffers = (tf.backend() as KernelBackend).numDataIds();
  const tensors = tf.memory().numTensors;
  return () => {
    tf.setBackend('wasm');
    expect((tf.backend() as KernelBackend).numDataIds()).toBe(buffers);
    expect(tf.memory().numTensors).toBe(tensors);
  };
}
