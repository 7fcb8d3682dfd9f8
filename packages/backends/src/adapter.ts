// The BackendAdapter contract (docs/architecture.md): what a runtime says about itself, how it checks availability without side effects, and how it activates.
import type { Tensor } from '@tensorflow/tfjs-core';

/** Where an adapter's backend runs. */
export type BackendPlatform = 'node' | 'browser';

/** What a backend can do. */
export interface BackendCapabilities {
  /** Forward passes work. */
  readonly inference: boolean;
  /** Every gradient a training step needs is registered (with the plugin imported). */
  readonly training: boolean;
  /** float16 storage or arithmetic is available. */
  readonly float16: boolean;
  /** The backend can use more than one thread or a GPU. */
  readonly multithreading: boolean;
}

/** The answer of {@link BackendAdapter.isAvailable}. */
export interface BackendAvailability {
  /** Whether `activate()` can succeed here. */
  readonly available: boolean;
  /** Why not, with the fix, when `available` is false. */
  readonly reason?: string;
}

/** What {@link BackendAdapter.describe} reports about an active backend. */
export interface BackendDescription {
  /** The adapter name. */
  readonly name: string;
  /** The tfjs backend name behind it (`tf.getBackend()` once active). */
  readonly tfjsBackend: string;
  /** Package versions, e.g. `{ 'tfjs-core': '4.22.0', 'tfjs-backend-wasm': '4.22.0' }`. */
  readonly versions: Readonly<Record<string, string>>;
  /** Worker threads in use, where the backend has them. */
  readonly threads?: number;
  /** Whether WebAssembly SIMD is used, where that applies. */
  readonly simd?: boolean;
  /** GPU vendor or renderer, where known. */
  readonly gpu?: string;
}

/** One runtime (cpu, wasm, webgl, webgpu, node, node-gpu) as effnet sees it. */
export interface BackendAdapter {
  /** Adapter name, the argument of `useBackend` (e.g. `wasm`, `node-gpu`). */
  readonly name: string;
  /** Where it runs. */
  readonly platform: BackendPlatform;
  /**
   * Higher is preferred by `useBackend('auto')`. effnet's plugins use node-gpu 60, node 50,
   * webgpu 40, webgl 30, wasm 20, cpu 10: fastest first.
   */
  readonly priority: number;
  /** The command that installs this plugin and its tfjs backend, quoted in errors. */
  readonly install: string;
  /** What it can do. */
  readonly capabilities: BackendCapabilities;
  /** Whether it can run here; registers nothing and switches nothing. */
  isAvailable(): Promise<BackendAvailability>;
  /** Registers and selects the tfjs backend and awaits `tf.ready()`; throws `EffnetBackendError` when it cannot. */
  activate(): Promise<void>;
  /** Versions, threads, SIMD and GPU of the backend (activate first). */
  describe(): Promise<BackendDescription>;
  /**
   * Runs `model` (anything with `predict`, such as an `EfficientNet`, or a plain function) once
   * on a zero tensor of `inputShape`, waits for the result and disposes it, so that shader
   * compilation and other first-call costs are paid up front; returns that call's milliseconds.
   */
  warmup(model: WarmupTarget, inputShape: number[]): Promise<number>;
}

/** A model to warm up: an object with `predict` (e.g. `EfficientNet`) or a function of the input. */
export type WarmupTarget = ((input: Tensor) => Tensor | Tensor[]) | { predict(input: Tensor): Tensor | Tensor[] };
