/**
 * Corruptions for the denoising autoencoder, on pixels in [0, 1] (browser-safe).
 *
 *   gaussian        x̃ = clip(x + σ·ε, 0, 1),  ε ~ N(0, 1) per pixel
 *   salt-and-pepper each pixel, with probability p, becomes 0 or 1 (even odds)
 */
import type { Generator } from "../../core/random.js";

export type NoiseKind = "gaussian" | "salt-pepper";
export const NOISE_KINDS: readonly NoiseKind[] = ["gaussian", "salt-pepper"];

export function gaussianNoise(x: ArrayLike<number>, sigma: number, gen: Generator): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(1, Math.max(0, x[i] + sigma * gen.normal()));
  return out;
}

export function saltPepperNoise(x: ArrayLike<number>, amount: number, gen: Generator): Float32Array {
  const out = Float32Array.from(x);
  for (let i = 0; i < x.length; i++) {
    if (gen.random24() < amount) out[i] = gen.random24() < 0.5 ? 0 : 1;
  }
  return out;
}

/** One kind of noise at its level (σ for gaussian, p for salt-and-pepper). */
export function addNoise(x: ArrayLike<number>, kind: NoiseKind, level: number, gen: Generator): Float32Array {
  return kind === "gaussian" ? gaussianNoise(x, level, gen) : saltPepperNoise(x, level, gen);
}
