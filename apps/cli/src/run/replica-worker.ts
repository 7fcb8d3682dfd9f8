// The worker thread of `effnet train --workers N` and `effnet bench --train --workers N`: one
// data-parallel replica with its own tfjs backend (wasm or cpu), built from the run's ModelSpec.
import '@tensorflow/tfjs'; // gradient functions (and the cpu backend) for this thread
import '@effnet/backend-cpu';
import '@effnet/backend-wasm';
import { useBackend } from '@effnet/backends';
import { efficientnet } from '@effnet/models';
import type { ModelSpec } from '@effnet/scaling';
import { serveReplica } from '@effnet/train';
import { parentPortTransport } from '@effnet/train/node';

serveReplica(parentPortTransport(), async (description) => {
  const { spec, backend } = description as { spec: ModelSpec; backend: string };
  await useBackend(backend);
  return efficientnet(spec, { seed: 0 }); // its weights are replaced by the run's before every step
});
