import { describe, expect, it } from "vitest";
import { tensor } from "../../src/core/ops/creation.js";
import { Generator } from "../../src/core/random.js";
import { generateSketch, generateSketches, SKETCH_CLASSES } from "../../src/zoo/sketch/generator.js";
import { parseNpy, parseQuickDrawNdjson, parseSketchNpz, readZip, unpickle } from "../../src/zoo/sketch/loaders.js";
import { mixtureParams, mixtureStep, reconstructionLoss, sampleStep } from "../../src/zoo/sketch/mdn.js";
import { klLoss } from "../../src/zoo/sketch/model.js";
import { offsetScale, type Stroke3, stroke3ToStroke5, stroke3ToStrokes, simplifyStroke, stroke5ToStroke3, strokesToStroke3, sketchesToSvg } from "../../src/zoo/sketch/strokes.js";

// Made with numpy 2.4 (np.savez / np.savez_compressed of object arrays of int16 [n, 3] sketches,
// as sketch-rnn's data sets are), and pickle.dumps(object array, protocol=2) (Python 2-era files).
// train = [A, B], valid = [C], test = [B] (compressed); train = [A, B], test = [C] (stored).
const NPZ_COMPRESSED = [
  "UEsDBC0AAAAIAAAAIQBq5olM//////////8JABQAdHJhaW4ubnB5AQAQAKkBAAAAAAAADQEAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBe46",
  "+uo6Cell9UUpSYF59flJIKEnZLzClOBYoXZyQWpAL5GkY6mjoKtQqUAK4GlqlyjAxg0COWV5pbUKkXn5xflKqXW5pTkplYVJRYOaWHJ74oNTk/",
  "r7ikqDS5ZMrkKT2sYJVTetjzUiBKJk/xZmid4syYNKV9StAUDW9Gb6bWKRnMPawpJZUFqSAtTP4WUzo7ILLMPYw1U/z8/Lz+AwGY8LYvmZLUGT",
  "tFI4MpgxVkVAY7zCBWb+a2KRk8PUyZRsgG2KAZwAAywFkO4hVWhr//GRiYGFgYGBl+/gf5jxEMpwAVYdrADLZBstNZCKKbiwFGQ3SkArEeAFBL",
  "AwQtAAAACAAAACEAoTZwXv//////////CQAUAHZhbGlkLm5weQEAEABeAQAAAAAAAOkAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXuOvrq",
  "OgnpZfVFKUmBefX5SSChJ2S8wpTgWKF2ckFqQC+RqGOpo6CrUKlACuBpaplxkgoEcsrzS3oFIvPjm/KFUvtzSnJDOxqCixckoPT3xRanJ+XnFJ",
  "UWlyyZTJU3pYwSqn9LDnpUCUTJ7izdA6xZkxaUr7lKApGt6M3oytUzKYe1hTSioLUkFamPwtpnR2QGSZexhrpvj5+Xn9BwIw4W1fMiWpM3ZKBl",
  "MGK8ikDHa4Od7MbVMyeHqYMo2Q9dug6WcA6XdmY2RgYmBkmALkJAKxHgBQSwMELQAAAAgAAAAhAFkB2G7//////////wgAFAB0ZXN0Lm5weQEA",
  "EABqAQAAAAAAAOwAAAAAAAAAm+wX6hsQychQxlCtnpJanFykbqWgXuOvrqOgnpZfVFKUmBefX5SSChJ2S8wpTgWKF2ckFqQC+RqGOpo6CrUKlA",
  "CuBpap9xkgoEcsrzS3oFIvPjm/KFUvtzSnJDOxqCixckoPT3xRanJ+XnFJUWlyyZTJU3pYwSqn9LDnpUCUTJ7izdA6xZkxaUr7lKApGt6M3oyt",
  "UzKYe1hTSioLUkFamPwtpnR2QGSZexhrpvj5+Xn9BwIw4W1fMiWpM3ZKBlMGK8ikDHaYOczezG1TMnh6mDKNkPXboOlnAOl3FoL4hIsBRjMyTA",
  "FKJAKxHgBQSwECLQMtAAAACAAAACEAauaJTA0BAACpAQAACQAAAAAAAAAAAAAAgAEAAAAAdHJhaW4ubnB5UEsBAi0DLQAAAAgAAAAhAKE2cF7p",
  "AAAAXgEAAAkAAAAAAAAAAAAAAIABSAEAAHZhbGlkLm5weVBLAQItAy0AAAAIAAAAIQBZAdhu7AAAAGoBAAAIAAAAAAAAAAAAAACAAWwCAAB0ZX",
  "N0Lm5weVBLBQYAAAAAAwADAKQAAACSAwAAAAA=",
].join("");
const NPZ_STORED = [
  "UEsDBC0AAAAAAAAAIQBq5olM//////////8JABQAdHJhaW4ubnB5AQAQAKkBAAAAAAAAqQEAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICd8Ty",
  "csICdmb3J0cmFuX29yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgyLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
  "ICAgICAgICAgICAgICAgICAgICAgCoAElR4BAAAAAAAAjBZudW1weS5fY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZ",
  "SMB25kYXJyYXmUk5RLAIWUQwFilIeUUpQoSwFLAoWUaAOMBWR0eXBllJOUjAJPOJSJiIeUUpQoSwOMAXyUTk5OSv////9K/////0s/dJRiiV2U",
  "KGgCaAVLAIWUaAeHlFKUKEsBSwVLA4aUaAyMAmkylImIh5RSlChLA4wBPJROTk5K/////0r/////SwB0lGKJQx4AAAAAAAAFAP3/AAACAAQAAQ",
  "D5/wEAAAABAAEAAQCUdJRiaAJoBUsAhZRoB4eUUpQoSwFLA0sDhpRoGYlDEgAAAAAAAAoAAAAAAAAACgABAJR0lGJldJRiLlBLAwQtAAAAAAAA",
  "ACEAoTZwXv//////////CAAUAHRlc3QubnB5AQAQAF4BAAAAAAAAXgEAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICd8TycsICdmb3J0cmFuX2",
  "9yZGVyJzogRmFsc2UsICdzaGFwZSc6ICgxLCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
  "ICAgICAgICAgCoAEldMAAAAAAAAAjBZudW1weS5fY29yZS5tdWx0aWFycmF5lIwMX3JlY29uc3RydWN0lJOUjAVudW1weZSMB25kYXJyYXmUk5",
  "RLAIWUQwFilIeUUpQoSwFLAYWUaAOMBWR0eXBllJOUjAJPOJSJiIeUUpQoSwOMAXyUTk5OSv////9K/////0s/dJRiiV2UaAJoBUsAhZRoB4eU",
  "UpQoSwFLAUsDhpRoDIwCaTKUiYiHlFKUKEsDjAE8lE5OTkr/////Sv////9LAHSUYolDBgEAAgABAJR0lGJhdJRiLlBLAQItAy0AAAAAAAAAIQ",
  "Bq5olMqQEAAKkBAAAJAAAAAAAAAAAAAACAAQAAAAB0cmFpbi5ucHlQSwECLQMtAAAAAAAAACEAoTZwXl4BAABeAQAACAAAAAAAAAAAAAAAgAHk",
  "AQAAdGVzdC5ucHlQSwUGAAAAAAIAAgBtAAAAfAMAAAAA",
].join("");
const PICKLE_PROTOCOL2 = [
  "gAJjbnVtcHkuX2NvcmUubXVsdGlhcnJheQpfcmVjb25zdHJ1Y3QKcQBjbnVtcHkKbmRhcnJheQpxAUsAhXECY19jb2RlY3MKZW5jb2RlCnEDWA",
  "EAAABicQRYBgAAAGxhdGluMXEFhnEGUnEHh3EIUnEJKEsBSwKFcQpjbnVtcHkKZHR5cGUKcQtYAgAAAE84cQyJiIdxDVJxDihLA1gBAAAAfHEP",
  "Tk5OSv////9K/////0s/dHEQYoldcREoaABoAUsAhXESaAeHcRNScRQoSwFLBUsDhnEVaAtYAgAAAGkycRaJiIdxF1JxGChLA1gBAAAAPHEZTk",
  "5OSv////9K/////0sAdHEaYoloA1giAAAAAAAAAAAABQDDvcO/AAACAAQAAQDDucO/AQAAAAEAAQABAHEbaAWGcRxScR10cR5iaABoAUsAhXEf",
  "aAeHcSBScSEoSwFLAUsDhnEiaBiJaANYBgAAAAEAAgABAHEjaAWGcSRScSV0cSZiZXRxJ2Iu",
].join("");
const NPZ_NUMERIC = [
  "UEsDBC0AAAAAAAAAIQDlM/6n//////////8JABQAdHJhaW4ubnB5AQAQAIwAAAAAAAAAjAAAAAAAAACTTlVNUFkBAHYAeydkZXNjcic6ICc8aT",
  "InLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAg",
  "ICAgICAgICAgICAgICAgICAgICAgCgAAAAAAAAAAAAAAAFBLAQItAy0AAAAAAAAAIQDlM/6njAAAAIwAAAAJAAAAAAAAAAAAAACAAQAAAAB0cm",
  "Fpbi5ucHlQSwUGAAAAAAEAAQA3AAAAxwAAAAAA",
].join("");
const NPZ_BAD_SHAPE = [
  "UEsDBC0AAAAIAAAAIQDrogJc//////////8JABQAdHJhaW4ubnB5AQAQAGgBAAAAAAAA5wAAAAAAAACb7BfqGxDJyFDGUK2eklqcXKRupaBe46",
  "+uo6Cell9UUpSYF59flJIKEnZLzClOBYoXZyQWpAL5GoY6mjoKtQqUAK4Glql3GSCgRyyvNLegUi8+Ob8oVS+3NKckM7GoKLFySg9PfFFqcn5e",
  "cUlRaXLJlMlTeljBKqf0sOelQJRMnuLN0DrFmTFpSvuUoCka3ozejK1TMph7WFNKKgtSQVqY/C2mdHZAZJl7GGum+Pn5ef0HAjDhbV8yJakzdk",
  "oGUwYryKQMdpg5TN4sbVMyeHqYMo2Q9dug6WcA6XcWYEADU4DCiUCsBwBQSwECLQMtAAAACAAAACEA66ICXOcAAABoAQAACQAAAAAAAAAAAAAA",
  "gAEAAAAAdHJhaW4ubnB5UEsFBgAAAAABAAEANwAAACIBAAAAAA==",
].join("");
const A: Stroke3 = [[0, 0, 0], [5, -3, 0], [2, 4, 1], [-7, 1, 0], [1, 1, 1]];
const B: Stroke3 = [[0, 0, 0], [10, 0, 0], [0, 10, 1]];
const C: Stroke3 = [[1, 2, 1]];
const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));
const sketches = (items: Array<{ sketch: Stroke3 }>) => items.map((s) => s.sketch);

