// The inference form of an EfficientDet at one input size: backbone levels P3-P5 (classifier-form.ts),
// the extra levels resampled from P5, every BiFPN layer (nodes of @effnet/scaling's bifpnNodes,
// resampled, fused with their normalised weights, activated and passed through a separable conv),
// and the class and box nets on every level, reshaped to anchor rows and concatenated: the raw
// outputs `classLogits` [anchors, classes] and `boxDeltas` [anchors, 4] of EfficientDet.forward.
import { FUSION_EPSILON } from '@effnet/blocks';
import { bifpnNodes, type DetectorSpec, type FusionMode } from '@effnet/scaling';
import { EffnetModelError } from '../errors.js';
import { addBackbone, variableReader } from './classifier-form.js';
import { FormBuilder, type InferenceForm } from './inference-form.js';

/** What a detector's form is read from (an EfficientDet; structural, so that efficientdet.ts can build its own form without an import cycle). */
export interface DetectorFormSource {
  readonly spec: DetectorSpec;
  readonly store: { list(): { name: string; variable?: { shape: number[]; dataSync(): ArrayLike<number> | Uint8Array[] } }[] };
}

/** The fusion weights as WeightedFusion.normalisedWeights computes them, in float32. */
function normalisedWeights(raw: Float32Array, mode: FusionMode): number[] {
  const f = Math.fround;
  if (mode === 'softmax') {
    const max = Math.max(...raw);
    const exps = [...raw].map((w) => f(Math.exp(w - max)));
    const sum = exps.reduce((a, b) => f(a + b), 0);
    return exps.map((e) => f(e / sum));
  }
  const kept = [...raw].map((w) => Math.max(w, 0));
  const denominator = f(kept.reduce((a, b) => f(a + b), 0) + FUSION_EPSILON);
  return kept.map((w) => f(w / denominator));
}

/**
 * The inference form of a detector.
 *
 * @param detector - The detector.
 * @param size - Input [height, width], multiples of 2^maxLevel.
 * @throws EffnetModelError for a size that is not a multiple of 2^maxLevel.
 */
export function detectorForm(detector: DetectorFormSource, size: [number, number]): InferenceForm {
  const spec: DetectorSpec = detector.spec;
  const stride = 2 ** spec.maxLevel;
  if (size[0] % stride !== 0 || size[1] % stride !== 0) throw new EffnetModelError('size', `height and width must be multiples of ${stride} (P${spec.maxLevel}), got ${size[0]}×${size[1]}`);
  const variables = Object.fromEntries(detector.store.list().flatMap((e) => (e.variable ? [[e.name, e.variable] as const] : [])));
  const input = { name: 'images', shape: [size[0], size[1], spec.backbone.inChannels] as [number, number, number] };
  const b = new FormBuilder(variableReader(variables), spec.padding, input);
  const eps = spec.batchNorm.eps;
  const { channels, layers, fusion } = spec.bifpn;

  const resampleTo = (x: string, scope: string, target: [number, number]): string => {
    let y = b.shape(x)[2] !== channels ? b.conv(x, `${scope}.conv`, { bias: true, bn: `${scope}.bn`, eps }) : x;
    while (b.shape(y)[0]! > target[0] || b.shape(y)[1]! > target[1]) y = b.maxPool(y);
    if (b.shape(y)[0] !== target[0] || b.shape(y)[1] !== target[1]) y = b.resizeNearest(y, target);
    return y;
  };

  const backbone = addBackbone(b, spec.backbone, input.name, 'backbone.');
  let features = spec.backboneLevels.map((block) => backbone[block + 1]!);
  for (let level = 6; level <= spec.maxLevel; level++) {
    const last = features.at(-1)!;
    const projected = b.shape(last)[2] !== channels ? b.conv(last, `resample.${level}.conv`, { bias: true, bn: `resample.${level}.bn`, eps }) : last;
    features.push(b.maxPool(projected));
  }
  const nodes = bifpnNodes(spec.minLevel, spec.maxLevel);
  for (let layer = 0; layer < layers; layer++) {
    const all = [...features];
    const outputs = [...features];
    nodes.forEach((node, i) => {
      const scope = `bifpn.${layer}.nodes.${i}`;
      const target = b.shape(features[node.level - spec.minLevel]!).slice(0, 2) as [number, number];
      const inputs = node.inputs.map((index, j) => resampleTo(all[index]!, `${scope}.resample.${j}`, target));
      const weights = fusion === 'sum' ? null : normalisedWeights(b.read(`${scope}.fusion.weights`).values, fusion);
      const terms = inputs.map((x, j) => (weights ? b.scale(x, weights[j]!, `${scope}.fusion.weight.${j}`) : x));
      let fused = terms.slice(1).reduce((sum, x) => b.binary('add', sum, x), terms[0]!);
      fused = b.activation(fused, spec.activation);
      const depthwise = b.conv(fused, `${scope}.conv.depthwise`, { depthwise: true });
      const out = b.conv(depthwise, `${scope}.conv.pointwise`, { bias: true, bn: `${scope}.conv.bn`, eps });
      all.push(out);
      outputs[node.level - spec.minLevel] = out;
    });
    features = outputs;
  }
  const anchors = spec.anchors.scales.length * spec.anchors.aspectRatios.length;
  const headRows = (net: string, perAnchor: number) =>
    features.map((feature, level) => {
      let y = feature;
      for (let i = 0; i < spec.head.layers; i++) {
        const depthwise = b.conv(y, `${net}.layers.${i}.depthwise`, { depthwise: true });
        y = b.activation(b.conv(depthwise, `${net}.layers.${i}.pointwise`, { bias: true, bn: `${net}.layers.${i}.bn.${level}`, eps }), spec.activation);
      }
      const out = b.conv(b.conv(y, `${net}.predict.depthwise`, { depthwise: true }), `${net}.predict.pointwise`, { bias: true });
      if (b.shape(out)[2] !== anchors * perAnchor) throw new EffnetModelError('detector', `${net} gives ${b.shape(out)[2]} channels, expected ${anchors}×${perAnchor}`);
      return b.anchorRows(out, perAnchor);
    });
  b.concat(headRows('classNet', spec.numClasses), 'classLogits');
  b.concat(headRows('boxNet', 4), 'boxDeltas');
  return { name: spec.name, input, outputs: ['classLogits', 'boxDeltas'], nodes: b.nodes, constants: b.constants };
}
