// Layout conversions of effnet's constants (conv kernels HWIO, depthwise kernels [k, k, C, m],
// linear kernels [in, out]) into the layouts of other runtimes: PyTorch's and ONNX's OIHW,
// depthwise [C·m, 1, k, k], linear [out, in].

/** Permutes a row-major tensor: out[...] = in[perm-ordered ...]. */
export function transpose(values: Float32Array, shape: readonly number[], perm: readonly number[]): { shape: number[]; values: Float32Array } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p]!);
  const inStrides = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) inStrides[i] = inStrides[i + 1]! * shape[i + 1]!;
  const strides = perm.map((p) => inStrides[p]!);
  const out = new Float32Array(values.length);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let at = 0;
    for (let d = 0; d < rank; d++) at += index[d]! * strides[d]!;
    out[o] = values[at]!;
    for (let d = rank - 1; d >= 0; d--) {
      if (++index[d]! < outShape[d]!) break;
      index[d] = 0;
    }
  }
  return { shape: outShape, values: out };
}

/** HWIO → OIHW (a regular convolution). */
export function convToOihw(values: Float32Array, shape: readonly number[]): { shape: number[]; values: Float32Array } {
  return transpose(values, shape, [3, 2, 0, 1]);
}

/** Depthwise [k, k, C, m] → [C·m, 1, k, k]. */
export function depthwiseToOihw(values: Float32Array, shape: readonly number[]): { shape: number[]; values: Float32Array } {
  const [kh, kw, c, m] = shape as [number, number, number, number];
  const t = transpose(values, shape, [2, 3, 0, 1]);
  return { shape: [c * m, 1, kh, kw], values: t.values };
}

/** Linear [in, out] → [out, in]. */
export function linearToOutIn(values: Float32Array, shape: readonly number[]): { shape: number[]; values: Float32Array } {
  return transpose(values, shape, [1, 0]);
}
