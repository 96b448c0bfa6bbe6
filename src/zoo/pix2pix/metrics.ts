/**
 * Scores of image-to-image outputs. Images are compared in [0, 1] (pixel values, not the
 * network's [−1, 1]).
 */

/** Mean absolute difference. */
export function meanAbsError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] - b[i]);
  return s / a.length;
}

/** PSNR in dB of one image against its reference, peak 1: 10·log₁₀(1 / MSE), capped at 100 dB (MSE ≤ 1e−10). */
export function psnr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return 10 * Math.log10(1 / Math.max(s / a.length, 1e-10));
}

/**
 * Intersection over union and F1 (Dice) of a predicted mask (probabilities, thresholded at
 * `threshold`) against a 0/1 mask, counted over all pixels together. Both empty: 1.
 */
export function iouF1(predicted: ArrayLike<number>, truth: ArrayLike<number>, threshold = 0.5): { iou: number; f1: number; tp: number; fp: number; fn: number } {
  let tp = 0, fp = 0, fn = 0;
  for (let i = 0; i < predicted.length; i++) {
    const p = predicted[i] >= threshold, t = truth[i] >= 0.5;
    if (p && t) tp++;
    else if (p) fp++;
    else if (t) fn++;
  }
  const union = tp + fp + fn;
  return { iou: union === 0 ? 1 : tp / union, f1: union === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn), tp, fp, fn };
}
