// Test helper: the backends every detection test runs on (cpu always, wasm with its .wasm files
// from the installed package), selected per test with `useBackend`.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

setWasmPaths(`${dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json'))}/dist/`);

/** Backends the detection tests cover in Node (webgl runs in the browser harness). */
export const TEST_BACKENDS = ['cpu', 'wasm'] as const;

/** Selects `name`, waiting for it to initialise. */
export async function useBackend(name: string): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

// Importing the wasm package registers it with a higher priority than cpu; start on cpu.
await useBackend('cpu');
