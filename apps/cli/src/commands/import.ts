// `effnet import <checkpoint>`: torchvision or timm safetensors weights (names detected), or a
// Keras 3 `.weights.h5` of keras.applications (`--from keras`) → an effnet model folder that
// `effnet eval` and `effnet predict` read. The preset fixes the architecture; every tensor must
// match it in name and shape, or nothing is written. A 1,000-class import gets ImageNet's names.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { useBackend } from '@effnet/backends';
import { IMAGENET_CLASSES, efficientnet, importKeras, importWeights, kerasOverrides, type CheckpointFormat } from '@effnet/models';
import { preset, type ModelSpec } from '@effnet/scaling';
import { EffnetDataError } from '@effnet/train';
import type { Io } from '../io.js';
import { positiveInteger, rgbTriple } from '../options.js';
import { printJson } from '../output.js';
import { saveModel } from '../run/model-folder.js';
import '../register-backends.js';

import { checkFolder, clearRun, removeLeftovers, usedEntries } from '../run/run-folder.js';
import { lockRunFolder } from '../run/run-lock.js';

const describe = (format: string) => (format === 'keras' ? 'Keras weights' : `${format} names`);

/** Imports `file` as `presetName` into `out`; returns what was written. */
export async function importCheckpoint(file: string, presetName: string, out: string, options: { numClasses?: number; resolution?: number; from?: CheckpointFormat | 'keras' | 'auto'; tfPort?: boolean; mean?: [number, number, number]; std?: [number, number, number]; ignore?: string[]; overwrite?: boolean } = {}) {
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
  const keras = options.from === 'keras';
  // Keras and TensorFlow ports (timm's tf_* models) pad 'same' and use TF's BN eps.
  const tfSettings = keras || options.tfPort ? kerasOverrides(presetName) : {};
  const spec = preset(presetName, { ...(options.numClasses ? { numClasses: options.numClasses } : {}), ...tfSettings, ...(options.resolution ? { resolution: options.resolution } : {}) }) as ModelSpec;
  const model = efficientnet(spec);
  try {
    const format: CheckpointFormat | 'keras' = keras ? 'keras' : importWeights(model, bytes, { from: (options.from as CheckpointFormat | 'auto' | undefined) ?? 'auto', ignore: options.ignore ?? [] });
    let { mean, std } = keras ? (await importKeras(model, bytes)).preprocessing : spec.preprocessing;
    mean = options.mean ?? mean;
    std = options.std ?? std;
    if (std.some((s) => s <= 0)) throw new EffnetDataError('--std', `must be three positive numbers, got ${std.join(',')}`);
    const classNames = spec.numClasses === IMAGENET_CLASSES.length ? [...IMAGENET_CLASSES] : Array.from({ length: spec.numClasses }, (_, i) => `class ${i}`);
    // Only once the weights are in: a failed import leaves the folder as it was.
    const unlock = lockRunFolder(out);
    let path: string;
    try {
      clearRun(out);
      removeLeftovers(out);
      path = await saveModel(out, model, { spec, classNames, mean: [...mean], std: [...std], imageSize: spec.resolution.eval, source: `effnet import ${file} (${describe(format)})` });
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
    .description('import torchvision or timm safetensors weights, or Keras 3 .weights.h5, into an effnet model folder (for effnet eval and predict)')
    .argument('<checkpoint>', '.safetensors file (torchvision or timm names) or Keras 3 .weights.h5 file')
    .requiredOption('--preset <name>', 'architecture of the checkpoint, e.g. efficientnet-b0')
    .requiredOption('--out <folder>', 'folder to write the model to')
    .addOption(new Option('--from <names>', 'whose checkpoint it is (keras: a keras.applications .weights.h5)').choices(['auto', 'torchvision', 'timm', 'keras']).default('auto'))
    .option('--tf-port', 'the checkpoint is a TensorFlow port (timm tf_* models): \'same\' padding and BN eps 1e-3')
    .option('--mean <r,g,b>', 'input mean on 0-1 pixels that predict and eval subtract (default: the preset’s, or the Keras file’s)', rgbTriple)
    .option('--overwrite', 'replace the model or run already in --out')
    .option('--std <r,g,b>', 'input std on 0-1 pixels that predict and eval divide by (timm tf_efficientnetv2_s/m/l/xl: 0.5,0.5,0.5 with --mean 0.5,0.5,0.5)', rgbTriple)
    .option('--ignore <tensor...>', 'tensors of the file to leave out (e.g. reference outputs stored beside the weights)')
    .option('--num-classes <n>', 'classes of the checkpoint’s classifier (default: the preset’s, 1000 for ImageNet ones)', positiveInteger)
    .option('--resolution <pixels>', 'input size for eval and predict (default: the preset’s eval size)', positiveInteger)
    .option('--backend <name>', 'backend (see effnet backends), or auto', 'auto')
    .option('--json', 'print JSON instead of text')
    .action(async (file: string, options: { preset: string; out: string; numClasses?: number; resolution?: number; from: CheckpointFormat | 'keras' | 'auto'; tfPort?: boolean; mean?: [number, number, number]; std?: [number, number, number]; ignore?: string[]; overwrite?: boolean; backend: string; json?: boolean }) => {
      await useBackend(options.backend);
      const result = await importCheckpoint(file, options.preset, options.out, options);
      if (options.json) return printJson(result, io.out);
      io.out(`imported ${file} (${describe(result.format)}) as ${result.preset} (${result.params.toLocaleString('en')} parameters, ${result.imageSize}px) into ${result.model}\n`);
    });
}
