// A small seeded pseudo-random source (a 32-bit counter hashed with an avalanche mixer) that
// hands out seeds for tf.randomUniform / tf.randomNormal. tfjs-core draws seeded random tensors in
// JavaScript, so a given seed gives the same tensor on every backend, and a forward pass that takes
// its seeds from one SeededRandom in a fixed order can be replayed exactly.
import { EffnetBlockError } from './errors.js';

const GOLDEN = 0x9e3779b9;

function mix32(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a hash of a string to an unsigned 32-bit integer (stable initialiser seeds per parameter name). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A deterministic stream of 32-bit numbers from an integer seed. */
export class SeededRandom {
  private counter: number;

  /**
   * @param seed - Any safe integer; equal seeds give equal streams.
   * @throws EffnetBlockError when `seed` is not a safe integer.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new EffnetBlockError('SeededRandom', `seed must be a safe integer, got ${seed}`);
    this.counter = mix32((seed >>> 0) ^ mix32(Math.floor(seed / 2 ** 32)));
  }

  /** The next unsigned 32-bit integer of the stream. */
  nextUint32(): number {
    this.counter = (this.counter + GOLDEN) >>> 0;
    return mix32(this.counter);
  }

  /** The next number in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 2 ** 32;
  }

  /** A seed for one `tf.randomUniform` / `tf.randomNormal` call. */
  nextSeed(): number {
    return this.nextUint32();
  }
}

/** The initialiser seed of the parameter `name` in a network seeded with `seed`: independent of creation order. */
export function parameterSeed(seed: number, name: string): number {
  return new SeededRandom(hashString(name) ^ mix32(seed >>> 0)).nextSeed();
}
