// `effnet predict <images…>`: top-k classes with names for PNG, JPEG or WebP files, from a model
// folder written by `effnet train` or `effnet import`. An unreadable file ends the command with a
// one-line error naming it. With `--workers N` the main thread decodes N files at a time and shares
// their forward passes with N - 1 worker threads.
import { Command } from 'commander';
import { OnnxModel } from '@effnet/backend-onnx';
import { useBackend } from '@effnet/backends';
import { decodeImage } from '@effnet/data';
import type { Batch } from '@effnet/train';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson, renderTable } from '../output.js';
import { probabilities, topPredictions, type Prediction } from '../run/inference.js';
import { loadModel } from '../run/model-folder.js';
import { inferencePool, resolveWorkers, workerCount } from '../run/replica-pool.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import '../register-backends.js';

/**
 * Top-k predictions for each file, in order; `onnx: true` runs the model through onnxruntime
 * (@effnet/backend-onnx); `workers` above 1 (wasm or cpu `backend`) shares the files with worker threads.
 */
export async function predictFiles(modelFolder: string, files: string[], top: number, progress: Progress = silentProgress, onnx = false, workers = 1, backend = 'wasm'): Promise<{ file: string; predictions: Prediction[] }[]> {
  const { model, meta } = await loadModel(modelFolder);
  let onnxModel: OnnxModel | null = null;
  let pool: Awaited<ReturnType<typeof inferencePool>> = null;
  try {
    if (onnx) onnxModel = await OnnxModel.create(model, { height: meta.imageSize });
    const channels = model.spec.inChannels as 1 | 3;
    pool = onnx ? null : await inferencePool(Math.min(workers, files.length), modelFolder, backend, model, meta);
    const bar = progress.bar('predict', files.length, 'images');
    const results: { file: string; predictions: Prediction[] }[] = [];
    try {
      const image = async (file: string): Promise<Batch> => ({ images: await decodeImage(file, { size: meta.imageSize, channels }), labels: new Int32Array(1), count: 1, imageShape: [meta.imageSize, meta.imageSize, channels] });
      // One file at a time on this thread; with a pool, one per replica at a time.
      const step = pool?.size ?? 1;
      for (let from = 0; from < files.length; from += step) {
        const group = files.slice(from, from + step);
        const batches: Batch[] = [];
        for (const file of group) batches.push(await image(file));
        const probs = pool ? await pool.probabilities(batches) : [await probabilities(onnxModel ?? model, meta, batches[0]!)];
        group.forEach((file, i) => results.push({ file, predictions: topPredictions(probs[i]!, meta.classNames, top)[0]! }));
        bar.update(from + group.length);
      }
    } finally {
      bar.stop();
    }
    return results;
  } finally {
    await pool?.close();
    await onnxModel?.dispose();
    model.dispose();
  }
}

/** Builds the `predict` command. */
export function predictCommand(io: Io, progress?: Progress): Command {
  return new Command('predict')
    .description('classify image files (PNG, JPEG, WebP) with a trained or imported model: top-k classes with names')
    .argument('<images...>', 'image files')
    .requiredOption('--model <folder>', 'run folder of effnet train, or folder written by effnet import')
    .option('--top <k>', 'classes shown per image', positiveInteger, 3)
    .option('--backend <name>', 'backend (see effnet backends; onnx runs the model in onnxruntime-node), or auto', 'auto')
    .option('--workers <n>', 'replicas sharing the images: the main thread and n - 1 worker threads, each loading the model on its own wasm/cpu backend; no more than there are images (default: the cores available, at most 8, on wasm and cpu; else 1)', workerCount)
    .option('--json', 'print JSON instead of a table')
    .action(async (files: string[], options: { model: string; top: number; backend: string; workers?: number; json?: boolean }) => {
      const adapter = await useBackend(options.backend);
      const workers = resolveWorkers(options.workers, adapter.name);
      const results = await predictFiles(options.model, files, options.top, progress ?? (options.json ? silentProgress : terminalProgress()), adapter.name === 'onnx', workers, adapter.name);
      if (options.json) return printJson(results, io.out);
      const rows = results.map(({ file, predictions }) => [
        file, predictions[0]!.name, `${(predictions[0]!.probability * 100).toFixed(1)} %`,
        predictions.slice(1).map((p) => `${p.name} ${(p.probability * 100).toFixed(1)} %`).join(', '),
      ]);
      io.out(`${renderTable(['image', 'top-1', 'probability', 'next'], rows, ['left', 'left', 'right', 'left'])}\n`);
    });
}