describe("stroke formats", () => {
  it("absolute strokes → stroke-3 → stroke-5 → stroke-3 → strokes round trip", () => {
    const strokes: Array<Array<[number, number]>> = [[[3, 4], [10, 4], [10, 12]], [[0, 0], [-5, 2]], [[7, 7]]];
    const s3 = strokesToStroke3(strokes);
    expect(s3).toEqual([[0, 0, 0], [7, 0, 0], [0, 8, 1], [-10, -12, 0], [-5, 2, 1], [12, 5, 1]]);
    const s5 = stroke3ToStroke5(s3, 9);
    expect(s5).toHaveLength(9);
    expect(s5[1]).toEqual([7, 0, 1, 0, 0]);
    expect(s5[2]).toEqual([0, 8, 0, 1, 0]);
    expect(s5.slice(6)).toEqual([[0, 0, 0, 0, 1], [0, 0, 0, 0, 1], [0, 0, 0, 0, 1]]);
    expect(stroke5ToStroke3(s5)).toEqual(s3);
    // Back to absolute, relative to the first point.
    expect(stroke3ToStrokes(s3)).toEqual(strokes.map((s) => s.map(([x, y]) => [x - 3, y - 4])));
    expect(() => stroke3ToStroke5(s3, 5)).toThrow(/6 points is longer than the maximum 5/);
  });

  it("offsetScale is the standard deviation of all offsets", () => {
    const s: Stroke3 = [[1, -1, 0], [3, 1, 1]];
    const v = [1, -1, 3, 1];
    const mean = 1;
    expect(offsetScale([s])).toBeCloseTo(Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / 4), 12);
  });

  it("SVG output draws one polyline per stroke", () => {
    const svg = sketchesToSvg([[{ sketch: A }], [{ sketch: B }, { sketch: C, colour: "#d33" }]], { columns: 2 });
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<polyline/g)).toHaveLength(2 + 1 + 1);
    expect(svg.match(/stroke="#d33"/g)).toHaveLength(1);
  });
});

