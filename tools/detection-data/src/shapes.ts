// Coloured shapes drawn into an RGB image: filled circles, squares and triangles. The box of a
// shape is the bounding box of the pixels actually painted, so it is exact.

/** Shape classes, by class id. */
export const SHAPE_CLASSES = ['circle', 'square', 'triangle'] as const;

/** A shape class name. */
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/**
 * Paints a shape filling the square `[top, left]`…`[top + side, left + side]` (clipped to the
 * image) and returns the box of the pixels painted.
 *
 * @param image - RGB bytes of a `size`×`size` image.
 * @param size - Image side.
 * @param shape - Which shape.
 * @param top - Top of the square.
 * @param left - Left of the square.
 * @param side - Side of the square in pixels.
 * @param colour - RGB colour.
 * @returns `[yMin, xMin, yMax, xMax]` (max exclusive), or null when nothing was painted.
 */
export function drawShape(image: Uint8Array, size: number, shape: ShapeClass, top: number, left: number, side: number, colour: readonly [number, number, number]): [number, number, number, number] | null {
  let yMin = Infinity;
  let xMin = Infinity;
  let yMax = -Infinity;
  let xMax = -Infinity;
  const r = side / 2;
  for (let y = Math.max(0, Math.floor(top)); y < Math.min(size, Math.ceil(top + side)); y++) {
    for (let x = Math.max(0, Math.floor(left)); x < Math.min(size, Math.ceil(left + side)); x++) {
      const u = x + 0.5 - left; // 0…side across
      const v = y + 0.5 - top; // 0…side down
      let inside: boolean;
      if (shape === 'square') inside = u >= 0 && u <= side && v >= 0 && v <= side;
      else if (shape === 'circle') inside = (u - r) ** 2 + (v - r) ** 2 <= r * r;
      else inside = v >= 0 && v <= side && Math.abs(u - r) <= (v / side) * r; // apex at the top
      if (!inside) continue;
      const p = 3 * (y * size + x);
      image[p] = colour[0];
      image[p + 1] = colour[1];
      image[p + 2] = colour[2];
      yMin = Math.min(yMin, y);
      xMin = Math.min(xMin, x);
      yMax = Math.max(yMax, y + 1);
      xMax = Math.max(xMax, x + 1);
    }
  }
  return yMin === Infinity ? null : [yMin, xMin, yMax, xMax];
}

/** A saturated colour from a hue in [0, 1) and a value in [0, 1] (HSV with S = 1). */
export function saturatedColour(hue: number, value: number): [number, number, number] {
  const h = (hue % 1) * 6;
  const f = h - Math.floor(h);
  const v = Math.round(255 * value);
  const q = Math.round(255 * value * (1 - f));
  const t = Math.round(255 * value * f);
  switch (Math.floor(h)) {
    case 0:
      return [v, t, 0];
    case 1:
      return [q, v, 0];
    case 2:
      return [0, v, t];
    case 3:
      return [0, q, v];
    case 4:
      return [t, 0, v];
    default:
      return [v, 0, q];
  }
}
