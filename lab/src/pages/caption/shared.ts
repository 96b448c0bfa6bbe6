/** The caption page's params and frame payload, shared by its view and its trainer. */
import type { Scene } from "../../../../src/zoo/caption/scenes.ts";

export interface CaptionParams {
  /** The learner's scene (the task's Scene: shapes, layout and the grammar's caption), captioned live. */
  scene: Scene;
  /** Adam's learning rate (live). */
  lr: number;
  /** The decoder's LSTM units (restarts). */
  hidden: number;
}

/** One scored test set of the worker's: the CLI's first test scenes, seen or unseen pairs. */
export interface SetScore {
  /** Corpus BLEU-4 and exact-match rate of the greedy captions (NaN before the first measurement). */
  bleu: number;
  exact: number;
  /** How many of the captions name a held-out colour–shape pair (meaningful on the unseen set). */
  namesHeldOut: number;
  /** The step the set was last captioned at. */
  atStep: number;
}

export interface CaptionPayload {
  /** The learner's scene as the task renders it: SIZE × SIZE RGB bytes, row-major. */
  image: Uint8Array;
  /** The grammar's caption of it, the model's greedy caption and each generated word's probability. */
  truth: string;
  caption: string;
  probs: Float32Array;
  /** Does the scene hold a colour–shape pair never shown in training? */
  heldOut: boolean;
  /** The seen and unseen test sets' scores. */
  seen: SetScore;
  unseen: SetScore;
  /** The first GALLERY scenes of each test set (seen first): images (GALLERY·2 × SIZE² × 3 bytes), truths and the latest captions. */
  gallery: { images: Uint8Array; truths: string[]; captions: string[] };
  /** Scenes per set, the model's size and the batch. */
  testScenes: number;
  parameters: number;
  batch: number;
}

/** Scenes per test set (the CLI scores 300; the page a few, so a measurement fits between frames). */
export const TEST_SCENES = 40;
/** Scenes of each test set shown in the gallery. */
export const GALLERY = 4;