describe("sketch generator", () => {
  it("draws every class with its number of strokes, deterministically, ending in a pen lift", () => {
    const strokes: Record<string, number> = { circle: 1, square: 1, triangle: 1, star: 1, spiral: 1, house: 3, face: 4 };
    for (const label of SKETCH_CLASSES) {
      for (let seed = 0; seed < 20; seed++) {
        const s = generateSketch(label, new Generator(seed));
        expect(generateSketch(label, new Generator(seed))).toEqual(s);
        expect(s.filter((r) => r[2] === 1)).toHaveLength(strokes[label]);
        expect(s.at(-1)![2]).toBe(1);
        expect(s.length).toBeGreaterThanOrEqual(4);
        expect(s.length).toBeLessThanOrEqual(40);
        const pts = stroke3ToStrokes(s).flat();
        const w = Math.max(...pts.map((p) => p[0])) - Math.min(...pts.map((p) => p[0]));
        expect(w).toBeGreaterThan(15);
        expect(w).toBeLessThan(200);
      }
    }
  });

  it("varies size, start point and direction within a class", () => {
    const circles = Array.from({ length: 30 }, (_, i) => generateSketch("circle", new Generator(100 + i)));
    const widths = circles.map((s) => {
      const xs = stroke3ToStrokes(s).flat().map((p) => p[0]);
      return Math.max(...xs) - Math.min(...xs);
    });
    expect(Math.max(...widths) / Math.min(...widths)).toBeGreaterThan(1.4);
    const firstTurn = circles.map((s) => Math.sign(s[1][0] * s[2][1] - s[1][1] * s[2][0]));
    expect(new Set(firstTurn).size).toBe(2); // clockwise and anticlockwise
    const all = generateSketches(3, new Generator(0));
    expect(all.map((s) => s.label)).toEqual([...SKETCH_CLASSES, ...SKETCH_CLASSES, ...SKETCH_CLASSES]);
  });
});

