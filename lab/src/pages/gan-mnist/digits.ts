/** Loads the GAN pages' digits (digits.bin, see digits-format.ts) in a worker. */
import type { DigitData } from "../../../../src/zoo/gan-mnist/game.ts";
import url from "./digits.bin?url";
import { DIGITS_PER_CLASS, TRAIN_PER_CLASS, unpackDigits } from "./digits-format.ts";

export interface PageDigits {
  /** TRAIN_PER_CLASS digits of each class, in [−1, 1]. */
  train: DigitData;
  /** The other DIGITS_PER_CLASS − TRAIN_PER_CLASS of each class. */
  heldOut: DigitData;
}

let loading: Promise<PageDigits> | undefined;

function pick(all: Float32Array, rows: number[]): DigitData {
  const images = new Float32Array(rows.length * 784);
  rows.forEach((r, k) => images.set(all.subarray(r * 784, (r + 1) * 784), k * 784));
  return { images, labels: Int32Array.from(rows, (r) => Math.floor(r / DIGITS_PER_CLASS)), count: rows.length };
}

/** The page's digits, loaded once per worker. */
export function loadDigits(): Promise<PageDigits> {
  loading ??= (async () => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load the digits (${url}): HTTP ${response.status}`);
    const all = unpackDigits(new Uint8Array(await response.arrayBuffer()));
    if (all.length !== 10 * DIGITS_PER_CLASS * 784) throw new Error(`digits.bin holds ${all.length / 784} digits, expected ${10 * DIGITS_PER_CLASS}`);
    const train: number[] = [], heldOut: number[] = [];
    for (let c = 0; c < 10; c++) for (let i = 0; i < DIGITS_PER_CLASS; i++) (i < TRAIN_PER_CLASS ? train : heldOut).push(c * DIGITS_PER_CLASS + i);
    return { train: pick(all, train), heldOut: pick(all, heldOut) };
  })();
  return loading;
}
