/**
 * What every autoencoder mode shares: the Mode interface (a Task's methods for one mode), the
 * sizes a mode picks when --code/--hidden/--layers/--steps are 0, and run-directory pictures.
 */
import { join } from "node:path";
import { existsSync } from "node:fs";
import { NNZooError } from "../../core/errors.js";
import type { Tensor } from "../../core/tensor.js";
import { greyImage, imageGrid, type Image, writePng } from "../../data/png.js";
import type { Config, Metrics, TaskContext, TrainState } from "../task.js";
import { hiddenWidths } from "./model.js";
import { SIDE } from "./data.js";

export const MODES = ["reduce", "compress", "denoise", "features", "generate", "sequence", "recommend", "anomaly"] as const;
export type ModeName = (typeof MODES)[number];

/** Sizes a mode uses when the option is 0. */
export interface ModeDefaults {
  code: number;
  hidden: number;
  layers: number;
  steps: number;
}

export interface AEState extends TrainState {
  mode: ModeName;
}

/** One mode of the autoencoder task: the Task methods it implements. */
export interface Mode<S extends AEState> {
  defaults: ModeDefaults;
  setup(config: Config, ctx: TaskContext): S | Promise<S>;
  loss(state: S, step: number): { loss: Tensor; logs?: Record<string, number> };
  evaluate(state: S, config: Config, ctx: TaskContext): Metrics | Promise<Metrics>;
  sample?(state: S, config: Config, ctx: TaskContext): string | Promise<string>;
  predict?(state: S, config: Config, input: string, ctx: TaskContext): { text: string; json: unknown } | Promise<{ text: string; json: unknown }>;
}

/** --code, --hidden, --layers with 0 replaced by the mode's defaults; `widths` are the encoder's hidden layers. */
export function sizesOf(config: Config, d: ModeDefaults): { code: number; hidden: number; layers: number; widths: number[] } {
  const code = (config.code as number) || d.code;
  const hidden = config.hidden || d.hidden;
  const layers = config.layers || d.layers;
  return { code, hidden, layers, widths: hiddenWidths(hidden, layers, code) };
}

/** Writes a PNG into the run directory (when there is one) and returns its path. */
export function savePicture(ctx: TaskContext, name: string, img: Image): string | null {
  if (!ctx.out || !existsSync(ctx.out)) return null;
  const path = join(ctx.out, name);
  writePng(path, img);
  return path;
}

/** Rows of 28×28 digits (each row an array of [784] pixel arrays) as one grid image, rows top to bottom. */
export function digitRows(rows: ReadonlyArray<ReadonlyArray<ArrayLike<number>>>, gap = 2): Image {
  const columns = Math.max(...rows.map((r) => r.length));
  const blank = new Float32Array(SIDE * SIDE).fill(1);
  const images = rows.flatMap((r) => Array.from({ length: columns }, (_, c) => greyImage(r[c] ?? blank, SIDE, SIDE)));
  return imageGrid(images, columns, gap, 1);
}

/** Rows [from, to) of a [n, 784] array as separate views. */
export function digits(x: Float32Array, from: number, to: number, size = SIDE * SIDE): Float32Array[] {
  return Array.from({ length: to - from }, (_, k) => x.subarray((from + k) * size, (from + k + 1) * size));
}

/** A digit as text (for predict): one character per pixel pair, darker = more ink. */
export function asciiDigit(pixels: ArrayLike<number>, side = SIDE): string {
  const shades = " .:-=+*#%@";
  const lines: string[] = [];
  for (let y = 0; y < side; y += 2) {
    let line = "";
    for (let x = 0; x < side; x++) {
      const v = (pixels[y * side + x] + (y + 1 < side ? pixels[(y + 1) * side + x] : 0)) / 2;
      line += shades[Math.min(shades.length - 1, Math.max(0, Math.round(v * (shades.length - 1))))];
    }
    lines.push(line.replace(/\s+$/, ""));
  }
  return lines.join("\n");
}

/** Parses "a,b,…" into numbers, naming the input in the error. */
export function parseNumbers(input: string, count: number, what: string): number[] {
  const parts = input.split(/[,\s]+/).filter((p) => p !== "");
  const values = parts.map(Number);
  if (parts.length !== count || values.some((v) => !Number.isFinite(v))) {
    throw new NNZooError(`${what}: expected ${count} comma-separated numbers, got ${JSON.stringify(input)}`);
  }
  return values;
}

/** Mean of numbers. */
export const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Rounds a metric for JSON (keeps 6 significant digits). */
export const round6 = (v: number) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : v);
