// Per-kernel time of a call, from tf.profile(): kernel times summed by kernel name and averaged over
// several profiled calls (one call's are noisy). The profiler reads every kernel's output back, so
// the wall time of a profiled call is inflated: time the call apart, without it.
import * as tf from '@tensorflow/tfjs-core';

/** Mean ms and calls per call of each kernel; their totals; the peak bytes of tensors. */
export interface KernelProfile {
  byName: Map<string, { ms: number; calls: number }>;
  /** ms in kernels per call. */
  total: number;
  /** Kernel calls per call. */
  calls: number;
  /** Peak bytes of tensors during the last profiled call. */
  peakBytes: number;
}

/**
 * Profiles `profiled` calls of `run` (whose result it disposes). Entries named `…__op` or
 * `unnamed scope` are a custom-gradient op's wrapper (tf.customGrad inside a named op, or outside
 * any: batch norm, SiLU and pooling in training), whose inner kernels are listed too: they are
 * skipped, or their time would count twice.
 */
export async function kernelProfile(run: () => tf.TensorContainer, profiled: number): Promise<KernelProfile> {
  const byName = new Map<string, { ms: number; calls: number }>();
  let total = 0;
  let calls = 0;
  let peakBytes = 0;
  for (let p = 0; p < profiled; p++) {
    const info = await tf.profile(run);
    tf.dispose(info.result);
    const kernels = info.kernels.filter((k) => !k.name.endsWith('__op') && k.name !== 'unnamed scope');
    calls = kernels.length;
    peakBytes = info.peakBytes;
    for (const k of kernels) {
      const ms = (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0) / profiled;
      const entry = byName.get(k.name) ?? { ms: 0, calls: 0 };
      entry.ms += ms;
      entry.calls += 1 / profiled;
      byName.set(k.name, entry);
      total += ms;
    }
  }
  return { byName, total, calls, peakBytes };
}
