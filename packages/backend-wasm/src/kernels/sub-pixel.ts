// The input gradient of a convolution with stride s (the same both ways) as one stride-1
// convolution of dy with s² phase filters side by side, interleaved as DepthToSpace does (the
// sub-pixel form of a transposed convolution, Shi et al. 2016): dx[s·a + p] only meets the taps
// i ≡ p + top (mod s), so each phase is a small correlation of dy itself, with no zeros spread
// between its rows and columns (s² times less work than spreading dy). Follows TensorFlow's
// Conv2DBackpropInput definition and its DepthToSpace channel order ((p·s + q)·Cin + c).
import type { backend_util, TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

/** One axis of the phase filters: the taps each phase uses and the window of dy they read. */
interface PhaseAxis {
  /** Window offsets relative to the output row a: dy rows a + lo … a + lo + size − 1. */
  lo: number;
  size: number;
  /** tap[p][m]: the forward filter tap phase p applies at window offset m, or −1 for none. */
  tap: number[][];
  /** Output rows per phase (ceil(input / s)). */
  rows: number;
}

function phaseAxis(stride: number, kernel: number, front: number, input: number): PhaseAxis {
  // Phase p: taps i = r + s·t (r = (p + front) mod s, t < T) read dy row a + c − t, c = floor((p + front) / s).
  const phases = Array.from({ length: stride }, (_, p) => {
    const r = (p + front) % stride;
    const c = Math.floor((p + front) / stride);
    return { r, c, count: Math.max(0, Math.ceil((kernel - r) / stride)) };
  });
  const used = phases.filter((ph) => ph.count > 0);
  const lo = Math.min(...used.map((ph) => ph.c - ph.count + 1));
  const hi = Math.max(...used.map((ph) => ph.c));
  const size = hi - lo + 1;
  const tap = phases.map((ph) =>
    Array.from({ length: size }, (_, m) => {
      const t = ph.c - (m + lo);
      return t >= 0 && t < ph.count ? ph.r + stride * t : -1;
    }),
  );
  return { lo, size, tap, rows: Math.ceil(input / stride) };
}

/** Whether {@link subPixelInputGradient} handles this convolution (equal strides above 1). */
export function subPixelApplies(info: backend_util.Conv2DInfo): boolean {
  return info.strideHeight === info.strideWidth && info.strideHeight > 1 && info.dilationHeight === 1 && info.dilationWidth === 1;
}

/**
 * dx [N, H, W, Cin] of the convolution `info` from dy [N, OH, OW, Cout] and its filter
 * [kh, kw, Cin, Cout], as one Conv2D of dy (framed) with the phase filters
 * [wh, ww, Cout, s²·Cin] and an interleaving transpose (DepthToSpace).
 */
export function subPixelInputGradient(scope: KernelScope, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const s = info.strideHeight;
  const [kh, kw, inC, outC] = filter.shape as [number, number, number, number];
  const [n, oh, ow] = dy.shape as [number, number, number, number];
  const rows = phaseAxis(s, kh, info.padInfo.top, info.inHeight);
  const cols = phaseAxis(s, kw, info.padInfo.left, info.inWidth);
  // The phase filters, built on the host: the forward filter is small.
  const w = scope.read(filter);
  const phased = new Float32Array(rows.size * cols.size * outC * s * s * inC);
  const depth = s * s * inC;
  for (let p = 0; p < s; p++) {
    for (let q = 0; q < s; q++) {
      for (let m = 0; m < rows.size; m++) {
        const i = rows.tap[p]![m]!;
        if (i < 0) continue;
        for (let mm = 0; mm < cols.size; mm++) {
          const j = cols.tap[q]![mm]!;
          if (j < 0) continue;
          for (let ci = 0; ci < inC; ci++) {
            const from = ((i * kw + j) * inC + ci) * outC;
            const to = (m * cols.size + mm) * outC * depth + (p * s + q) * inC + ci;
            for (let co = 0; co < outC; co++) phased[to + co * depth] = w[from + co]!;
          }
        }
      }
    }
  }
  const phaseFilter = scope.fromValues(phased, [rows.size, cols.size, outC, depth]);
  // dy rows lo … rows − 1 + hi: zeros where that leaves dy (explicit padding), a slice where it cuts into it.
  const frame = (lo: number, size: number, outRows: number, have: number) => {
    const last = outRows - 1 + lo + size - 1;
    const begin = Math.max(0, lo);
    const end = Math.min(have - 1, last);
    return { begin, count: end - begin + 1, pad: [Math.max(0, -lo), Math.max(0, last - (have - 1))] as [number, number] };
  };
  const fr = frame(rows.lo, rows.size, rows.rows, oh);
  const fc = frame(cols.lo, cols.size, cols.rows, ow);
  const window = scope.stridedSlice(dy, [0, fr.begin, fc.begin, 0], [n, fr.count, fc.count, outC], [1, 1, 1, 1]);
  const phases = scope.run('Conv2D', { x: window, filter: phaseFilter }, {
    strides: [1, 1],
    pad: [[0, 0], fr.pad, fc.pad, [0, 0]],
    dataFormat: 'NHWC',
    dilations: [1, 1],
  } as never);
  // DepthToSpace as a 4-D transpose (the wasm DepthToSpace was 4× slower): channels (p, q, c) of
  // [N·A, B, s, s·Cin] to [N·A, s, B, s·Cin], which is [N, s·A, s·B, Cin] in memory.
  const [, a, b] = phases.shape as [number, number, number, number];
  const grouped = scope.reshape(phases, [n * a, b, s, s * inC]);
  const moved = scope.run('Transpose', { x: grouped }, { perm: [0, 2, 1, 3] });
  const interleaved = scope.reshape(moved, [n, a * s, b * s, inC]);
  return scope.stridedSlice(interleaved, [0, 0, 0, 0], [n, info.inHeight, info.inWidth, inC], [1, 1, 1, 1]);
}
