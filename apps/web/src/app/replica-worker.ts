// A data-parallel replica of the playground's training run in a Web Worker: the same backend as
// the page (wasm or cpu) and a model built from the run's ModelSpec, whose weights the run
// broadcasts before every step. wasm runs one thread here: the replicas are the parallelism.
import * as tf from '@tensorflow/tfjs-core'; // first: its flags must be registered before the gradients are
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { efficientnet } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { serveReplica, workerScopeTransport } from '@effnet/train';

serveReplica(workerScopeTransport(), async (description) => {
  const { spec, backend } = description as { spec: ModelSpec; backend: string };
  if (backend === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm'); // registers the flag
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the plain SIMD build: one thread, no thread pool of its own
  }
  await useBackend(backend);
  return efficientnet(spec, { seed: 0 }); // its weights are replaced by the run's before every step
});
