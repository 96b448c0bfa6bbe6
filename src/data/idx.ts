/**
 * IDX files: the format of MNIST and Fashion-MNIST (LeCun's "idx3-ubyte" and friends).
 *
 *   byte 0–1   0x00 0x00                      magic
 *   byte 2     element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
 *   byte 3     number of dimensions n (≥ 1)
 *   byte 4…    n sizes, unsigned 32-bit big-endian
 *   then       the elements, row-major, big-endian
 *
 * Files may be gzip-compressed (as they are distributed, `.gz`): detected by the gzip magic,
 * whatever the name. Reading is strict — the magic, the type, the dimensions and the file's
 * size must agree exactly — and every error names the file, the field and its byte offset.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { NNZooError } from "../core/errors.js";
import type { ImageSet } from "./mnist.js";

export type IdxDType = "uint8" | "int8" | "int16" | "int32" | "float32" | "float64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array: its element type, its shape and its elements (row-major, native byte order). */
export interface IdxArray {
  dtype: IdxDType;
  shape: number[];
  data: IdxData;
}

const TYPES: Record<number, { dtype: IdxDType; size: number }> = {
  0x08: { dtype: "uint8", size: 1 },
  0x09: { dtype: "int8", size: 1 },
  0x0b: { dtype: "int16", size: 2 },
  0x0c: { dtype: "int32", size: 4 },
  0x0d: { dtype: "float32", size: 4 },
  0x0e: { dtype: "float64", size: 8 },
};
const CODES = Object.fromEntries(Object.entries(TYPES).map(([code, t]) => [t.dtype, Number(code)])) as Record<IdxDType, number>;

const hex = (b: number) => `0x${b.toString(16).padStart(2, "0")}`;

