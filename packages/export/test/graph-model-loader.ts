// Test helper (not published): loads the files of toGraphModel with tfjs-converter, through the
// same JSON-and-shards path tf.loadGraphModel takes for a URL.
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel, type GraphModel } from '@tensorflow/tfjs-converter';

/** Loads `files` (model.json and shards) as tf.loadGraphModel would from a directory. */
export async function loadGraphModelFiles(files: Map<string, Uint8Array>): Promise<GraphModel> {
  const json = JSON.parse(new TextDecoder().decode(files.get('model.json')!)) as tf.io.ModelJSON;
  const handler: tf.io.IOHandler = {
    load: () =>
      tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = manifest.flatMap((group) => group.paths.map((path) => files.get(path)!));
        return [specs, tf.io.concatenateArrayBuffers(shards.map((s) => s.slice().buffer))];
      }),
  };
  return loadGraphModel(handler);
}
