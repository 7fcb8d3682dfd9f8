// The worker's side of `effnet eval --workers N` and `effnet predict --workers N`: load the model
// folder once on the command's backend, then answer each batch with its logits and losses
// (evaluate) or its probabilities (predict), computed as the main thread computes them.
import { useBackend } from '@effnet/backends';
import type { EfficientNet } from '@effnet/models';
import { serveRequests } from '@effnet/train';
import { evaluationOutputs, type InferencePort } from './inference-pool.js';
import { probabilities } from './inference.js';
import { loadModel, type ModelMeta } from './model-folder.js';

/** Serves inference on `port` until the worker is terminated; errors go back as one message. */
export function serveInference(port: InferencePort): void {
  let loaded: { model: EfficientNet; meta: ModelMeta } | null = null;
  serveRequests(port, async (message) => {
    if (message.type === 'load') {
      await useBackend(message.backend);
      loaded = await loadModel(message.folder);
      port.send({ type: 'ready' });
      return;
    }
    if (!loaded) throw new Error(`'${message.type}' arrived before the model was loaded`);
    if (message.type === 'evaluate') {
      const { logits, losses } = await evaluationOutputs(loaded.model, loaded.meta, message.batch);
      port.send({ type: 'outputs', logits, losses });
    } else {
      port.send({ type: 'probabilities', values: await probabilities(loaded.model, loaded.meta, message.batch) });
    }
  });
}
