/** The autoencoder page's params and frame payload, shared by its view and its trainer. */

export interface AEParams {
  /** Code size of the second autoencoder (the code-size slider; changing it restarts that network). */
  code: number;
  /** σ of the Gaussian noise shown on the held-out digits (live; the network trains on σ from 0 to MAX_NOISE). */
  noise: number;
  /** A point of the 2-D latent map to decode (the clicked point), or null. */
  probe: [number, number] | null;
  /** Adam's learning rate of both networks (live). */
  lr: number;
}

export interface AEPayload {
  /** The 2-D codes of the map's digits [MAP_POINTS, 2] and their classes: only in frames where the map was recomputed. */
  map?: { points: Float32Array; labels: Uint8Array };
  /** The decoding of params.probe, 784 values in [−1, 1] (null without a probe). */
  probe: Float32Array | null;
  /** SHOWN held-out digits, clean, with noise σ = params.noise, and denoised: [SHOWN, 784] each, values in [−1, 1]. */
  clean: Float32Array;
  noisy: Float32Array;
  denoised: Float32Array;
  /** The same digits reconstructed through 8-bit codes of params.code values. */
  reconstructed: Float32Array;
  /** The code size the reconstructions used (bytes per image at 8 bits a value). */
  code: number;
}

export const PIXELS = 784;
/** Held-out digits shown in the noise and code-size rows. */
export const SHOWN = 6;
export const MAX_NOISE = 0.6;
export const CODE_SIZES = [2, 4, 8, 16, 32, 64] as const;
/** Hidden width of both autoencoders (784 → HIDDEN → code → HIDDEN → 784). */
export const HIDDEN = 64;
