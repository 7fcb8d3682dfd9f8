// tfjs-backend-wasm allocates every tensor with its Emscripten module's malloc, which aligns blocks
// to 8 bytes: about half the tensors start 8 bytes past a 16-byte boundary, and a 128-bit SIMD load
// from them splits across cache lines one time in four. Both effnet's kernels and XNNPACK load
// filters that way in their innermost loops (a 3×3 convolution ran at 28 GFLOP/s with its filter 8
// bytes off, 44 with it aligned). This makes the backend's own allocations (the JavaScript calls
// to `_malloc` that back every tensor) 16-byte aligned: each asks for 8 bytes more and hands out the
// aligned address inside the block; `_free` maps such an address back to its block. Blocks the
// compiled code allocated itself (NonMaxSuppression's results) pass through unchanged.
import type { KernelBackend } from '@tensorflow/tfjs-core';

/** What is used of tfjs-backend-wasm's Emscripten module. */
interface Allocator {
  _malloc(bytes: number): number;
  _free(address: number): void;
}

const patched = new WeakSet<object>();

/** Makes `backend`'s tensor allocations 16-byte aligned from now on (idempotent; a backend without a wasm module is left alone). */
export function alignAllocations(backend: KernelBackend): void {
  const module = (backend as { wasm?: Allocator }).wasm;
  if (module === undefined || typeof module._malloc !== 'function' || typeof module._free !== 'function' || patched.has(module)) return;
  patched.add(module);
  // Emscripten's `_malloc` and `_free` start as stubs that replace themselves on their first call
  // (with the module's exports): call them once, so that the functions wrapped here stay in place.
  module._free(module._malloc(16));
  const malloc = module._malloc.bind(module);
  const free = module._free.bind(module);
  /** Aligned address handed out → the block malloc returned, for blocks that were moved. */
  const blocks = new Map<number, number>();
  module._malloc = (bytes: number) => {
    const block = malloc(bytes + 8) >>> 0;
    if (block === 0 || block % 16 === 0) return block;
    blocks.set(block + 8, block);
    return block + 8;
  };
  module._free = (address: number) => {
    const block = blocks.get(address);
    if (block === undefined) return free(address);
    blocks.delete(address);
    return free(block);
  };
}
