// The Web Worker replica of the browser harness's data-parallel check: the tiny conv net built from
// the run's seed on the run's backend (wasm with one thread). With `crashAtStep`, an uncaught
// error is thrown in that step, as a replica that dies would; with `failToBuild`, building the
// replica fails (an error the replica reports).
import * as tf from '@tensorflow/tfjs-core'; // first: its flags must be registered before the gradients are
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { serveReplica, workerScopeTransport } from '@effnet/train';
import { tinyConvNet } from './tiny-conv-net.js';

serveReplica(workerScopeTransport(), async (description) => {
  const { seed, backend, crashAtStep, failToBuild } = description as { seed: number; backend: string; crashAtStep?: number; failToBuild?: boolean };
  if (failToBuild) throw new Error('this replica was asked to fail while it builds');
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the flag
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the plain SIMD build: one thread, no thread pool of its own
  }
  await useBackend(backend);
  const model = tinyConvNet(seed);
  let steps = 0;
  return {
    ...model,
    forward: (x, options) => {
      if (options.training && ++steps === crashAtStep) {
        setTimeout(() => {
          throw new Error(`replica crashed at step ${crashAtStep}`);
        });
      }
      return model.forward(x, options);
    },
  };
});
