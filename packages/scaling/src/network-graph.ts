// Lowers a ModelSpec into an OpGraph, layer by layer as torchvision 0.14 and google/automl build it:
// stem conv+BN+act; MBConv = [expand 1×1+BN+act] → depthwise k×k+BN+act → [SE] → project 1×1+BN
// (+ residual); Fused-MBConv = k×k+BN+act [→ SE] → 1×1+BN, or one k×k+BN+act when it has no
// expansion; head 1×1+BN+act → global pool → linear (EfficientNet 2019 Table 1, EfficientNetV2 2021).
import type { BlockSpec, ModelSpec } from './model-spec.js';
import { OpGraph } from './op-graph.js';

function squeezeExcite(graph: OpGraph, x: number, block: BlockSpec, spec: ModelSpec): number {
  if (block.seChannels === 0) return x;
  let s = graph.pool(x);
  s = graph.act(graph.conv(s, { out: block.seChannels, bias: true }), spec.activation);
  s = graph.act(graph.conv(s, { out: graph.shapes[x][0], bias: true }), 'sigmoid');
  return graph.mul(x, s);
}

function convBnAct(graph: OpGraph, x: number, spec: ModelSpec, out: number, kernel: number, stride: number, groups = 1): number {
  return graph.act(graph.bn(graph.conv(x, { out, kernel, stride, groups })), spec.activation);
}

function lowerBlock(graph: OpGraph, x: number, block: BlockSpec, spec: ModelSpec): number {
  const expands = block.expandedChannels !== block.inChannels;
  let y = x;
  if (block.kind === 'fused-mbconv') {
    if (expands) {
      y = convBnAct(graph, y, spec, block.expandedChannels, block.kernel, block.stride);
      y = squeezeExcite(graph, y, block, spec);
      y = graph.bn(graph.conv(y, { out: block.outChannels }));
    } else {
      y = squeezeExcite(graph, y, block, spec);
      y = convBnAct(graph, y, spec, block.outChannels, block.kernel, block.stride);
    }
  } else {
    if (expands) y = convBnAct(graph, y, spec, block.expandedChannels, 1, 1);
    y = convBnAct(graph, y, spec, block.expandedChannels, block.kernel, block.stride, block.expandedChannels);
    y = squeezeExcite(graph, y, block, spec);
    y = graph.bn(graph.conv(y, { out: block.outChannels }));
  }
  return block.residual ? graph.add(y, x) : y;
}

/** The tensors a lowered network exposes. */
export interface LoweredNetwork {
  /** The graph. */
  graph: OpGraph;
  /** Output tensor of every block, in order. */
  blockOutputs: number[];
}

/**
 * Lowers the stem and blocks of `spec` (and, with `withHead`, the head conv, pooling and, when
 * `numClasses > 0`, the classifier) at a square `resolution`.
 */
export function lowerNetwork(spec: ModelSpec, resolution: number, withHead: boolean, graph = new OpGraph(spec.padding)): LoweredNetwork {
  let x = graph.input([spec.inChannels, resolution, resolution]);
  graph.group = 'stem';
  x = convBnAct(graph, x, spec, spec.stem.outChannels, spec.stem.kernel, spec.stem.stride);
  const blockOutputs: number[] = [];
  spec.blocks.forEach((block, index) => {
    graph.group = `stage ${block.stage}`;
    graph.block = index;
    x = lowerBlock(graph, x, block, spec);
    blockOutputs.push(x);
  });
  graph.block = -1;
  if (withHead) {
    graph.group = 'head';
    x = graph.pool(convBnAct(graph, x, spec, spec.head.outChannels, 1, 1));
    if (spec.numClasses > 0) {
      graph.group = 'classifier';
      x = graph.linear(x, spec.numClasses);
    }
    graph.outputs.add(x);
  }
  return { graph, blockOutputs };
}
