// What every block of one network shares: the padding convention, BN settings and activation,
// taken from the ModelSpec so that a block is built from its BlockSpec and nothing else.
import type { Activation, BatchNormSpec, PaddingConvention } from '@effnet/scaling';

/** Network-wide settings a block is built with (`ModelSpec.padding`, `.batchNorm`, `.activation`). */
export interface BlockOptions {
  /** Padding convention of every convolution. */
  padding: PaddingConvention;
  /** BN eps and momentum (PyTorch sense). */
  batchNorm: BatchNormSpec;
  /** Activation after convolutions (default SiLU). */
  activation?: Activation;
}
