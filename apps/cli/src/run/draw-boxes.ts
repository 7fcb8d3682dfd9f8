// Boxes drawn into RGB pixels (for `effnet detect predict` and the detection report): a rectangle
// outline per box in a colour per class.

/** Colours of the drawn boxes, by class id (cycled). */
export const BOX_COLOURS: readonly (readonly [number, number, number])[] = [[255, 59, 48], [52, 199, 89], [0, 122, 255], [255, 204, 0], [175, 82, 222], [255, 149, 0]];

/** Draws the outline of `[yMin, xMin, yMax, xMax]` into `width × height × 3` bytes, in place. */
export function drawBox(rgb: Uint8Array, width: number, height: number, [y0, x0, y1, x1]: readonly number[], colour: readonly number[], thickness = 2): void {
  const top = Math.max(0, Math.round(y0!));
  const left = Math.max(0, Math.round(x0!));
  const bottom = Math.min(height - 1, Math.round(y1!) - 1);
  const right = Math.min(width - 1, Math.round(x1!) - 1);
  for (let y = top; y <= bottom; y++) {
    for (let x = left; x <= right; x++) {
      const edge = y - top < thickness || bottom - y < thickness || x - left < thickness || right - x < thickness;
      if (!edge) continue;
      const p = 3 * (y * width + x);
      rgb[p] = colour[0]!;
      rgb[p + 1] = colour[1]!;
      rgb[p + 2] = colour[2]!;
    }
  }
}
