/**
 * Colour spaces for colourisation: luminance + two chrominance channels, so a network can be
 * given the luminance and asked only for the colour.
 *
 * - YUV (BT.601, analogue form): Y = 0.299 R + 0.587 G + 0.114 B, U = 0.492 (B − Y),
 *   V = 0.877 (R − Y). Linear, exactly invertible.
 * - CIELAB (D65 white, sRGB primaries): sRGB → linear light (the sRGB curve) → XYZ → L*a*b*.
 *   L* ∈ [0, 100] follows perceived lightness; C*ab = √(a*² + b*²) is the chroma
 *   (colourfulness) that the metrics report.
 *
 * Pixels are RGB triples in [0, 1]; conversions work in float64 and write into the given arrays.
 */

export type ColourSpace = "yuv" | "lab" | "rgb";

const WR = 0.299, WG = 0.587, WB = 0.114, KU = 0.492, KV = 0.877;

export function rgbToYuv(r: number, g: number, b: number): [number, number, number] {
  const y = WR * r + WG * g + WB * b;
  return [y, KU * (b - y), KV * (r - y)];
}

export function yuvToRgb(y: number, u: number, v: number): [number, number, number] {
  const r = y + v / KV;
  const b = y + u / KU;
  return [r, (y - WR * r - WB * b) / WG, b];
}

// sRGB primaries, D65 white (IEC 61966-2-1).
const M = [0.4124564, 0.3575761, 0.1804375, 0.2126729, 0.7151522, 0.072175, 0.0193339, 0.119192, 0.9503041];
const MI = invert3(M);
const WHITE = [M[0] + M[1] + M[2], M[3] + M[4] + M[5], M[6] + M[7] + M[8]];

function invert3(m: number[]): number[] {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A, -(b * i - c * h), b * f - c * e, B, a * i - c * g, -(a * f - c * d), C, -(a * h - b * g), a * e - b * d].map((v) => v / det);
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c: number) => (c <= 0.0031308 ? c * 12.92 : 1.055 * Math.sign(c) * Math.abs(c) ** (1 / 2.4) - 0.055);
const EPS = 216 / 24389, KAPPA = 24389 / 27;
const f = (t: number) => (t > EPS ? Math.cbrt(t) : (KAPPA * t + 16) / 116);
const fInv = (t: number) => (t ** 3 > EPS ? t ** 3 : (116 * t - 16) / KAPPA);

export function rgbToLab(r: number, g: number, b: number): [number, number, number] {
  const R = toLinear(r), G = toLinear(g), B = toLinear(b);
  const x = f((M[0] * R + M[1] * G + M[2] * B) / WHITE[0]);
  const y = f((M[3] * R + M[4] * G + M[5] * B) / WHITE[1]);
  const z = f((M[6] * R + M[7] * G + M[8] * B) / WHITE[2]);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

export function labToRgb(L: number, a: number, bb: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const X = fInv(fy + a / 500) * WHITE[0], Y = fInv(fy) * WHITE[1], Z = fInv(fy - bb / 200) * WHITE[2];
  return [
    toGamma(MI[0] * X + MI[1] * Y + MI[2] * Z),
    toGamma(MI[3] * X + MI[4] * Y + MI[5] * Z),
    toGamma(MI[6] * X + MI[7] * Y + MI[8] * Z),
  ];
}

/**
 * How each space is fed to the network, every channel scaled to about [−1, 1]: the luminance
 * channel (the input) and the colour channels (the output; RGB predicts all three).
 */
export const SCALES: Record<Exclude<ColourSpace, "rgb">, { lum: [number, number]; chroma: [number, number] }> = {
  // value = (x − offset) / scale
  yuv: { lum: [0.5, 0.5], chroma: [KU * (1 - WB), KV * (1 - WR)] },
  lab: { lum: [50, 50], chroma: [110, 110] },
};

/**
 * Splits planar RGB images ([n, 3, h, w], values in [0, 1]) into the network's input (luminance,
 * [n, 1, h, w]) and target ([n, 2, h, w] chroma, or [n, 3, h, w] RGB), all scaled to [−1, 1].
 */
export function encodeColour(rgb: Float32Array, n: number, pixels: number, space: ColourSpace): { input: Float32Array; target: Float32Array } {
  const input = new Float32Array(n * pixels);
  const target = new Float32Array(n * pixels * (space === "rgb" ? 3 : 2));
  for (let k = 0; k < n; k++) {
    const src = k * 3 * pixels;
    for (let p = 0; p < pixels; p++) {
      const r = rgb[src + p], g = rgb[src + pixels + p], b = rgb[src + 2 * pixels + p];
      if (space === "rgb") {
        input[k * pixels + p] = 2 * (WR * r + WG * g + WB * b) - 1;
        for (let c = 0; c < 3; c++) target[(k * 3 + c) * pixels + p] = 2 * rgb[src + c * pixels + p] - 1;
        continue;
      }
      const [l, c1, c2] = space === "yuv" ? rgbToYuv(r, g, b) : rgbToLab(r, g, b);
      const s = SCALES[space];
      input[k * pixels + p] = (l - s.lum[0]) / s.lum[1];
      target[(k * 2) * pixels + p] = c1 / s.chroma[0];
      target[(k * 2 + 1) * pixels + p] = c2 / s.chroma[1];
    }
  }
  return { input, target };
}

/** The inverse of encodeColour: planar RGB in [0, 1] (clamped) from the luminance and the network's colour output. */
export function decodeColour(input: Float32Array, output: Float32Array, n: number, pixels: number, space: ColourSpace): Float32Array {
  const rgb = new Float32Array(n * 3 * pixels);
  const clamp = (v: number) => Math.min(1, Math.max(0, v));
  for (let k = 0; k < n; k++) {
    for (let p = 0; p < pixels; p++) {
      let px: [number, number, number];
      if (space === "rgb") {
        px = [0, 1, 2].map((c) => (output[(k * 3 + c) * pixels + p] + 1) / 2) as [number, number, number];
      } else {
        const s = SCALES[space];
        const l = input[k * pixels + p] * s.lum[1] + s.lum[0];
        const c1 = output[(k * 2) * pixels + p] * s.chroma[0], c2 = output[(k * 2 + 1) * pixels + p] * s.chroma[1];
        px = space === "yuv" ? yuvToRgb(l, c1, c2) : labToRgb(l, c1, c2);
      }
      for (let c = 0; c < 3; c++) rgb[(k * 3 + c) * pixels + p] = clamp(px[c]);
    }
  }
  return rgb;
}

/** Mean CIELAB chroma C*ab = √(a*² + b*²) over every pixel of planar RGB images ([n, 3, h, w]). */
export function meanChroma(rgb: Float32Array, n: number, pixels: number): number {
  let total = 0;
  for (let k = 0; k < n; k++) {
    const src = k * 3 * pixels;
    for (let p = 0; p < pixels; p++) {
      const [, a, b] = rgbToLab(rgb[src + p], rgb[src + pixels + p], rgb[src + 2 * pixels + p]);
      total += Math.sqrt(a * a + b * b);
    }
  }
  return total / (n * pixels);
}
