import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { encodePng, greyImage, imageGrid, readPng, writePng } from "../../src/data/png.js";
import { tempDir } from "../helpers/cli.js";

describe("PNG", () => {
  it("round-trips grey and RGB images through a file (to 1/255)", () => {
    const dir = tempDir();
    const grey = greyImage(Float32Array.from({ length: 12 }, (_, i) => i / 11), 4, 3);
    writePng(join(dir, "g.png"), grey);
    const back = readPng(join(dir, "g.png"), 1);
    expect(back.width).toBe(4);
    expect(back.height).toBe(3);
    back.data.forEach((v, i) => expect(Math.abs(v - grey.data[i])).toBeLessThan(0.5 / 255 + 1e-6));
    const rgb = { width: 2, height: 1, channels: 3 as const, data: Float32Array.of(1, 0, 0, 0, 0.5, 1) };
    const b2 = readPng(encodePng(rgb), 3);
    expect(Array.from(b2.data, (v) => Math.round(v * 255))).toEqual([255, 0, 0, 0, 128, 255]);
  });

  it("tiles a grid with gaps", () => {
    const tile = greyImage(new Float32Array(4).fill(0), 2, 2);
    const g = imageGrid([tile, tile, tile], 2, 1);
    expect([g.width, g.height]).toEqual([2 * 2 + 3, 2 * 2 + 3]);
    expect(g.data[0]).toBe(1);
    expect(g.data[1 * g.width + 1]).toBe(0);
  });

  it("rejects what is not a PNG, naming it", () => {
    expect(() => readPng(Uint8Array.of(1, 2, 3))).toThrow(/PNG bytes is not a readable PNG/);
  });
});
