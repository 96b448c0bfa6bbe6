import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { encodeIdx, hasFashionMnist, loadFashionMnist, loadIdxImages, parseIdx, readIdx } from "../../src/data/idx.js";

const dir = () => mkdtempSync(join(tmpdir(), "nnzoo-idx-"));

/** A tiny image set: 3 images of 2×4 bytes, pixel = 10·image + position. */
function tinyImages(): Uint8Array {
  return encodeIdx({ dtype: "uint8", shape: [3, 2, 4], data: Array.from({ length: 24 }, (_, i) => 10 * Math.floor(i / 8) + (i % 8)) });
}

describe("IDX reader", () => {
  it("reads uint8 images and labels, plain and gzip-compressed", () => {
    const d = dir();
    writeFileSync(join(d, "images"), tinyImages());
    writeFileSync(join(d, "labels.gz"), gzipSync(encodeIdx({ dtype: "uint8", shape: [3], data: [7, 0, 9] })));
    const set = loadIdxImages(join(d, "images"), join(d, "labels.gz"));
    expect(set).toMatchObject({ count: 3, height: 2, width: 4 });
    expect(Array.from(set.labels)).toEqual([7, 0, 9]);
    expect(Array.from(set.pixels.subarray(8, 16))).toEqual([10, 11, 12, 13, 14, 15, 16, 17]);
    // The header as written by hand: magic 0 0, type 0x08, 3 dimensions, big-endian sizes.
    expect(Array.from(tinyImages().subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4]);
  });

  it("reads every element type big-endian", () => {
    for (const [dtype, values] of [
      ["int8", [-128, 5, 127]], ["int16", [-30000, 1, 258]], ["int32", [-2e9, 3, 65536]],
      ["float32", [1.5, -0.25, 3e10]], ["float64", [Math.PI, -1e-300, 42]],
    ] as const) {
      const a = parseIdx(encodeIdx({ dtype, shape: [3], data: values }), dtype);
      expect(a.dtype).toBe(dtype);
      expect(Array.from(a.data)).toEqual(dtype === "float32" ? values.map(Math.fround) : values);
    }
    const be = parseIdx(Uint8Array.from([0, 0, 0x0b, 1, 0, 0, 0, 1, 0x01, 0x02]));
    expect(Array.from(be.data)).toEqual([258]);
  });

  it("rejects malformed files with the file, the field and the byte offset", () => {
    const d = dir();
    const good = tinyImages();
    const cases: Array<[string, Uint8Array, RegExp]> = [
      ["short", Uint8Array.from([0, 0]), /short: the header needs 4 bytes .* at byte offset 0, the file has 2/],
      ["magic", Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 0]), /magic: bad magic at byte offset 0: expected 0x00 0x00, got 0x01 0x02/],
      ["type", Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), /type: unknown element type code 0x07 at byte offset 2/],
      ["ndim", Uint8Array.from([0, 0, 8, 0]), /ndim: the number of dimensions at byte offset 3 is 0/],
      ["header", good.slice(0, 10), /header: the header declares 3 dimensions, whose sizes need bytes 4–15, but the file has only 10 bytes \(truncated header\)/],
      ["truncated", good.slice(0, good.length - 5), /truncated: the dimensions 3×2×4 of uint8 \(bytes 4–15\) need 24 data bytes from byte offset 16, but the file has 19 \(truncated\)/],
      ["trailing", Uint8Array.from([...good, 0]), /trailing: .* need 24 data bytes from byte offset 16, but the file has 25 \(trailing bytes\)/],
    ];
    for (const [name, bytes, message] of cases) {
      writeFileSync(join(d, name), bytes);
      expect(() => readIdx(join(d, name)), name).toThrow(message);
      expect(() => readIdx(join(d, name)), name).toThrow(join(d, name));
    }
    writeFileSync(join(d, "broken.gz"), gzipSync(good).subarray(0, 20));
    expect(() => readIdx(join(d, "broken.gz"))).toThrow(/broken.gz: not a valid gzip stream/);
    expect(() => parseIdx(gzipSync(good), "x.gz")).toThrow(/looks like gzip data/);
    expect(() => readIdx(join(d, "nope"))).toThrow(/IDX file .*nope does not exist/);
  });

  it("checks that images and labels agree", () => {
    const d = dir();
    writeFileSync(join(d, "images"), tinyImages());
    writeFileSync(join(d, "labels"), encodeIdx({ dtype: "uint8", shape: [2], data: [1, 2] }));
    writeFileSync(join(d, "float"), encodeIdx({ dtype: "float32", shape: [3, 2, 4], data: new Array(24).fill(0) }));
    expect(() => loadIdxImages(join(d, "images"), join(d, "labels"))).toThrow(/labels: has 2 labels but .*images has 3 images/);
    expect(() => loadIdxImages(join(d, "float"), join(d, "labels"))).toThrow(/float: expected images as uint8 \[count, height, width\]/);
  });

  it("loads a Fashion-MNIST directory, and says clearly what is missing", () => {
    const d = dir();
    expect(hasFashionMnist(d)).toBe(false);
    expect(() => loadFashionMnist(d)).toThrow(/Fashion-MNIST is not available: .* lacks train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte/);
    writeFileSync(join(d, "train-images-idx3-ubyte.gz"), gzipSync(tinyImages()));
    writeFileSync(join(d, "train-labels-idx1-ubyte"), encodeIdx({ dtype: "uint8", shape: [3], data: [1, 2, 3] }));
    writeFileSync(join(d, "t10k-images-idx3-ubyte"), tinyImages());
    expect(() => loadFashionMnist(d)).toThrow(/lacks t10k-labels-idx1-ubyte \(.gz or not\)$/);
    writeFileSync(join(d, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx({ dtype: "uint8", shape: [3], data: [4, 5, 6] })));
    expect(hasFashionMnist(d)).toBe(true);
    const { train, test } = loadFashionMnist(d);
    expect(train.count).toBe(3);
    expect(Array.from(test.labels)).toEqual([4, 5, 6]);
  });
});
