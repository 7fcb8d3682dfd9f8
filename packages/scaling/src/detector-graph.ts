// Lowers a DetectorSpec into an OpGraph following google/automl's EfficientDet (EfficientDet 2020,
// section 3 and Figure 3): backbone P3-P5; P6… from the previous level by [conv 1×1 + BN where the
// width differs] + max-pool 3×3 s2; BiFPN layers of top-down then bottom-up nodes, each resampling
// every input separately (conv 1×1 + BN where the width differs, max-pool down, nearest up), fusing,
// then act → separable conv 3×3 (bias) → BN; class and box nets of separable convs shared across
// levels with BN per level, ending in a separable prediction conv.
import type { DetectorSpec } from './model-spec.js';
import { lowerNetwork } from './network-graph.js';
import { OpGraph } from './op-graph.js';

/** A pyramid feature: its level and tensor id. */
interface Feature {
  level: number;
  id: number;
}

/** One BiFPN node: its level and the indices of its inputs among the features so far. */
export interface BifpnNode {
  /** Pyramid level of the node. */
  level: number;
  /** Indices into [input levels…, earlier nodes…]. */
  inputs: number[];
}

/** The BiFPN node list of google/automl's `bifpn_config` for levels `min…max`. */
export function bifpnNodes(minLevel: number, maxLevel: number): BifpnNode[] {
  // ids[level - minLevel]: every feature index at that level so far, the original first.
  const ids: number[][] = [];
  for (let level = minLevel; level <= maxLevel; level++) ids.push([level - minLevel]);
  let next = ids.length;
  const at = (level: number): number[] => ids[level - minLevel] as number[];
  const last = (level: number): number => at(level)[at(level).length - 1] as number;
  const nodes: BifpnNode[] = [];
  for (let level = maxLevel - 1; level >= minLevel; level--) {
    nodes.push({ level, inputs: [last(level), last(level + 1)] });
    at(level).push(next++);
  }
  for (let level = minLevel + 1; level <= maxLevel; level++) {
    nodes.push({ level, inputs: [...at(level), last(level - 1)] });
    at(level).push(next++);
  }
  return nodes;
}

function resample(graph: OpGraph, feature: Feature, level: number, size: [number, number], channels: number): number {
  let x = feature.id;
  if (graph.shapes[x][0] !== channels) x = graph.bn(graph.conv(x, { out: channels, bias: true }));
  if (feature.level < level) x = graph.maxPool(x, 3, 2);
  else if (feature.level > level) x = graph.upsample(x, size[0], size[1]);
  return x;
}

function separableConv(graph: OpGraph, x: number, out: number, shared?: string): number {
  const channels = graph.shapes[x][0];
  const dw = graph.conv(x, { out: channels, kernel: 3, groups: channels, shared: shared && `${shared}.dw` });
  return graph.conv(dw, { out, bias: true, shared: shared && `${shared}.pw` });
}

/** Lowers `spec` at a square `resolution`; the class and box outputs of every level are the graph outputs. */
export function lowerDetector(spec: DetectorSpec, resolution: number): OpGraph {
  const { graph, blockOutputs } = lowerNetwork(spec.backbone, resolution, false);
  const { channels, layers, fusion } = spec.bifpn;
  // features[i] is level minLevel + i.
  let features: Feature[] = spec.backboneLevels
    .map((index, i) => ({ level: 3 + i, id: blockOutputs[index] as number }))
    .filter((feature) => feature.level >= spec.minLevel);

  graph.group = 'resample';
  for (let level = 6; level <= spec.maxLevel; level++) {
    let x = (features[features.length - 1] as Feature).id;
    if (graph.shapes[x][0] !== channels) x = graph.bn(graph.conv(x, { out: channels, bias: true }));
    features.push({ level, id: graph.maxPool(x, 3, 2) });
  }

  const nodes = bifpnNodes(spec.minLevel, spec.maxLevel);
  for (let layer = 0; layer < layers; layer++) {
    graph.group = `bifpn ${layer}`;
    const all: Feature[] = [...features];
    const latest = [...features];
    for (const node of nodes) {
      const [, height, width] = graph.shapes[(features[node.level - spec.minLevel] as Feature).id];
      const inputs = node.inputs.map((index) => resample(graph, all[index] as Feature, node.level, [height, width], channels));
      let x = graph.act(graph.fuse(inputs, fusion), spec.activation);
      x = graph.bn(separableConv(graph, x, channels));
      all.push({ level: node.level, id: x });
      latest[node.level - spec.minLevel] = { level: node.level, id: x };
    }
    features = latest;
  }

  const anchors = spec.anchors.scales.length * spec.anchors.aspectRatios.length;
  const nets = [
    { name: 'class net', outputs: anchors * spec.numClasses },
    { name: 'box net', outputs: anchors * 4 },
  ];
  for (const net of nets) {
    graph.group = net.name;
    for (const feature of features) {
      let x = feature.id;
      for (let i = 0; i < spec.head.layers; i++) {
        x = graph.act(graph.bn(separableConv(graph, x, channels, `${net.name}.${i}`)), spec.activation);
      }
      graph.outputs.add(separableConv(graph, x, net.outputs, `${net.name}.predict`));
    }
  }
  return graph;
}
