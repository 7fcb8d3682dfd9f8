// `effnet predict <images…>`: top-k classes with names for PNG, JPEG or WebP files, from a model
// folder written by `effnet train` or `effnet import`. An unreadable file ends the command with a
// one-line error naming it.
import { Command } from 'commander';
import { OnnxModel } from '@effnet/backend-onnx';
import { useBackend } from '@effnet/backends';
import { decodeImage } from '@effnet/data';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson, renderTable } from '../output.js';
import { probabilities, topPredictions, type Prediction } from '../run/inference.js';
import { loadModel } from '../run/model-folder.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import '../register-backends.js';

/** Top-k predictions for each file, in order; `onnx: true` runs the model through onnxruntime (@effnet/backend-onnx). */
export async function predictFiles(modelFolder: string, files: string[], top: number, progress: Progress = silentProgress, onnx = false): Promise<{ file: string; predictions: Prediction[] }[]> {
  const { model, meta } = await loadModel(modelFolder);
  let onnxModel: OnnxModel | null = null;
  try {
    if (onnx) onnxModel = await OnnxModel.create(model, { height: meta.imageSize });
    const channels = model.spec.inChannels as 1 | 3;
    const bar = progress.bar('predict', files.length, 'images');
    const results: { file: string; predictions: Prediction[] }[] = [];
    try {
      for (const [i, file] of files.entries()) {
        const images = await decodeImage(file, { size: meta.imageSize, channels });
        const probs = await probabilities(onnxModel ?? model, meta, { images, labels: new Int32Array(1), count: 1, imageShape: [meta.imageSize, meta.imageSize, channels] });
        results.push({ file, predictions: topPredictions(probs, meta.classNames, top)[0]! });
        bar.update(i + 1);
      }
    } finally {
      bar.stop();
    }
    return results;
  } finally {
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
    .option('--json', 'print JSON instead of a table')
    .action(async (files: string[], options: { model: string; top: number; backend: string; json?: boolean }) => {
      const adapter = await useBackend(options.backend);
      const results = await predictFiles(options.model, files, options.top, progress ?? (options.json ? silentProgress : terminalProgress()), adapter.name === 'onnx');
      if (options.json) return printJson(results, io.out);
      const rows = results.map(({ file, predictions }) => [
        file, predictions[0]!.name, `${(predictions[0]!.probability * 100).toFixed(1)} %`,
        predictions.slice(1).map((p) => `${p.name} ${(p.probability * 100).toFixed(1)} %`).join(', '),
      ]);
      io.out(`${renderTable(['image', 'top-1', 'probability', 'next'], rows, ['left', 'left', 'right', 'left'])}\n`);
    });
}
