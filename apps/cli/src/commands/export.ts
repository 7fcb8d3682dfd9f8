// `effnet export <model>`: a preset (seeded initial weights) or a model folder written by `effnet
// train`/`effnet import` → an ONNX file, a TF.js graph model folder, or a torchvision/timm state
// dict in safetensors. Written atomically; a model or format that cannot be exported is one line.
import { existsSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import { useBackend } from '@effnet/backends';
import { EffnetExportError, toGraphModel, toOnnx, toStateDict } from '@effnet/export';
import { EfficientDet, EfficientNet, efficientnet, type WeightQuantization } from '@effnet/models';
import { detectorPreset, preset, presetNames, type ModelSpec } from '@effnet/scaling';
import type { Io } from '../io.js';
import { positiveInteger } from '../options.js';
import { formatBytes, printJson } from '../output.js';
import { loadModel } from '../run/model-folder.js';
import { writeExportFile, writeExportFolder } from '../run/write-export.js';
import '../register-backends.js';

/** Export formats. */
export type ExportFormat = 'onnx' | 'graph-model' | 'torchvision' | 'timm';

/** Options of {@link exportModel}. */
export interface ExportOptions {
  format: ExportFormat;
  out?: string;
  quantize?: 'float16' | 'uint8';
  granularity?: 'tensor' | 'channel';
  resolution?: number;
  numClasses?: number;
  seed?: number;
  batch?: number;
}

async function openModel(name: string, options: ExportOptions): Promise<{ model: EfficientNet | EfficientDet; label: string; trained: boolean }> {
  if (existsSync(name) && statSync(name).isDirectory()) return { model: (await loadModel(name)).model, label: name.replace(/\/+$/, '').split('/').at(-1)!, trained: true };
  if (name.startsWith('efficientdet-')) return { model: new EfficientDet(detectorPreset(name, { numClasses: options.numClasses ?? 90 }), { seed: options.seed ?? 0 }), label: name, trained: false };
  const spec = preset(name, { numClasses: options.numClasses ?? 1000, inChannels: 3 }) as ModelSpec;
  return { model: efficientnet(spec, { seed: options.seed ?? 0 }), label: name, trained: false };
}

function quantization(options: ExportOptions): WeightQuantization | null {
  if (!options.quantize) return null;
  if (options.format === 'torchvision' || options.format === 'timm') {
    throw new EffnetExportError('--quantize', `${options.format} state dicts are written in float32 (PyTorch trains on float weights); drop --quantize`);
  }
  return options.quantize === 'float16' ? { dtype: 'float16' } : { dtype: 'uint8', granularity: options.granularity ?? 'channel' };
}

/** Exports `name` (preset or model folder) as asked; returns what was written. */
export async function exportModel(name: string, options: ExportOptions) {
  const quantize = quantization(options);
  const { model, label, trained } = await openModel(name, options);
  try {
    const size = options.resolution ? { height: options.resolution } : {};
    const extension = { onnx: '.onnx', 'graph-model': '-graph-model', torchvision: '.torchvision.safetensors', timm: '.timm.safetensors' }[options.format];
    const out = options.out ?? `${label}${quantize ? `-${options.quantize}` : ''}${extension}`;
    let bytes: number;
    if (options.format === 'graph-model') {
      const files = toGraphModel(model, { ...size, quantize });
      await writeExportFolder(out, files);
      bytes = [...files.values()].reduce((n, b) => n + b.byteLength, 0);
    } else {
      if (options.format !== 'onnx' && model instanceof EfficientDet) throw new EffnetExportError('model', `${label} is a detector; ${options.format} has no EfficientDet, export it as onnx or graph-model`);
      const file = options.format === 'onnx' ? toOnnx(model, { ...size, quantize, batch: options.batch ?? 'dynamic' }) : toStateDict(model as EfficientNet, options.format);
      await writeExportFile(out, file);
      bytes = file.byteLength;
    }
    return { out, format: options.format, model: model.spec.name, quantize: options.quantize ?? 'float32', bytes, trainedWeights: trained };
  } finally {
    model.dispose();
  }
}

/** Builds the `export` command. */
export function exportCommand(io: Io): Command {
  return new Command('export')
    .description('export a preset or a model folder as ONNX, a TF.js graph model, or torchvision/timm safetensors')
    .argument('<model>', `a model folder (from effnet train or import) or a preset (${presetNames()[0]}…, efficientdet-d0…; seeded initial weights)`)
    .addOption(new Option('--format <format>', 'what to write').choices(['onnx', 'graph-model', 'torchvision', 'timm']).makeOptionMandatory())
    .addOption(new Option('--quantize <dtype>', 'store weights as float16, or uint8 (affine; see --granularity)').choices(['float16', 'uint8']))
    .addOption(new Option('--granularity <g>', 'uint8 scales per output channel or per tensor').choices(['channel', 'tensor']).default('channel'))
    .option('--out <path>', 'file (onnx, torchvision, timm) or folder (graph-model) to write (default: named after the model)')
    .option('--resolution <pixels>', 'input size of the exported graph (default: the model’s eval size)', positiveInteger)
    .option('--batch <n>', 'fixed batch size of an ONNX export (default: dynamic)', positiveInteger)
    .option('--num-classes <n>', 'classes of a preset’s classifier (default 1000; detectors 90)', positiveInteger)
    .option('--seed <n>', 'seed of a preset’s initial weights', positiveInteger)
    .option('--json', 'print JSON instead of text')
    .action(async (name: string, options: ExportOptions & { json?: boolean }) => {
      await useBackend('cpu');
      const result = await exportModel(name, options);
      if (options.json) return printJson(result, io.out);
      const note = result.trainedWeights ? '' : ' (a preset: seeded initial weights, not trained)';
      io.out(`exported ${result.model} as ${result.format}${options.quantize ? ` (${options.quantize} weights)` : ''} to ${result.out}: ${formatBytes(result.bytes)}${note}\n`);
    });
}
