// `effnet import <checkpoint>`: torchvision or timm safetensors weights (names detected) →
// an effnet model folder that `effnet eval` and `effnet predict` read. The preset fixes the
// architecture; every tensor must match it in name and shape, or nothing is written.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { useBackend } from '@effnet/backends';
import { efficientnet, importWeights, type CheckpointFormat } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { printJson } from '../output.js';
import { saveModel } from '../run/model-folder.js';
import { checkFolder, clearRun, removeLeftovers, usedEntries } from '../run/run-folder.js';
import { lockRunFolder } from '../run/run-lock.js';
import '../register-backends.js';

/** Imports `file` as `presetName` into `out`; returns what was written. */
export async function importCheckpoint(file: string, presetName: string, out: string, options: { numClasses?: number; resolution?: number; from?: CheckpointFormat | 'auto'; ignore?: string[]; overwrite?: boolean } = {}) {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new EffnetDataError(file, `cannot read the checkpoint: ${(error as Error).message}`);
  }
  checkFolder(out, '--out');
  const used = usedEntries(out);
  if (used.length > 0 && !options.overwrite) {
    throw new EffnetDataError(out, `already holds a model or run (${used.join(', ')}): add --overwrite to replace it, or choose another --out`);
  }
  const spec = preset(presetName, { ...(options.numClasses ? { numClasses: options.numClasses } : {}), ...(options.resolution ? { resolution: options.resolution } : {}) }) as ModelSpec;
  const model = efficientnet(spec);
  try {
    const format = importWeights(model, bytes, { from: options.from ?? 'auto', ignore: options.ignore ?? [] });
    const classNames = Array.from({ length: spec.numClasses }, (_, i) => `class ${i}`);
    const { mean, std } = spec.preprocessing;
    // Only once the weights are in: a failed import leaves the folder as it was.
    const unlock = lockRunFolder(out);
    let path: string;
    try {
      clearRun(out);
      removeLeftovers(out);
      path = await saveModel(out, model, { spec, classNames, mean: [...mean], std: [...std], imageSize: spec.resolution.eval, source: `effnet import ${file} (${format} names)` });
    } finally {
      unlock();
    }
    return { out, model: path, format, preset: spec.name, params: model.countParams(), imageSize: spec.resolution.eval };
  } finally {
    model.dispose();
  }
}

/** Builds the `import` command. */
export function importCommand(io: Io): Command {
  return new Command('import')
    .description('import torchvision or timm safetensors weights into an effnet model folder (for effnet eval and predict)')
    .argument('<checkpoint>', '.safetensors file with torchvision parameter names')
    .requiredOption('--preset <name>', 'architecture of the checkpoint, e.g. efficientnet-b0')
    .requiredOption('--out <folder>', 'folder to write the model to')
    .addOption(new Option('--from <names>', 'whose parameter names the file uses').choices(['auto', 'torchvision', 'timm']).default('auto'))
    .option('--ignore <tensor...>', 'tensors of the file to leave out (e.g. reference outputs stored beside the weights)')
    .option('--num-classes <n>', 'classes of the checkpoint’s classifier (default: the preset’s, 1000 for ImageNet ones)', positiveInteger)
    .option('--resolution <pixels>', 'input size for eval and predict (default: the preset’s eval size)', positiveInteger)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--overwrite', 'replace the model or run already in --out')
    .option('--json', 'print JSON instead of text')
    .action(async (file: string, options: { preset: string; out: string; numClasses?: number; resolution?: number; from: CheckpointFormat | 'auto'; ignore?: string[]; overwrite?: boolean; backend: string; json?: boolean }) => {
      await useBackend(options.backend);
      const result = await importCheckpoint(file, options.preset, options.out, options);
      if (options.json) return printJson(result, io.out);
      io.out(`imported ${file} (${result.format} names) as ${result.preset} (${result.params.toLocaleString('en')} parameters, ${result.imageSize}px) into ${result.model}\n`);
    });
}