describe("Quick Draw .ndjson loader", () => {
  it("reads drawings as stroke-3 with their word", () => {
    const line = JSON.stringify({ word: "cat", countrycode: "DE", recognized: true, drawing: [[[10, 20, 20], [5, 5, 15]], [[0, 3], [0, 4]]] });
    const out = parseQuickDrawNdjson(`${line}\n\n${line}\n`, "cats.ndjson");
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual({ label: "cat", sketch: [[0, 0, 0], [10, 0, 0], [0, 10, 1], [-20, -15, 0], [3, 4, 1]] });
  });

  it("names the line and the problem in malformed files", () => {
    const ok = JSON.stringify({ word: "a", drawing: [[[1, 2], [3, 4]]] });
    const cases: Array<[string, RegExp]> = [
      [`${ok}\n{"word": "b", "drawing": [[[1,2],[3`, /f\.ndjson line 2 is not JSON/],
      [`{"word": "b"}`, /line 1 has no "drawing" array/],
      [`{"drawing": [[[1, 2, 3], [4, 5]]]}`, /line 1: stroke 0 has 3 x but 2 y coordinates/],
      [`{"drawing": [[[1, "x"], [4, 5]]]}`, /line 1: stroke 0 point 1 is not a pair of numbers/],
      [`{"drawing": [[1, 2]]}`, /line 1: stroke 0 must be \[xs, ys\]/],
      [`{"drawing": []}`, /line 1: the drawing has no strokes/],
      ["\n\n", /f\.ndjson holds no drawings/],
    ];
    for (const [text, message] of cases) expect(() => parseQuickDrawNdjson(text, "f.ndjson")).toThrow(message);
  });
});