function fail(name: string, message: string): never {
  throw new NNZooError(`IDX ${name}: ${message}`);
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (already decompressed). `name` (the file) goes into every error message.
 * Throws on a bad magic, an unknown type code, zero dimensions, or a size that does not match
 * the dimensions (truncated or with trailing bytes).
 */
export function parseIdx(bytes: Uint8Array, name = "data"): IdxArray {
  if (bytes.length < 4) fail(name, `the header needs 4 bytes (magic, type, dimensions) at byte offset 0, the file has ${bytes.length}`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = isGzip(bytes) ? " (this looks like gzip data: decompress it, or use readIdx)" : "";
    fail(name, `bad magic at byte offset 0: expected 0x00 0x00, got ${hex(bytes[0])} ${hex(bytes[1])}${hint}`);
  }
  const type = TYPES[bytes[2]];
  if (!type) fail(name, `unknown element type code ${hex(bytes[2])} at byte offset 2 (expected one of ${Object.keys(TYPES).map((c) => hex(Number(c))).join(", ")})`);
  const ndim = bytes[3];
  if (ndim === 0) fail(name, "the number of dimensions at byte offset 3 is 0 (expected at least 1)");
  const headerSize = 4 + 4 * ndim;
  if (bytes.length < headerSize) fail(name, `the header declares ${ndim} dimensions, whose sizes need bytes 4–${headerSize - 1}, but the file has only ${bytes.length} bytes (truncated header)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    count *= size;
  }
  const expected = count * type.size;
  const actual = bytes.length - headerSize;
  if (!Number.isSafeInteger(expected) || expected !== actual) {
    const what = actual < expected ? "truncated" : "trailing bytes";
    fail(name, `the dimensions ${shape.join("×")} of ${type.dtype} (bytes 4–${headerSize - 1}) need ${expected} data bytes from byte offset ${headerSize}, but the file has ${actual} (${what})`);
  }
  let data: IdxData;
  switch (type.dtype) {
    case "uint8": data = bytes.slice(headerSize); break;
    case "int8": data = new Int8Array(bytes.slice(headerSize).buffer); break;
    default: {
      const Ctor = { int16: Int16Array, int32: Int32Array, float32: Float32Array, float64: Float64Array }[type.dtype];
      const out = new Ctor(count);
      const get = {
        int16: (o: number) => view.getInt16(o, false),
        int32: (o: number) => view.getInt32(o, false),
        float32: (o: number) => view.getFloat32(o, false),
        float64: (o: number) => view.getFloat64(o, false),
      }[type.dtype];
      for (let i = 0; i < count; i++) out[i] = get(headerSize + i * type.size);
      data = out;
    }
  }
  return { dtype: type.dtype, shape, data };
}

/** Reads an IDX file, gzip-compressed or not. */
export function readIdx(path: string): IdxArray {
  if (!existsSync(path)) throw new NNZooError(`IDX file ${path} does not exist`);
  if (statSync(path).isDirectory()) throw new NNZooError(`IDX file ${path} is a directory, not a file`);
  let bytes: Uint8Array = readFileSync(path);
  if (isGzip(bytes)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      fail(path, `not a valid gzip stream (${(e as Error).message})`);
    }
  }
  return parseIdx(bytes, path);
}

/** Encodes an array as IDX bytes (big-endian): for tests and for writing small data sets. */
export function encodeIdx(array: { dtype: IdxDType; shape: readonly number[]; data: ArrayLike<number> }): Uint8Array {
  const { size } = TYPES[CODES[array.dtype]];
  const count = array.shape.reduce((a, b) => a * b, 1);
  if (array.data.length !== count) throw new NNZooError(`encodeIdx: shape ${array.shape.join("×")} needs ${count} elements, got ${array.data.length}`);
  const header = 4 + 4 * array.shape.length;
  const bytes = new Uint8Array(header + count * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = CODES[array.dtype];
  bytes[3] = array.shape.length;
  array.shape.forEach((s, d) => view.setUint32(4 + 4 * d, s, false));
  for (let i = 0; i < count; i++) {
    const o = header + i * size, v = array.data[i];
    switch (array.dtype) {
      case "uint8": view.setUint8(o, v); break;
      case "int8": view.setInt8(o, v); break;
      case "int16": view.setInt16(o, v, false); break;
      case "int32": view.setInt32(o, v, false); break;
      case "float32": view.setFloat32(o, v, false); break;
      case "float64": view.setFloat64(o, v, false); break;
    }
  }
  return bytes;
}

/**
 * An image set from an IDX images file (uint8, [count, height, width]) and its labels file
 * (uint8, [count]); the two counts must agree.
 */
export function loadIdxImages(imagesPath: string, labelsPath: string): ImageSet {
  const images = readIdx(imagesPath);
  if (images.dtype !== "uint8" || images.shape.length !== 3) {
    fail(imagesPath, `expected images as uint8 [count, height, width] (type code 0x08, 3 dimensions), got ${images.dtype} [${images.shape.join(", ")}]`);
  }
  const labels = readIdx(labelsPath);
  if (labels.dtype !== "uint8" || labels.shape.length !== 1) {
    fail(labelsPath, `expected labels as uint8 [count] (type code 0x08, 1 dimension), got ${labels.dtype} [${labels.shape.join(", ")}]`);
  }
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) fail(labelsPath, `has ${labels.shape[0]} labels but ${imagesPath} has ${count} images`);
  return { pixels: images.data as Uint8Array, labels: Int32Array.from(labels.data), count, height, width };
}

/** Where Debian's `dataset-fashion-mnist` package puts the Fashion-MNIST IDX files. */
export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

/** Fashion-MNIST's ten classes, by label. */
export const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"] as const;

/** The four files of an MNIST-style data set (MNIST, Fashion-MNIST, KMNIST…), by their standard names. */
export const IDX_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
};

/** The path of one of the four files in `dir` (compressed `.gz` or not), or null. */
function findFile(dir: string, base: string): string | null {
  for (const name of [base, `${base}.gz`]) if (existsSync(join(dir, name))) return join(dir, name);
  return null;
}

/** True when `dir` holds the four IDX files of an MNIST-style data set. */
export function hasIdxDataset(dir: string): boolean {
  return Object.values(IDX_FILES).every((f) => findFile(dir, f) !== null);
}

/** True when Fashion-MNIST is in `dir` (Debian's `dataset-fashion-mnist` location by default). */
export function hasFashionMnist(dir = FASHION_MNIST_DIR): boolean {
  return hasIdxDataset(dir);
}

/**
 * An MNIST-style data set from a directory holding its four IDX files under the standard names
 * (gzip-compressed or not): the training and the test images with their labels. `what` names
 * the data set in errors; `hint` is appended when files are missing.
 */
export function loadIdxDataset(dir: string, what = "the IDX data set", hint = ""): { train: ImageSet; test: ImageSet } {
  const paths = Object.fromEntries(Object.entries(IDX_FILES).map(([k, f]) => [k, findFile(dir, f)])) as Record<keyof typeof IDX_FILES, string | null>;
  const missing = Object.entries(paths).filter(([, p]) => p === null).map(([k]) => IDX_FILES[k as keyof typeof IDX_FILES]);
  if (missing.length > 0) throw new NNZooError(`${what} is not available: ${dir} lacks ${missing.join(", ")} (.gz or not)${hint}`);
  return {
    train: loadIdxImages(paths.trainImages!, paths.trainLabels!),
    test: loadIdxImages(paths.testImages!, paths.testLabels!),
  };
}

/**
 * Fashion-MNIST (60,000 training and 10,000 test garments, 28×28, uint8) from `dir`: Debian's
 * `dataset-fashion-mnist` files by default, or a directory holding the same four files
 * (gzip-compressed or not). A clear error says what is missing and how to install it.
 */
export function loadFashionMnist(dir = FASHION_MNIST_DIR): { train: ImageSet; test: ImageSet } {
  const hint = dir === FASHION_MNIST_DIR ? "; install Debian's package: apt-get install dataset-fashion-mnist" : "";
  return loadIdxDataset(dir, "Fashion-MNIST", hint);
}
