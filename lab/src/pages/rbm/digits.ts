/** Loads the rbm page's digits (digits.bin, see digits-format.ts) in the worker. */
import url from "./digits.bin?url";
import { DIGITS_PER_CLASS, unpackDigits } from "./digits-format.ts";

/** The page's digits, class by class (DIGITS_PER_CLASS of each), as 0/1 floats [10·DIGITS_PER_CLASS, 784]. */
export async function loadDigits(): Promise<Float32Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load the digits (${url}): HTTP ${response.status}`);
  const pixels = unpackDigits(new Uint8Array(await response.arrayBuffer()));
  if (pixels.length !== 10 * DIGITS_PER_CLASS * 784) throw new Error(`digits.bin holds ${pixels.length / 784} digits, expected ${10 * DIGITS_PER_CLASS}`);
  return pixels;
}
