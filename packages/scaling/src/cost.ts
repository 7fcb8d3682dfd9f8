// The analytic cost model: exact trainable parameters, conv + linear multiply-adds and fp32
// activation memory of a ModelSpec or DetectorSpec, from the layer list of network-graph.ts /
// detector-graph.ts. Parameters count what torchvision's `parameters()` counts (conv weights,
// BN γ and β, biases of SE convs and the classifier; automl's conv biases and fusion weights in
// EfficientDet); MACs what forward hooks on Conv2d and Linear count (EfficientNet 2019 reports
// FLOPs as these multiply-adds).
import { requireInteger, requireKnownKeys } from './config-checks.js';
import { lowerDetector } from './detector-graph.js';
import { EffnetConfigError } from './errors.js';
import type { BlockKind, DetectorSpec, ModelSpec } from './model-spec.js';
import { lowerNetwork } from './network-graph.js';
import type { OpGraph, Shape } from './op-graph.js';

/** Bytes of one fp32 value. */
const FP32 = 4;

/** Options of {@link cost}. */
export interface CostOptions {
  /** Square input size (default the spec's eval resolution, or the detector's input size). */
  resolution?: number;
  /** Images per batch (default 1); MACs and activation bytes scale with it. */
  batch?: number;
}

/** Cost of one part of a network. */
export interface CostPart {
  /** `stem`, `stage 0` … `stage N`, `head`, `classifier`; detectors add `resample`, `bifpn 0…`, `class net`, `box net`. */
  name: string;
  /** Trainable parameters. */
  params: number;
  /** Conv + linear multiply-adds for the batch. */
  macs: number;
  /** Output shape of the part for one image: channels, height, width. */
  outShape: Shape;
  /** fp32 bytes the part keeps for the backward pass, for the batch. */
  trainingBytes: number;
}

/** Cost of one block. */
export interface BlockCost extends CostPart {
  /** Index into `spec.blocks` (or `spec.backbone.blocks`). */
  index: number;
  /** Stage of the block. */
  stage: number;
  /** Block type. */
  kind: BlockKind;
}

/** What {@link cost} returns. */
export interface CostReport {
  /** Input size used. */
  resolution: number;
  /** Batch size used. */
  batch: number;
  /** Exact trainable parameter count (independent of resolution and batch). */
  params: number;
  /** Conv + linear multiply-adds for the batch (biases, BN, activations, pooling and SE gating are not counted). */
  macs: number;
  /**
   * Activation memory in fp32 bytes for the batch.
   * - `inference`: the peak of live tensors in a straight-line forward pass where every layer writes
   *   a new tensor and a tensor is freed after its last reader (the input image included, weights not).
   * - `training`: the sum of the distinct tensors autograd keeps for backward: a conv's, BN's, linear's,
   *   max-pool's, SiLU's and GELU's input, sigmoid's and ReLU's output, both factors of the SE
   *   multiply, the inputs of weighted fusion. Pooling, additions, upsampling keep none; dropout and
   *   drop-path masks, BN statistics and max-pool indices are not counted.
   */
  activations: { inference: number; training: number };
  /** One entry per block (backbone blocks for a detector). */
  perBlock: BlockCost[];
  /** One entry per part, in network order. */
  perStage: CostPart[];
}

function inferencePeak(graph: OpGraph): number {
  const lastUse = new Map<number, number>();
  graph.ops.forEach((op, index) => op.inputs.forEach((id) => lastUse.set(id, index)));
  let live = graph.elements(0);
  let peak = live;
  graph.ops.forEach((op, index) => {
    live += graph.elements(op.output);
    peak = Math.max(peak, live);
    for (const id of new Set(op.inputs)) if (lastUse.get(id) === index && !graph.outputs.has(id)) live -= graph.elements(id);
    if (!lastUse.has(op.output) && !graph.outputs.has(op.output)) live -= graph.elements(op.output);
  });
  return peak;
}

function summarise(graph: OpGraph, blockKinds: { stage: number; kind: BlockKind }[], resolution: number, batch: number): CostReport {
  const saved = new Set<number>();
  const parts = new Map<string, CostPart>();
  const blocks = new Map<number, BlockCost>();
  let params = 0;
  let macs = 0;
  for (const op of graph.ops) {
    let bytes = 0;
    for (const id of op.saves) {
      if (saved.has(id)) continue;
      saved.add(id);
      bytes += graph.elements(id) * FP32 * batch;
    }
    params += op.params;
    macs += op.macs * batch;
    const outShape = graph.shapes[op.output];
    const targets: CostPart[] = [];
    let part = parts.get(op.group);
    if (!part) parts.set(op.group, (part = { name: op.group, params: 0, macs: 0, outShape, trainingBytes: 0 }));
    targets.push(part);
    if (op.block >= 0) {
      let block = blocks.get(op.block);
      if (!block) {
        const { stage, kind } = blockKinds[op.block];
        blocks.set(op.block, (block = { name: `block ${op.block}`, index: op.block, stage, kind, params: 0, macs: 0, outShape, trainingBytes: 0 }));
      }
      targets.push(block);
    }
    for (const target of targets) {
      target.params += op.params;
      target.macs += op.macs * batch;
      target.trainingBytes += bytes;
      target.outShape = outShape;
    }
  }
  const trainingBytes = [...saved].reduce((sum, id) => sum + graph.elements(id) * FP32 * batch, 0);
  return {
    resolution,
    batch,
    params,
    macs,
    activations: { inference: inferencePeak(graph) * FP32 * batch, training: trainingBytes },
    perBlock: [...blocks.values()],
    perStage: [...parts.values()],
  };
}

function isDetector(spec: ModelSpec | DetectorSpec): spec is DetectorSpec {
  return spec.family === 'efficientdet';
}

/**
 * Parameters, multiply-adds and activation memory of a spec, overall, per block and per part.
 * For a {@link DetectorSpec}: the backbone without its head, the P6+ resampling, the BiFPN and the
 * shared class and box nets, as google/automl builds them.
 *
 * @param spec - A resolved ModelSpec or DetectorSpec.
 * @param options - `resolution` (positive integer, default the spec's eval size) and `batch` (default 1).
 * @returns The report; `params` is exact and independent of the options.
 * @throws EffnetConfigError naming `resolution` or `batch` when not a positive integer, or
 *   `resolution` when it is too small for the network's strides.
 * @example cost(preset('efficientnet-b0')).params // 5288548
 */
export function cost(spec: ModelSpec | DetectorSpec, options: CostOptions = {}): CostReport {
  if (typeof spec !== 'object' || spec === null) throw new EffnetConfigError('spec', 'cost() needs a ModelSpec or DetectorSpec (see preset())');
  requireKnownKeys('options', options, ['resolution', 'batch']);
  const batch = requireInteger('batch', options.batch ?? 1);
  if (isDetector(spec)) {
    const resolution = requireInteger('resolution', options.resolution ?? spec.resolution);
    return summarise(lowerDetector(spec, resolution), spec.backbone.blocks, resolution, batch);
  }
  const resolution = requireInteger('resolution', options.resolution ?? spec.resolution.eval);
  return summarise(lowerNetwork(spec, resolution, true).graph, spec.blocks, resolution, batch);
}
