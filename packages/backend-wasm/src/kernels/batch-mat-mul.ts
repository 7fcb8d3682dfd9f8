// BatchMatMul for the wasm backend, replacing tfjs-backend-wasm's own when an operand is
// transposed: the stock kernel reaches XNNPACK's matrix product only without transposes and
// otherwise runs plain loops, 5-10× slower. tfjs-core's MatMul gradient asks for transposes on
// every backward pass of a linear layer (dx = dy·Wᵀ, dW = xᵀ·dy). With a single matrix on each
// side and a result of at least 2 × 2, the transposed operand is transposed explicitly
// (transpose.ts) and the product goes to the stock kernel without transposes; batched products,
// and products with a vector, keep the stock kernel's loops. Follows tfjs's
// BatchMatMul kernel (attrs transposeA, transposeB).
import { BatchMatMul, util } from '@tensorflow/tfjs-core';
import type { BatchMatMulAttrs, KernelBackend, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { inKernelScope, type KernelScope } from './kernel-scope.js';
import { StockKernel } from './stock-kernel.js';

/** tfjs-backend-wasm's own BatchMatMul: every product ends there. */
export const batchMatMulStock = new StockKernel(BatchMatMul);

/** What this kernel cannot do without the stock one, for the error when there is none. */
const WITHOUT_STOCK = 'products by itself (it hands every product to the stock kernel)';

/** `t` with its last two axes swapped. */
function swapLastAxes(scope: KernelScope, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const perm = t.shape.map((_, axis) => axis);
  [perm[rank - 2], perm[rank - 1]] = [rank - 1, rank - 2];
  return scope.run('Transpose', { x: t }, { perm });
}

const batchMatMul: KernelFunc = (args) => {
  const { a, b } = args.inputs as unknown as Record<'a' | 'b', TensorInfo>;
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const single = (t: TensorInfo) => t.shape.length >= 2 && util.sizeFromShape(t.shape.slice(0, -2)) === 1;
  const rank = (t: TensorInfo) => t.shape.length;
  const rows = transposeA ? a.shape[rank(a) - 1]! : a.shape[rank(a) - 2]!;
  const cols = transposeB ? b.shape[rank(b) - 2]! : b.shape[rank(b) - 1]!;
  // A single row or column (a sum with a vector of ones, leading-reduction.ts) gains nothing
  // from XNNPACK, which would first pack the whole other operand.
  if (!(transposeA || transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32' || !single(a) || !single(b) || rows < 2 || cols < 2) {
    return batchMatMulStock.run(args, WITHOUT_STOCK);
  }
  return inKernelScope(args.backend as KernelBackend, (scope) => {
    const inputs = { a: transposeA ? swapLastAxes(scope, a) : a, b: transposeB ? swapLastAxes(scope, b) : b };
    const out = batchMatMulStock.run({ ...args, inputs: inputs as never, attrs: { ...args.attrs, transposeA: false, transposeB: false } }, WITHOUT_STOCK);
    return Array.isArray(out) ? out[0]! : out;
  });
};

/** BatchMatMul for `wasm`: single transposed products on XNNPACK, the rest by the stock kernel. */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMul,
  setupFunc: (backend) => batchMatMulStock.setup(backend as KernelBackend),
};
