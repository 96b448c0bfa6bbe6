/** The pix2pix page's params and frame payload, shared by its view and its trainer. */

/** What the page translates (the CLI's --pairs). */
export type Pix2PixMode = "edges" | "inpaint" | "colorize" | "roads";

/** A picture as plain data: interleaved RGB in [0, 1]. */
export interface Picture {
  width: number;
  height: number;
  data: Float32Array;
}

export interface Pix2PixParams {
  mode: Pix2PixMode;
  /** L1 + adversarial (pix2pix), or L1 alone (the ablation). */
  adversarial: boolean;
  /** The L1 term's weight λ. */
  lambda: number;
  lr: number;
  /** edges: the learner's drawing, EDGE_SIDE² values in [0, 1] (light lines on dark). */
  drawing: Float32Array;
  /** inpaint: which held-out digit, and the centre of the hole (EDGE_SIDE-pixel coordinates). */
  example: number;
  hole: [number, number];
  /** colorize / roads: the learner's picture (shrunk to at most UPLOAD_SIDE), or null for the built-in example. */
  upload: Picture | null;
}

export interface Pix2PixPayload {
  mode: Pix2PixMode;
  /** Side of the example pictures. */
  size: number;
  /** EXAMPLES held-out pairs × 3 pictures (input, output, target), each size×size, RGB interleaved. */
  examples: Float32Array;
  /** The learner's input and the generator's output for it. */
  user: { input: Picture; output: Picture };
  /** Changes whenever the pictures were recomputed. */
  version: number;
}

/** The drawing canvas's side, in pixels of the network's input (MNIST's 28). */
export const EDGE_SIDE = 28;
/** Held-out examples shown in the grid. */
export const EXAMPLES = 4;
/** Uploads are shrunk so their longer side is at most this. */
export const UPLOAD_SIDE = 128;
/** Side of the inpainting hole. */
export const HOLE = 11;
