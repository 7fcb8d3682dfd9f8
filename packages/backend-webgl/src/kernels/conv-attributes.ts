// What effnet's webgl convolution kernels check before they run, and what a windowed one hands
// its program: the inputs x, filter and bias, the bias and activation (all three kernels),
// strides, explicit pads and the output shape (conv and depthwise conv), and those as uniforms.
// Each failure is an EffnetBackendError naming the kernel.
import { EffnetBackendError } from '@effnet/backends';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { ACTIVATION_CODES, ACTIVATION_UNIFORM } from './activations.js';

/** A convolution kernel's inputs, and the operands of its program in the order x, filter, bias. */
export interface ConvInputs {
  readonly x: TensorInfo;
  readonly filter: TensorInfo;
  readonly bias: TensorInfo | undefined;
  readonly operands: TensorInfo[];
}

/** Reads the inputs x, filter and (optional) bias of a convolution kernel's call. */
export function convInputs(kernel: string, inputs: unknown): ConvInputs {
  const { x, filter, bias } = inputs as { x?: TensorInfo; filter?: TensorInfo; bias?: TensorInfo };
  if (x === undefined || filter === undefined) throw new EffnetBackendError('webgl', `${kernel} needs the inputs x and filter`);
  return { x, filter, bias, operands: bias === undefined ? [x, filter] : [x, filter, bias] };
}

/** The activation attribute, checked: `linear` when absent. */
export function activationOf(kernel: string, attrs: unknown, bias: TensorInfo | undefined, channels: number): string {
  if (bias !== undefined && (bias.shape.length !== 1 || bias.shape[0] !== channels)) {
    throw new EffnetBackendError('webgl', `${kernel}: bias must be [${channels}]; got [${bias.shape.join(', ')}]`);
  }
  const activation = String((attrs as { activation?: unknown }).activation ?? 'linear');
  if (!Object.hasOwn(ACTIVATION_CODES, activation)) {
    throw new EffnetBackendError('webgl', `${kernel}: unknown activation '${activation}'; use one of ${Object.keys(ACTIVATION_CODES).join(', ')}`);
  }
  return activation;
}

/** A windowed convolution's strides, pads and output shape, checked. */
export interface Window {
  readonly strides: [number, number];
  readonly pads: [number, number, number, number];
  readonly outputShape: number[];
}

/** The uniforms of a windowed program: filter size, strides, the pads before (top, left), activation. */
export const WINDOW_UNIFORMS = [
  { name: 'filterSize', type: 'ivec2' as const },
  { name: 'strides', type: 'ivec2' as const },
  { name: 'pads', type: 'ivec2' as const },
  ACTIVATION_UNIFORM,
];

/** The values of {@link WINDOW_UNIFORMS} for a `[fh, fw, ·, ·]` filter. */
export function windowUniformValues(filter: TensorInfo, window: Window, activation: string): number[][] {
  return [filter.shape.slice(0, 2), window.strides, [window.pads[0], window.pads[2]], [ACTIVATION_CODES[activation]!]];
}

/** Reads `strides` [sh, sw] and `pads` [top, bottom, left, right] and computes the output of x with a `[fh, fw, ·, ·]` filter. */
export function windowOf(kernel: string, attrs: unknown, x: TensorInfo, filter: TensorInfo, outChannels: number): Window {
  const { strides, pads } = attrs as { strides?: unknown; pads?: unknown };
  const isPair = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n) && n >= 1);
  const isPads = (v: unknown): v is [number, number, number, number] => Array.isArray(v) && v.length === 4 && v.every((p) => Number.isInteger(p) && p >= 0);
  if (!isPair(strides) || !isPads(pads)) {
    throw new EffnetBackendError('webgl', `${kernel} needs strides [sh, sw] ≥ 1 and pads [top, bottom, left, right] ≥ 0; got ${JSON.stringify(strides)} and ${JSON.stringify(pads)}`);
  }
  const [batch, height, width] = x.shape as [number, number, number, number];
  const [fh, fw] = filter.shape as [number, number];
  const outHeight = Math.floor((height + pads[0] + pads[1] - fh) / strides[0]) + 1;
  const outWidth = Math.floor((width + pads[2] + pads[3] - fw) / strides[1]) + 1;
  return { strides, pads, outputShape: [batch, Math.max(outHeight, 0), Math.max(outWidth, 0), outChannels] };
}
