// `effnet eval <model>`: loss, top-1, top-5 and the confusion matrix of a model folder on a data
// set: fashion-mnist or mnist (their held-out split), or an image folder (one sub-folder per class;
// its test/ sub-folder when it has one).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { useBackend } from '@effnet/backends';
import { imageFolder } from '@effnet/data';
import type { Dataset } from '@effnet/train';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson, renderTable } from '../output.js';
import { DATASET_NAMES, loadDataset, matchClassesByName } from '../run/datasets.js';
import { evaluateModel } from '../run/inference.js';
import { loadModel } from '../run/model-folder.js';
import { inferencePool, resolveWorkers, workerCount } from '../run/replica-pool.js';
import { silentProgress, terminalProgress, type Progress } from '../run/progress.js';
import '../register-backends.js';

/** The held-out data a model is evaluated on. */
function evaluationData(data: string, size: number, channels: 1 | 3, limitPerClass?: number): Dataset {
  if ((DATASET_NAMES as readonly string[]).includes(data)) return loadDataset(data, { limitPerClass }).test;
  const folder = existsSync(join(data, 'test')) ? join(data, 'test') : data;
  return imageFolder(folder, { size, channels });
}

/** Builds the `eval` command. */
export function evalCommand(io: Io, progress?: Progress): Command {
  return new Command('eval')
    .description('evaluate a model folder (effnet train or effnet import) on a data set: loss, top-1, top-5, confusion matrix')
    .argument('<model>', 'run folder of effnet train, or folder written by effnet import')
    .option('--data <name|folder>', 'fashion-mnist, mnist, or an image folder (one sub-folder per class)', 'fashion-mnist')
    .option('--batch <n>', 'images per batch', positiveInteger, 128)
    .option('--limit-per-class <n>', 'use at most N images per class', positiveInteger)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--workers <n>', 'replicas sharing the batches: the main thread and n - 1 worker threads, each loading the model on its own wasm/cpu backend; no more than there are batches (default: the cores available, at most 8, on wasm and cpu; else 1)', workerCount)
    .option('--json', 'print JSON instead of text')
    .action(async (folder: string, options: { data: string; batch: number; limitPerClass?: number; backend: string; workers?: number; json?: boolean }) => {
      const backend = (await useBackend(options.backend)).name;
      const workers = resolveWorkers(options.workers, backend);
      const { model, meta } = await loadModel(folder);
      let pool: Awaited<ReturnType<typeof inferencePool>> = null;
      try {
        const data = matchClassesByName(evaluationData(options.data, meta.imageSize, model.spec.inChannels as 1 | 3, options.limitPerClass), meta.classNames);
        pool = await inferencePool(Math.min(workers, Math.ceil(data.size / options.batch)), folder, backend, model, meta);
        const bar = (progress ?? (options.json ? silentProgress : terminalProgress())).bar('evaluate', data.size, 'images');
        const result = await evaluateModel(model, meta, data, { batchSize: options.batch, onProgress: (n) => bar.update(n) }, pool ?? undefined).finally(() => bar.stop());
        // A 1000-class confusion matrix is a million numbers: JSON carries it up to 100 classes.
        const { confusion, ...scores } = result;
        if (options.json) return printJson({ model: folder, data: data.name, backend, workers: pool?.size ?? 1, ...scores, ...(meta.classNames.length <= 100 ? { confusion } : {}) }, io.out);
        io.out(`${meta.spec.name} on ${data.name} (${result.count} images, ${meta.imageSize}px, backend ${backend}): top-1 ${(result.top1 * 100).toFixed(2)} %, top-5 ${(result.top5 * 100).toFixed(2)} %, loss ${result.loss.toFixed(4)}\n`);
        if (meta.classNames.length <= 20) {
          const names = meta.classNames;
          io.out(`confusion matrix (rows: truth, columns: predicted)\n${renderTable(['', ...names.map((_, i) => String(i))], result.confusion.map((row, i) => [`${i} ${names[i]}`, ...row]))}\n`);
        }
      } finally {
        await pool?.close();
        model.dispose();
      }
    });
}
