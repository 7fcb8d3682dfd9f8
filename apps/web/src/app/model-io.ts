// Where the page's models come from and go: a model folder picked from disk (what `effnet train`
// and `effnet import` write: model.json + weights.bin + model-meta.json, or the run folder holding
// it in model/), IndexedDB (idb-keyval), and a download: a zip of the same folder, which
// `effnet predict --model <unzipped>` reads.
import type * as tf from '@tensorflow/tfjs-core';
import { zipSync, strToU8 } from 'fflate';
import { createStore, del, get, keys, set } from 'idb-keyval';
import { artifactsFromDirectory, loadModel, MODEL_META_FILE, modelMetaJson, parseModelMeta, saveWeights, type EfficientNet, type ModelMeta } from '@effnet/models';
import { PlaygroundError } from './errors.js';

/** A model with its class names and normalisation. */
export interface LoadedModel {
  model: EfficientNet;
  meta: ModelMeta;
}

const models = createStore('effnet-playground', 'models');

function relative(file: File): string {
  return file.webkitRelativePath || file.name;
}

/** Loads the model of a picked folder (the run folder of `effnet train` or the model folder itself). */
export async function loadFolder(files: File[]): Promise<LoadedModel> {
  const manifests = files.filter((f) => relative(f).split('/').at(-1) === 'model.json').sort((a, b) => relative(a).length - relative(b).length);
  if (manifests.length === 0) throw new PlaygroundError('folder', 'holds no model.json: pick the folder written by effnet train (its run folder or model/) or effnet import');
  const dir = relative(manifests[0]!).split('/').slice(0, -1).join('/');
  const inDir = (name: string) => files.find((f) => relative(f) === (dir ? `${dir}/${name}` : name));
  const metaFile = inDir(MODEL_META_FILE);
  if (!metaFile) throw new PlaygroundError(dir || 'folder', 'has no model-meta.json beside model.json (class names and normalisation); write it with effnet train or effnet import');
  const handler: tf.io.IOHandler = {
    load: () => artifactsFromDirectory({
      manifest: async () => new Uint8Array(await manifests[0]!.arrayBuffer()),
      size: async (path) => {
        const file = inDir(path);
        if (!file) throw new PlaygroundError(`${dir}/${path}`, 'is named in model.json but was not picked with the folder');
        return file.size;
      },
      read: async (path, into) => into.set(new Uint8Array(await inDir(path)!.arrayBuffer())),
    }),
  };
  const model = await loadModel(handler);
  try {
    return { model, meta: parseModelMeta(await metaFile.text(), model.spec, dir ? `${dir}/${MODEL_META_FILE}` : MODEL_META_FILE) };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** model.json (tf.io's layout, weights in weights.bin) and the weights, as the CLI writes them. */
async function folderFiles(model: EfficientNet): Promise<{ json: string; weights: Uint8Array }> {
  let captured: tf.io.ModelArtifacts | undefined;
  await saveWeights(model, { save: async (artifacts) => ((captured = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }) });
  const a = captured!;
  const json = JSON.stringify({ format: a.format, generatedBy: a.generatedBy, modelTopology: a.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs ?? [] }] });
  return { json, weights: new Uint8Array(a.weightData as ArrayBuffer) };
}

/** A zip holding `<name>/model.json`, `<name>/weights.bin` and `<name>/model-meta.json`. */
export async function modelFolderZip(loaded: LoadedModel, name = 'model'): Promise<Uint8Array> {
  const { json, weights } = await folderFiles(loaded.model);
  return zipSync({ [name]: { 'model.json': strToU8(json), 'weights.bin': weights, [MODEL_META_FILE]: strToU8(modelMetaJson(loaded.meta)) } });
}

/** Saves the model under `name` in IndexedDB (the same three files, as bytes). */
export async function saveToIndexedDb(name: string, loaded: LoadedModel): Promise<void> {
  const { json, weights } = await folderFiles(loaded.model);
  await set(name, { json, weights, meta: modelMetaJson(loaded.meta), savedAt: new Date().toISOString() }, models);
}

/** Names of the models saved in IndexedDB. */
export async function savedModels(): Promise<string[]> {
  return (await keys(models)).map(String).sort();
}

/** Loads a model saved with {@link saveToIndexedDb}. */
export async function loadFromIndexedDb(name: string): Promise<LoadedModel> {
  const entry = await get<{ json: string; weights: Uint8Array; meta: string }>(name, models);
  if (!entry) throw new PlaygroundError(name, 'is not a model saved in this browser (IndexedDB)');
  const files = [new File([entry.json], 'model.json'), new File([entry.weights as Uint8Array<ArrayBuffer>], 'weights.bin'), new File([entry.meta], MODEL_META_FILE)];
  return loadFolder(files);
}

/** Removes a saved model. */
export async function deleteFromIndexedDb(name: string): Promise<void> {
  await del(name, models);
}
