// Name-mapping tables from effnet's parameter names to the state-dict names of the PyTorch
// implementations, with the layout each tensor has there. Derived from the ModelSpec alone, so
// every preset and custom spec has its table.
// - torchvision (torchvision/models/efficientnet.py): `features.0` stem, `features.<stage+1>.<i>.block.<k>`
//   (Conv2dNormActivation `.0` conv / `.1` BN, SqueezeExcitation `fc1`/`fc2`), head
//   `features.<last+1>`, `classifier.1`.
// - timm (timm/models/efficientnet.py, _efficientnet_blocks.py): `conv_stem`/`bn1`,
//   `blocks.<stage>.<i>` with InvertedResidual `conv_pw bn1 conv_dw bn2 se conv_pwl bn3`,
//   DepthwiseSeparableConv `conv_dw bn1 se conv_pw bn2`, EdgeResidual `conv_exp bn1 se conv_pwl bn2`,
//   ConvBnAct `conv bn1`; SqueezeExcite `conv_reduce`/`conv_expand`; `conv_head`/`bn2`, `classifier`.
import type { ModelSpec } from '@effnet/scaling';
import { EffnetWeightsError } from './errors.js';

/** How a PyTorch tensor is laid out: conv OIHW, depthwise [C,1,kh,kw], linear [out,in], or a vector. */
export type TorchLayout = 'conv' | 'depthwise' | 'linear' | 'vector';

/** Which implementation's state-dict names a checkpoint uses. */
export type CheckpointFormat = 'torchvision' | 'timm';

/** effnet name → [checkpoint name, layout]. */
export type NameTable = Map<string, [string, TorchLayout]>;

function table(): { map: NameTable; convBn: (ours: string, conv: string, bn: string, depthwise?: boolean) => void; se: (ours: string, reduce: string, expand: string) => void } {
  const map: NameTable = new Map();
  return {
    map,
    convBn(ours, conv, bn, depthwise = false) {
      map.set(`${ours}.conv.kernel`, [`${conv}.weight`, depthwise ? 'depthwise' : 'conv']);
      map.set(`${ours}.bn.gamma`, [`${bn}.weight`, 'vector']);
      map.set(`${ours}.bn.beta`, [`${bn}.bias`, 'vector']);
      map.set(`${ours}.bn.movingMean`, [`${bn}.running_mean`, 'vector']);
      map.set(`${ours}.bn.movingVariance`, [`${bn}.running_var`, 'vector']);
    },
    se(ours, reduce, expand) {
      map.set(`${ours}.se.reduce.kernel`, [`${reduce}.weight`, 'conv']);
      map.set(`${ours}.se.reduce.bias`, [`${reduce}.bias`, 'vector']);
      map.set(`${ours}.se.expand.kernel`, [`${expand}.weight`, 'conv']);
      map.set(`${ours}.se.expand.bias`, [`${expand}.bias`, 'vector']);
    },
  };
}

/**
 * torchvision's names for every parameter and BN statistic of a model built from `spec`.
 *
 * @param spec - The model's spec.
 */
export function torchvisionNames(spec: ModelSpec): NameTable {
  const { map, convBn, se } = table();
  convBn('stem', 'features.0.0', 'features.0.1');
  spec.blocks.forEach((block, i) => {
    const base = `features.${block.stage + 1}.${block.indexInStage}.block`;
    const ours = `blocks.${i}`;
    const widens = block.expandedChannels !== block.inChannels;
    let k = 0;
    const next = (name: string, depthwise = false) => {
      convBn(`${ours}.${name}`, `${base}.${k}.0`, `${base}.${k}.1`, depthwise);
      k++;
    };
    if (block.kind === 'fused-mbconv') {
      if (widens) next('expand');
      if (block.seChannels > 0) se(ours, `${base}.${k}.fc1`, `${base}.${k++}.fc2`);
      next('project');
    } else {
      if (widens) next('expand');
      next('dw', true);
      if (block.seChannels > 0) se(ours, `${base}.${k}.fc1`, `${base}.${k++}.fc2`);
      next('project');
    }
  });
  const headStage = (spec.blocks.at(-1)?.stage ?? -1) + 2;
  convBn('head', `features.${headStage}.0`, `features.${headStage}.1`);
  if (spec.numClasses > 0) {
    map.set('classifier.kernel', ['classifier.1.weight', 'linear']);
    map.set('classifier.bias', ['classifier.1.bias', 'vector']);
  }
  return map;
}

/**
 * timm's names for every parameter and BN statistic of a model built from `spec`.
 *
 * @param spec - The model's spec.
 * @throws EffnetWeightsError for a block timm cannot express (a non-widening Fused-MBConv with SE).
 */
export function timmNames(spec: ModelSpec): NameTable {
  const { map, convBn, se } = table();
  convBn('stem', 'conv_stem', 'bn1');
  spec.blocks.forEach((block, i) => {
    const b = `blocks.${block.stage}.${block.indexInStage}`;
    const ours = `blocks.${i}`;
    const widens = block.expandedChannels !== block.inChannels;
    if (block.kind === 'fused-mbconv' && widens) {
      convBn(`${ours}.expand`, `${b}.conv_exp`, `${b}.bn1`);
      if (block.seChannels > 0) se(ours, `${b}.se.conv_reduce`, `${b}.se.conv_expand`);
      convBn(`${ours}.project`, `${b}.conv_pwl`, `${b}.bn2`);
    } else if (block.kind === 'fused-mbconv') {
      if (block.seChannels > 0) throw new EffnetWeightsError('timm', `block ${i} is a Fused-MBConv without expansion but with SE, which timm's ConvBnAct cannot hold`);
      convBn(`${ours}.project`, `${b}.conv`, `${b}.bn1`);
    } else if (widens) {
      convBn(`${ours}.expand`, `${b}.conv_pw`, `${b}.bn1`);
      convBn(`${ours}.dw`, `${b}.conv_dw`, `${b}.bn2`, true);
      if (block.seChannels > 0) se(ours, `${b}.se.conv_reduce`, `${b}.se.conv_expand`);
      convBn(`${ours}.project`, `${b}.conv_pwl`, `${b}.bn3`);
    } else {
      convBn(`${ours}.dw`, `${b}.conv_dw`, `${b}.bn1`, true);
      if (block.seChannels > 0) se(ours, `${b}.se.conv_reduce`, `${b}.se.conv_expand`);
      convBn(`${ours}.project`, `${b}.conv_pw`, `${b}.bn2`);
    }
  });
  convBn('head', 'conv_head', 'bn2');
  if (spec.numClasses > 0) {
    map.set('classifier.kernel', ['classifier.weight', 'linear']);
    map.set('classifier.bias', ['classifier.bias', 'vector']);
  }
  return map;
}

/**
 * Guesses a checkpoint's format from its names: timm has `conv_stem.weight`, torchvision `features.0.0.weight`.
 *
 * @throws EffnetWeightsError when it is neither.
 */
export function detectFormat(names: Iterable<string>): CheckpointFormat {
  const set = new Set(names);
  if (set.has('conv_stem.weight')) return 'timm';
  if (set.has('features.0.0.weight')) return 'torchvision';
  throw new EffnetWeightsError('checkpoint', "neither a timm (conv_stem.weight) nor a torchvision (features.0.0.weight) EfficientNet state dict; pass { from: 'timm' | 'torchvision' } if its names are otherwise right");
}
