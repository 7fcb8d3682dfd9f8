// The tfjs-backend-wasm kernel that one of ours replaced, kept for the cases ours hands back
// (e.g. channels-first data), with its setup (cwrap of the compiled function) run on demand.
// Follows the tfjs kernel registry contract: a KernelConfig's setupFunc runs once per backend
// before its kernelFunc is called.
import type { KernelBackend, KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { EffnetBackendError } from '@effnet/backends';

type KernelArgs = Parameters<KernelConfig['kernelFunc']>[0];

/** A replaced stock kernel: adopted when ours is registered over it, then callable as a fallback. */
export class StockKernel {
  private config: KernelConfig | undefined;
  private readonly ready = new WeakSet<KernelBackend>();

  /** @param kernelName - The kernel's registry name, e.g. `Conv2DBackpropInput`. */
  constructor(readonly kernelName: string) {}

  /** Keeps `config` (the registration ours replaces) as the fallback. */
  adopt(config: KernelConfig): void {
    this.config = config;
  }

  /** Whether a stock kernel was adopted. */
  get adopted(): boolean {
    return this.config !== undefined;
  }

  /** Runs the stock kernel's setup for `backend` (what tfjs does on setBackend). */
  setup(backend: KernelBackend): void {
    if (this.config === undefined || this.ready.has(backend)) return;
    this.config.setupFunc?.(backend);
    this.ready.add(backend);
  }

  /**
   * Runs the stock kernel on `args`; `why` says what ours does not support, for the
   * `EffnetBackendError` thrown when there is no stock kernel to hand the call to.
   */
  run(args: KernelArgs, why: string): TensorInfo | TensorInfo[] {
    if (this.config === undefined) {
      throw new EffnetBackendError(
        'wasm',
        `${this.kernelName} of @effnet/backend-wasm does not support ${why}, and tfjs-backend-wasm's own ${this.kernelName} ` +
          'is not registered to fall back to; import @tensorflow/tfjs-backend-wasm before registering the effnet kernels',
      );
    }
    this.setup(args.backend as KernelBackend);
    return this.config.kernelFunc(args);
  }
}

/** A kernel of ours that replaces tfjs-backend-wasm's own, and where the replaced one is kept. */
export interface ReplacementKernel {
  /** Our kernel. */
  readonly config: KernelConfig;
  /** The stock kernel it replaces, adopted on registration and used as the fallback. */
  readonly stock: StockKernel;
}