describe("sketch-rnn .npz loader (zip + .npy + pickle)", () => {
  it("reads numpy's compressed and stored .npz files of object arrays", () => {
    const c = parseSketchNpz(bytes(NPZ_COMPRESSED), "c.npz", "thing");
    expect(Object.keys(c).sort()).toEqual(["test", "train", "valid"]);
    expect(sketches(c.train)).toEqual([A, B]);
    expect(sketches(c.valid)).toEqual([C]);
    expect(sketches(c.test)).toEqual([B]);
    expect(c.train[0].label).toBe("thing");
    const s = parseSketchNpz(bytes(NPZ_STORED), "s.npz");
    expect(sketches(s.train)).toEqual([A, B]);
    expect(sketches(s.test)).toEqual([C]);
    expect([...readZip(bytes(NPZ_STORED)).keys()]).toEqual(["train.npy", "test.npy"]);
  });

  it("reads a protocol-2 pickle (Python 2-era object arrays, bytes as latin-1 strings)", () => {
    const arr = (unpickle(bytes(PICKLE_PROTOCOL2)) as { toNpy(n: string): { data: Array<{ toNpy(n: string): { shape: number[]; data: Float64Array } }> } }).toNpy("p");
    const items = arr.data.map((a) => a.toNpy("item"));
    expect(items.map((a) => a.shape)).toEqual([[5, 3], [1, 3]]);
    expect(Array.from(items[0].data)).toEqual(A.flat());
    expect(Array.from(items[1].data)).toEqual(C.flat());
  });

  it("reads numeric .npy arrays", () => {
    const npy = readZip(bytes(NPZ_NUMERIC)).get("train.npy")!;
    const a = parseNpy(npy, "train.npy");
    expect(a.descr).toBe("<i2");
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Float64Array)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it("gives clear errors for malformed files", () => {
    const good = bytes(NPZ_STORED);
    const cases: Array<[Uint8Array, RegExp]> = [
      [new TextEncoder().encode("just some text, not a zip at all"), /x\.npz is not a zip archive/],
      [good.slice(0, 200), /x\.npz is not a zip archive/],
      [bytes(NPZ_NUMERIC), /x\.npz:train is a <i2 array; sketch-rnn \.npz splits are object arrays/],
      [bytes(NPZ_BAD_SHAPE), /x\.npz:train\[0\] has shape \[2, 4\], expected \[n, 3\]/],
    ];
    // A damaged local header: the central directory points at bytes that are not one.
    const damaged = good.slice();
    damaged[0] = 0;
    cases.push([damaged, /local header of train\.npy is damaged/]);
    for (const [b, message] of cases) expect(() => parseSketchNpz(b, "x.npz")).toThrow(message);
    expect(() => parseNpy(new TextEncoder().encode("NUMPY? no"), "a.npy")).toThrow(/a\.npy is not a \.npy array \(bad magic\)/);
    const npy = readZip(good).get("train.npy")!;
    expect(() => parseNpy(npy.slice(0, npy.length - 20), "t.npy")).toThrow(/t\.npy: the pickle is truncated/);
    expect(() => unpickle(Uint8Array.from([0x80, 0x02, 0x63, ...new TextEncoder().encode("os\nsystem\n"), 0x29, 0x52, 0x2e]), "evil")).toThrow(/evil: the pickle calls os\.system/);
  });
});

describe("mixture-density loss", () => {
  /** Bivariate normal density from its covariance matrix Σ = [[σx², ρσxσy], [ρσxσy, σy²]]. */
  function density(x: number, y: number, mx: number, my: number, sx: number, sy: number, rho: number): number {
    const [a, b, d] = [sx * sx, rho * sx * sy, sy * sy];
    const det = a * d - b * b;
    const [u, v] = [x - mx, y - my];
    const q = (d * u * u - 2 * b * u * v + a * v * v) / det;
    return Math.exp(-q / 2) / (2 * Math.PI * Math.sqrt(det));
  }

  it("L_s and L_p match a direct computation of −log Σ πⱼ N(Δx, Δy) and −Σ p log q", () => {
    const g = new Generator(11);
    const [B, T, M] = [2, 4, 3];
    const raw = Float64Array.from({ length: B * T * (6 * M + 3) }, () => g.normal() * 0.8);
    const target = new Float64Array(B * T * 5);
    const mask = new Float64Array(B * T);
    const lengths = [3, 2];
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const row = t < lengths[b] ? [g.normal(), g.normal(), ...(t === lengths[b] - 1 ? [0, 1, 0] : [1, 0, 0])] : [0, 0, 0, 0, 1];
        target.set(row, (b * T + t) * 5);
        mask[b * T + t] = t < lengths[b] ? 1 : 0;
      }
    }
    const y = tensor(raw, { shape: [B, T, 6 * M + 3] });
    const { offsets, pen } = reconstructionLoss(mixtureParams(y, M), tensor(target, { shape: [B, T, 5] }), tensor(mask, { shape: [B, T] }));

    let ls = 0;
    let lp = 0;
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < T; t++) {
        const o = raw.subarray((b * T + t) * (6 * M + 3), (b * T + t + 1) * (6 * M + 3));
        const [dx, dy, p1, p2, p3] = target.subarray((b * T + t) * 5, (b * T + t + 1) * 5);
        const piZ = Array.from({ length: M }, (_, j) => Math.exp(o[j])).reduce((a, v) => a + v, 0);
        let p = 0;
        for (let j = 0; j < M; j++) p += (Math.exp(o[j]) / piZ) * density(dx, dy, o[M + j], o[2 * M + j], Math.exp(o[3 * M + j]), Math.exp(o[4 * M + j]), Math.tanh(o[5 * M + j]));
        if (t < lengths[b]) ls -= Math.log(p);
        const q = [o[6 * M], o[6 * M + 1], o[6 * M + 2]].map(Math.exp);
        const qZ = q[0] + q[1] + q[2];
        lp -= p1 * Math.log(q[0] / qZ) + p2 * Math.log(q[1] / qZ) + p3 * Math.log(q[2] / qZ);
      }
    }
    // Both divided by N_max (= T) and averaged over the batch.
    expect(offsets.item()).toBeCloseTo(ls / (B * T), 10);
    expect(pen.item()).toBeCloseTo(lp / (B * T), 10);
  });

  it("L_KL matches −(1/2Nz) Σ (1 + σ̂ − μ² − exp σ̂)", () => {
    const mu = [[0.5, -1, 0], [0.1, 0.2, 0.3]];
    const ps = [[0, 0.5, -1], [1, -0.2, 0.1]];
    let direct = 0;
    for (let b = 0; b < 2; b++) for (let k = 0; k < 3; k++) direct += -(1 + ps[b][k] - mu[b][k] ** 2 - Math.exp(ps[b][k])) / (2 * 3);
    expect(klLoss(tensor(mu, { dtype: "float64" }), tensor(ps, { dtype: "float64" })).item()).toBeCloseTo(direct / 2, 12);
    expect(klLoss(tensor([[0, 0]]), tensor([[0, 0]])).item()).toBeCloseTo(0, 12);
  });

  it("sampling at a low temperature picks the dominant component near its mean and the likeliest pen state", () => {
    const M = 2;
    // π̂ = [5, −5], μ = (3, −2) and (100, 100), σ̂ = log 0.01, ρ̂ = 0, q̂ favours "pen lifted".
    const y = [5, -5, 3, 100, -2, 100, Math.log(0.01), 0, Math.log(0.01), 0, 0, 0, -2, 4, -2];
    const g = new Generator(0);
    for (let i = 0; i < 20; i++) {
      const [dx, dy, p1, p2, p3] = sampleStep(y, M, 0.05, g);
      expect(Math.abs(dx - 3)).toBeLessThan(0.02);
      expect(Math.abs(dy + 2)).toBeLessThan(0.02);
      expect([p1, p2, p3]).toEqual([0, 1, 0]);
    }
  });
});

