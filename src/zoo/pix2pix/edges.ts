/**
 * Edge maps of grey images (for pix2pix's edges → image pairs): Sobel gradient magnitude, and a
 * Canny-like detector (light blur, Sobel, non-maximum suppression along the gradient, hysteresis
 * with thresholds relative to the image's strongest gradient). Images are row-major floats.
 */

/** Sobel gradients (3×3, edges replicated): gx, gy and the magnitude √(gx² + gy²). */
export function sobel(img: ArrayLike<number>, width: number, height: number): { gx: Float32Array; gy: Float32Array; magnitude: Float32Array } {
  const gx = new Float32Array(width * height);
  const gy = new Float32Array(width * height);
  const magnitude = new Float32Array(width * height);
  const at = (x: number, y: number) => img[Math.min(height - 1, Math.max(0, y)) * width + Math.min(width - 1, Math.max(0, x))];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const a = at(x - 1, y - 1), b = at(x, y - 1), c = at(x + 1, y - 1);
      const d = at(x - 1, y), f = at(x + 1, y);
      const g = at(x - 1, y + 1), h = at(x, y + 1), k = at(x + 1, y + 1);
      const sx = c + 2 * f + k - (a + 2 * d + g);
      const sy = g + 2 * h + k - (a + 2 * b + c);
      const i = y * width + x;
      gx[i] = sx;
      gy[i] = sy;
      magnitude[i] = Math.sqrt(sx * sx + sy * sy);
    }
  }
  return { gx, gy, magnitude };
}

/** The Sobel magnitude scaled to [0, 1] by its maximum (all zeros for a flat image): soft edges. */
export function sobelEdges(img: ArrayLike<number>, width: number, height: number): Float32Array {
  const { magnitude } = sobel(img, width, height);
  let max = 0;
  for (const v of magnitude) max = Math.max(max, v);
  if (max > 0) for (let i = 0; i < magnitude.length; i++) magnitude[i] /= max;
  return magnitude;
}

/** A 3×3 binomial blur ([1 2 1]/4 each way, edges replicated). */
export function blur3(img: ArrayLike<number>, width: number, height: number): Float32Array {
  const tmp = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const row = y * width;
      tmp[row + x] = (img[row + Math.max(0, x - 1)] + 2 * img[row + x] + img[row + Math.min(width - 1, x + 1)]) / 4;
    }
  }
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      out[y * width + x] = (tmp[Math.max(0, y - 1) * width + x] + 2 * tmp[y * width + x] + tmp[Math.min(height - 1, y + 1) * width + x]) / 4;
    }
  }
  return out;
}

export interface CannyOptions {
  /** Strong edges: magnitude ≥ high·max (default 0.3). */
  high?: number;
  /** Weak edges, kept when connected to a strong one: magnitude ≥ low·max (default 0.1). */
  low?: number;
  /** Blur with a 3×3 binomial kernel first (default true). */
  blur?: boolean;
}

/**
 * Canny-like edges: 1 on thin edge lines, 0 elsewhere. Non-maximum suppression keeps a pixel
 * only where its gradient magnitude is at least that of both neighbours along the gradient
 * direction (quantised to 0°, 45°, 90°, 135°); hysteresis keeps strong pixels and the weak ones
 * 8-connected to them.
 */
export function canny(img: ArrayLike<number>, width: number, height: number, options: CannyOptions = {}): Float32Array {
  const src = options.blur === false ? img : blur3(img, width, height);
  const { gx, gy, magnitude } = sobel(src, width, height);
  let max = 0;
  for (const v of magnitude) max = Math.max(max, v);
  const out = new Float32Array(width * height);
  if (max === 0) return out;
  const high = (options.high ?? 0.3) * max;
  const low = (options.low ?? 0.1) * max;
  const mag = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : magnitude[y * width + x]);
  // 0: strong, 1: weak, 2: none, after non-maximum suppression.
  const kind = new Uint8Array(width * height).fill(2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const m = magnitude[i];
      if (m < low) continue;
      // Direction of the gradient, folded into [0°, 180°).
      let angle = (Math.atan2(gy[i], gx[i]) * 180) / Math.PI;
      if (angle < 0) angle += 180;
      let dx: number, dy: number;
      if (angle < 22.5 || angle >= 157.5) [dx, dy] = [1, 0];
      else if (angle < 67.5) [dx, dy] = [1, 1];
      else if (angle < 112.5) [dx, dy] = [0, 1];
      else [dx, dy] = [-1, 1];
      // Ties keep the pixel on one side only (≥ before, > after), so a plateau gives one line.
      if (m < mag(x + dx, y + dy) || m <= mag(x - dx, y - dy)) continue;
      kind[i] = m >= high ? 0 : 1;
    }
  }
  const stack: number[] = [];
  for (let i = 0; i < kind.length; i++) if (kind[i] === 0) { out[i] = 1; stack.push(i); }
  while (stack.length > 0) {
    const i = stack.pop()!;
    const x = i % width, y = (i - x) / width;
    for (let ny = Math.max(0, y - 1); ny <= Math.min(height - 1, y + 1); ny++) {
      for (let nx = Math.max(0, x - 1); nx <= Math.min(width - 1, x + 1); nx++) {
        const j = ny * width + nx;
        if (kind[j] === 1 && out[j] === 0) {
          out[j] = 1;
          stack.push(j);
        }
      }
    }
  }
  return out;
}
