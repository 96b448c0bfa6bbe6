/** Pictures of energy-based models: weight filters and digit grids as PNG images. */
import type { Tensor } from "../../core/tensor.js";
import { greyImage, type Image, imageGrid } from "../../data/png.js";

/**
 * The first `count` rows of a weight matrix [H, 784] as 28×28 filters, each scaled on its own
 * to [−m, m] → [0, 1] with m its largest |w| (mid-grey is 0, white excitatory, black inhibitory).
 */
export function filterGrid(weight: Tensor, count: number, columns: number): Image {
  const [H, V] = weight.shape;
  const side = Math.round(Math.sqrt(V));
  const n = Math.min(count, H);
  const w = weight.data;
  const images: Image[] = [];
  for (let j = 0; j < n; j++) {
    const row = w.subarray(j * V, (j + 1) * V);
    let m = 1e-12;
    for (let i = 0; i < V; i++) m = Math.max(m, Math.abs(row[i]));
    images.push(greyImage(Array.from(row, (x) => x / m), side, side, true));
  }
  return imageGrid(images, Math.min(columns, n));
}

/** Rows of [n, 784] values in [0, 1] as a grid of 28×28 digits, `columns` per row. */
export function digitGrid(rows: Float32Array, columns: number, gap = 2): Image {
  const V = 784;
  const images: Image[] = [];
  for (let k = 0; k * V < rows.length; k++) images.push(greyImage(rows.subarray(k * V, (k + 1) * V), 28, 28));
  return imageGrid(images, columns, gap);
}