describe("sketch helpers the Lab uses", () => {
  it("simplifyStroke keeps the ends and the corners, drops points within epsilon of the line", () => {
    const line = Array.from({ length: 11 }, (_, i) => [i, 0.01 * (i % 2)] as [number, number]);
    expect(simplifyStroke(line, 0.1)).toEqual([[0, 0], [10, 0]]);
    const corner: Array<[number, number]> = [[0, 0], [1, 0], [2, 0], [2, 1], [2, 2]];
    expect(simplifyStroke(corner, 0.1)).toEqual([[0, 0], [2, 0], [2, 2]]);
    // A point 0.5 off the line survives a 0.1 tolerance and goes with a 1.0 one.
    const bump: Array<[number, number]> = [[0, 0], [1, 0.5], [2, 0]];
    expect(simplifyStroke(bump, 0.1)).toHaveLength(3);
    expect(simplifyStroke(bump, 1)).toHaveLength(2);
    expect(simplifyStroke([[3, 4]], 1)).toEqual([[3, 4]]);
  });

  it("mixtureStep is the distribution sampleStep draws from (pen-state frequencies and mean offset)", () => {
    const M = 2;
    // π̂, μx, μy, log σx, log σy, ρ̂ per component, then the pen logits.
    const y = [0.3, -0.2, 1, -2, 0.5, 1.5, -1, -1.2, -0.5, -0.3, 0.2, -0.4, 1, 0.2, -0.5];
    const tau = 0.7;
    const d = mixtureStep(y, M, tau);
    expect(d.pi.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(d.sigmaX[0]).toBeCloseTo(Math.exp(-1) * Math.sqrt(tau), 12);
    expect(d.rho[1]).toBeCloseTo(Math.tanh(-0.4), 12);
    const g = new Generator(3);
    const n = 40_000;
    let mx = 0, my = 0;
    const pen = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const [dx, dy, p1, p2] = sampleStep(y, M, tau, g);
      mx += dx / n;
      my += dy / n;
      pen[p1 ? 0 : p2 ? 1 : 2] += 1 / n;
    }
    const meanX = d.pi.reduce((a, p, j) => a + p * d.muX[j], 0), meanY = d.pi.reduce((a, p, j) => a + p * d.muY[j], 0);
    expect(mx).toBeCloseTo(meanX, 1);
    expect(my).toBeCloseTo(meanY, 1);
    for (let k = 0; k < 3; k++) expect(Math.abs(pen[k] - d.q[k])).toBeLessThan(0.01);
  });
});
