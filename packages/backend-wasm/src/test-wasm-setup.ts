// Test helper: makes the wasm backend usable in Node (its .wasm files from the installed
// package) without registering any effnet kernel or adapter, and leaves cpu selected.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { nodeWasmDir } from './wasm-paths.js';

/** Points tfjs-backend-wasm at its files, initialises wasm and cpu, and selects cpu. */
export async function useWasmForTests(): Promise<void> {
  setWasmPaths((await nodeWasmDir())!);
  await tf.setBackend('wasm');
  await tf.ready();
  await tf.setBackend('cpu');
}
