// A data-parallel replica of the tiny conv net in a worker thread, for the tests (run with tsx as
// the loader). The model description is `{ seed, exitAtStep? }`: with `exitAtStep`, the worker
// exits in the middle of that step, as a crashed worker would.
import '@tensorflow/tfjs'; // in plain Node, the union package's bundle registers the cpu backend and the gradients
import * as tf from '@tensorflow/tfjs-core';
import { serveReplica } from '../src/parallel/serve-replica.js';
import { parentPortTransport } from '../src/node/worker-transport.js';
import { tinyConvNet } from './tiny-conv-net.js';

await tf.setBackend('cpu');
serveReplica(parentPortTransport(), (description) => {
  const { seed, exitAtStep } = description as { seed: number; exitAtStep?: number };
  const model = tinyConvNet(seed);
  let steps = 0;
  return {
    ...model,
    forward: (x, options) => {
      if (options.training && ++steps === exitAtStep) process.exit(3);
      return model.forward(x, options);
    },
  };
});
