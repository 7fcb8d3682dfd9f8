// Splits detections by class for the class-wise NMS variants: boxes of one class only ever compete
// with boxes of the same class.
import { EffnetModelError } from '../errors.js';

/** The boxes of one class: their indices into the input, their boxes (flat) and their scores. */
export interface ClassGroup {
  members: number[];
  boxes: Float64Array;
  scores: number[];
}

/**
 * Groups boxes by class id, keeping each group's input order.
 *
 * @throws EffnetModelError when there is not one class per score.
 */
export function groupByClass(boxes: ArrayLike<number>, scores: ArrayLike<number>, classes: ArrayLike<number>): ClassGroup[] {
  if (classes.length !== scores.length) throw new EffnetModelError('classes', `need one class per score: ${classes.length} classes, ${scores.length} scores`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < classes.length; i++) {
    const list = byClass.get(classes[i]!) ?? [];
    list.push(i);
    byClass.set(classes[i]!, list);
  }
  return [...byClass.values()].map((members) => {
    const groupBoxes = new Float64Array(4 * members.length);
    members.forEach((i, k) => {
      for (let c = 0; c < 4; c++) groupBoxes[4 * k + c] = boxes[4 * i + c]!;
    });
    return { members, boxes: groupBoxes, scores: members.map((i) => scores[i]!) };
  });
}
