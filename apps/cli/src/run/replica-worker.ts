// The worker thread of every `--workers N`: a replica with its own tfjs backend (wasm or cpu). For
// `effnet train` and `effnet bench --train` a data-parallel gradient replica built from the run's
// ModelSpec; for `effnet eval` and `effnet predict` an inference replica that loads the model folder.
import { workerData } from 'node:worker_threads';
import '@tensorflow/tfjs'; // gradient functions (and the cpu backend) for this thread
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { efficientnet } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { serveReplica } from '@effnet/train';
import { parentPortTransport } from '@effnet/train/node';
import type { FromInference, ToInference } from './inference-pool.js';
import { serveInference } from './inference-replica.js';
import type { ReplicaRole } from './replica-pool.js';

if ((workerData as { role?: ReplicaRole } | null)?.role === 'inference') {
  serveInference(parentPortTransport<FromInference, ToInference>());
} else {
  serveReplica(parentPortTransport(), async (description) => {
    const { spec, backend } = description as { spec: ModelSpec; backend: string };
    await useBackend(backend);
    return efficientnet(spec, { seed: 0 }); // its weights are replaced by the run's before every step
  });
}
