/**
 * Pictures for the run directory: 2-D maps of codes coloured by class (a raster scatter plot with
 * a pixel-font legend) and rows of digits. Browser-safe: builds `Image`s; writing is the caller's.
 */
import type { Image } from "../../data/png.js";

/** Ten distinct class colours (Tableau 10), RGB in [0, 1]; also used by the Lab page. */
export const CLASS_COLOURS: ReadonlyArray<readonly [number, number, number]> = [
  [0x1f, 0x77, 0xb4], [0xff, 0x7f, 0x0e], [0x2c, 0xa0, 0x2c], [0xd6, 0x27, 0x28], [0x94, 0x67, 0xbd],
  [0x8c, 0x56, 0x4b], [0xe3, 0x77, 0xc2], [0x7f, 0x7f, 0x7f], [0xbc, 0xbd, 0x22], [0x17, 0xbe, 0xcf],
].map(([r, g, b]) => [r / 255, g / 255, b / 255] as const);

/** A 3×5 pixel font: digits and the few capitals the titles use. */
const GLYPHS: Record<string, string> = {
  "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
  "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001010010010",
  "8": "111101111101111", "9": "111101111001111", A: "010101111101101", C: "011100100100011",
  E: "111100111100111", P: "110101110100100", " ": "000000000000000", "-": "000000111000000",
};

function fillRect(img: Image, x0: number, y0: number, w: number, h: number, rgb: readonly number[]): void {
  for (let y = Math.max(0, y0); y < Math.min(img.height, y0 + h); y++) {
    for (let x = Math.max(0, x0); x < Math.min(img.width, x0 + w); x++) {
      for (let c = 0; c < 3; c++) img.data[(y * img.width + x) * 3 + c] = rgb[c];
    }
  }
}

/** Writes text in the pixel font at (x, y), each font pixel `scale`² image pixels. */
export function drawText(img: Image, text: string, x: number, y: number, scale = 2, rgb: readonly number[] = [0.15, 0.15, 0.15]): void {
  [...text].forEach((ch, k) => {
    const g = GLYPHS[ch] ?? GLYPHS[" "];
    for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) if (g[r * 3 + c] === "1") fillRect(img, x + (k * 4 + c) * scale, y + r * scale, scale, scale, rgb);
  });
}

/**
 * A scatter plot of 2-D points coloured by class on a white square of `size` pixels, with a
 * title and a legend (one coloured square and digit per class). Ranges cover the 1st–99th
 * percentile of each axis, with a margin, so a few far points do not squash the rest.
 */
export function scatterImage(points: ArrayLike<number>, labels: ArrayLike<number>, title: string, size = 420): Image {
  const legend = 34, top = 26;
  const width = size, height = size + top + legend;
  const img: Image = { width, height, channels: 3, data: new Float32Array(width * height * 3).fill(1) };
  drawText(img, title, 8, 6, 3);
  const n = labels.length;
  const range = (axis: number): [number, number] => {
    const v = Float64Array.from({ length: n }, (_, i) => points[i * 2 + axis]).sort();
    const lo = v[Math.floor(0.01 * (n - 1))], hi = v[Math.ceil(0.99 * (n - 1))];
    const pad = (hi - lo) * 0.08 || 1;
    return [lo - pad, hi + pad];
  };
  const [x0, x1] = range(0), [y0, y1] = range(1);
  const plot = { left: 4, top, size: size - 8 };
  // Frame.
  fillRect(img, plot.left - 1, plot.top - 1, plot.size + 2, 1, [0.6, 0.6, 0.6]);
  fillRect(img, plot.left - 1, plot.top + plot.size, plot.size + 2, 1, [0.6, 0.6, 0.6]);
  fillRect(img, plot.left - 1, plot.top - 1, 1, plot.size + 2, [0.6, 0.6, 0.6]);
  fillRect(img, plot.left + plot.size, plot.top - 1, 1, plot.size + 2, [0.6, 0.6, 0.6]);
  for (let i = 0; i < n; i++) {
    const px = plot.left + Math.round(((points[i * 2] - x0) / (x1 - x0)) * (plot.size - 1));
    const py = plot.top + Math.round(((y1 - points[i * 2 + 1]) / (y1 - y0)) * (plot.size - 1));
    if (px < plot.left || px >= plot.left + plot.size || py < plot.top || py >= plot.top + plot.size) continue;
    fillRect(img, px - 1, py - 1, 3, 3, CLASS_COLOURS[labels[i] % 10]);
  }
  const step = Math.floor(width / 10);
  for (let c = 0; c < 10; c++) {
    fillRect(img, c * step + 8, size + top + 10, 12, 12, CLASS_COLOURS[c]);
    drawText(img, String(c), c * step + 24, size + top + 11, 2);
  }
  return img;
}

/** Images side by side with a gap (all the same height). */
export function sideBySide(images: readonly Image[], gap = 12): Image {
  const height = Math.max(...images.map((i) => i.height));
  const width = images.reduce((a, i) => a + i.width, 0) + gap * (images.length - 1);
  const out: Image = { width, height, channels: 3, data: new Float32Array(width * height * 3).fill(1) };
  let x0 = 0;
  for (const im of images) {
    for (let y = 0; y < im.height; y++) {
      for (let x = 0; x < im.width; x++) {
        for (let c = 0; c < 3; c++) out.data[(y * width + x0 + x) * 3 + c] = im.data[(y * im.width + x) * im.channels + (im.channels === 1 ? 0 : c)];
      }
    }
    x0 += im.width + gap;
  }
  return out;
}
