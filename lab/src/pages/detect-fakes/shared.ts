/** The detect-fakes page's params and frame payload, shared by its view and its trainer. */

export interface DetectParams {
  /** The detector's learning rate (Adam). */
  lr: number;
  /** Whether the generator keeps training (an arms race) or stays as it is (the detector catches up). */
  trainGenerator: boolean;
  /** Bumped by "next": a new quiz digit, real or generated (a coin flip). */
  quiz: number;
}

export interface DetectPayload {
  /** GALLERY digits, [GALLERY, 784] in [−1, 1]: real and generated, mixed; isFake says which; pFake is the detector's belief. */
  gallery: Float32Array;
  isFake: Uint8Array;
  pFake: Float32Array;
  /** The quiz digit [784], whether it is generated, the detector's P(generated) for it, and its number. */
  quizImage: Float32Array;
  quizFake: boolean;
  quizPFake: number;
  quiz: number;
  /** Generator updates so far. */
  ganIterations: number;
}

export const GALLERY = 16;
