import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { NNZooError, type Tensor, arange, randn, tensor, zeros } from "../../src/index.js";
import * as io from "../../src/io/index.js";
import { buildFile, dataSection, f32Bits, f64Bits, headerText } from "./helpers.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/io/", import.meta.url));
const fixture = (name: string): Uint8Array => new Uint8Array(fs.readFileSync(path.join(FIXTURES, name)));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nnzoo-safetensors-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function bitsOf(t: Tensor): Array<number | string> {
  if (t.data instanceof Float32Array) return f32Bits(t.data);
  if (t.data instanceof Float64Array) return f64Bits(t.data);
  return Array.from(t.data);
}

function expectSame(a: Record<string, Tensor>, b: Record<string, Tensor>): void {
  expect(Object.keys(a).sort()).toEqual(Object.keys(b).sort());
  for (const k of Object.keys(a)) {
    expect(b[k].dtype, k).toBe(a[k].dtype);
    expect(b[k].shape, k).toEqual(a[k].shape);
    expect(bitsOf(b[k]), k).toEqual(bitsOf(a[k]));
  }
}

function rejects(bytes: Uint8Array, ...fragments: string[]): NNZooError {
  let error: unknown = null;
  try {
    io.parseSafetensors(bytes);
  } catch (e) {
    error = e;
  }
  expect(error, `expected a rejection mentioning ${fragments.join(", ")}`).toBeInstanceOf(NNZooError);
  for (const f of fragments) expect((error as Error).message).toContain(f);
  return error as NNZooError;
}

describe("the reference implementation's test vectors", () => {
  // safetensors/src/tensor.rs: test_serialization, test_empty, test_serialization_forced_alignement
  it("writes the same bytes", () => {
    const attn = tensor([0, 1, 2, 3, 4, 5], { shape: [1, 2, 3] });
    const expected = [
      64, 0, 0, 0, 0, 0, 0, 0, 123, 34, 97, 116, 116, 110, 46, 48, 34, 58, 123, 34, 100, 116, 121, 112, 101, 34, 58, 34, 70, 51, 50, 34, 44, 34, 115, 104,
      97, 112, 101, 34, 58, 91, 49, 44, 50, 44, 51, 93, 44, 34, 100, 97, 116, 97, 95, 111, 102, 102, 115, 101, 116, 115, 34, 58, 91, 48, 44, 50, 52, 93, 125,
      125, 0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64,
    ];
    expect(Array.from(io.serializeSafetensors({ "attn.0": attn }))).toEqual(expected);
    expect(Array.from(io.serializeSafetensors({}))).toEqual([8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32]);
    expect(Array.from(io.serializeSafetensors({}, { framework: "pt" }))).toEqual([
      40, 0, 0, 0, 0, 0, 0, 0, 123, 34, 95, 95, 109, 101, 116, 97, 100, 97, 116, 97, 95, 95, 34, 58, 123, 34, 102, 114, 97, 109, 101, 119, 111, 114, 107, 34,
      58, 34, 112, 116, 34, 125, 125, 32, 32, 32, 32, 32,
    ]);
    const aligned = io.serializeSafetensors({ attn0: attn.reshape([1, 1, 2, 3]) });
    expect(aligned[0]).toBe(72);
    expect(headerText(aligned)).toBe('{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       ');
  });
});

describe("round trips", () => {
  it("keeps every dtype, 0-d and empty tensors, special values and metadata bit for bit", () => {
    const special = new Float32Array(new Uint32Array([0x7fc00001, 0x7f800000, 0xff800000, 0x80000000, 1, 0x7f7fffff]).buffer);
    const dict: Record<string, Tensor> = {
      f32: randn([3, 4]),
      f64: randn([2, 3, 2], { dtype: "float64" }),
      i32: tensor(new Int32Array([0, -1, 2147483647, -2147483648])),
      scalar: tensor(3.25),
      scalar64: tensor(-1e300, { dtype: "float64" }),
      empty: zeros([0, 5]),
      emptyInt: zeros([3, 0], { dtype: "int32" }),
      special: tensor(special),
      "__proto__": tensor([1, 2]),
      "": tensor([7], { dtype: "int32" }),
    };
    const metadata = { note: "hello", "": "empty key", "ünïcødé 🎉": "välue\n\"quoted\"" };
    const bytes = io.serializeSafetensors(dict, metadata);
    expect(bytes[0] % 8).toBe(0);
    const parsed = io.parseSafetensors(bytes);
    expectSame(dict, parsed.tensors);
    expect(parsed.metadata).toEqual(metadata);
    expect(parsed.tensors.scalar.shape).toEqual([]);
    expect(parsed.entries.special.dtype).toBe("F32");
    // Re-serializing what was parsed gives the same bytes.
    expect(io.serializeSafetensors(parsed.tensors, parsed.metadata)).toEqual(bytes);
    // Also from an ArrayBuffer, and without metadata.
    expect(io.parseSafetensors(bytes.slice().buffer).tensors.f32.toArray()).toEqual(dict.f32.toArray());
    expect(io.parseSafetensors(io.serializeSafetensors({ a: tensor(1) })).metadata).toEqual({});
  });

  it("writes tensors that share storage (views) with their own bytes", () => {
    const base = arange(0, 12, 1, { dtype: "float32" }).reshape([3, 4]);
    const row = base.select(0, 1);
    const back = io.parseSafetensors(io.serializeSafetensors({ row, base })).tensors;
    expect(back.row.toArray()).toEqual([4, 5, 6, 7]);
    expect(back.base.toArray()).toEqual(base.toArray());
  });

  it("sorts like the reference: dtype alignment first (F64, F32, I32), then names bytewise", () => {
    const one = (dtype: "float32" | "float64" | "int32") => zeros([1], { dtype });
    const bytes = io.serializeSafetensors({ b: one("int32"), a: one("float32"), z: one("float64"), "\uff21": one("float32"), "\u{1f600}": one("float32"), c: one("float64") });
    const names = Object.keys(JSON.parse(headerText(bytes)));
    // U+FF21 sorts before U+1F600 in UTF-8 (as in Rust) though after it in UTF-16 (as in JS).
    expect(names).toEqual(["c", "z", "a", "\uff21", "\u{1f600}", "b"]);
    const offsets = names.map((n) => JSON.parse(headerText(bytes))[n].data_offsets);
    expect(offsets).toEqual([[0, 8], [8, 16], [16, 20], [20, 24], [24, 28], [28, 32]]);
  });

  it("rejects what it cannot write", () => {
    expect(() => io.serializeSafetensors({ w: [1, 2] as unknown as Tensor })).toThrow(/"w" must be a Tensor/);
    expect(() => io.serializeSafetensors({ __metadata__: tensor(1) })).toThrow(/reserved/);
    expect(() => io.serializeSafetensors({ a: tensor(1) }, { n: 3 as unknown as string })).toThrow(/metadata\["n"\] must be a string/);
    expect(() => io.serializeSafetensors({ "bad\ud800": tensor(1) })).toThrow(/lone UTF-16 surrogate/);
    expect(() => io.serializeSafetensors(null as unknown as Record<string, Tensor>)).toThrow(NNZooError);
  });
});

describe("files written by the PyTorch side (tools/gen_io_fixtures.py)", () => {
  const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, "expected.json"), "utf8")) as Record<
    string,
    { metadata: Record<string, string>; tensors: Record<string, { dtype: string; shape: number[]; bits?: Array<number | string> }> }
  >;

  for (const file of ["torch_basic.safetensors", "torch_unicode.safetensors", "torch_halfs.safetensors"]) {
    it(`reads ${file} exactly`, () => {
      const bytes = fixture(file);
      const parsed = io.parseSafetensors(bytes);
      const want = expected[file];
      expect(parsed.metadata).toEqual(want.metadata);
      expect(Object.keys(parsed.tensors).sort()).toEqual(Object.keys(want.tensors).sort());
      for (const [name, w] of Object.entries(want.tensors)) {
        const t = parsed.tensors[name];
        expect(t.dtype, name).toBe(w.dtype);
        expect(t.shape, name).toEqual(w.shape);
        expect(bitsOf(t), name).toEqual(w.bits);
      }
      if (file !== "torch_halfs.safetensors") {
        // nnzoo writes the very bytes the Python side wrote.
        expect(io.serializeSafetensors(parsed.tensors, parsed.metadata)).toEqual(bytes);
      } else {
        expect(parsed.entries.half.dtype).toBe("F16");
        expect(parsed.entries.bf16.dtype).toBe("BF16");
        expect(parsed.entries.long.dtype).toBe("I64");
      }
    });
  }

  it("rejects I64 values that do not fit in int32, naming the tensor, element and bytes", () => {
    const bytes = fixture("torch_i64_big.safetensors");
    const start = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
    rejects(bytes, 'tensor "long"', "element 1", `file bytes ${start + 8}..${start + 16}`, "1099511627776", "does not fit in int32");
  });

  it("writes nnzoo_written.safetensors, which the Python side checks", () => {
    // Keep in sync with nnzoo_expected() in tools/gen_io_fixtures.py.
    const dict = {
      "fc.weight": tensor(Array.from({ length: 12 }, (_, i) => (i - 5) * 0.1), { shape: [3, 4] }),
      "fc.bias": tensor([1e-40, -0, 3.5]),
      "double.table": tensor(Array.from({ length: 6 }, (_, i) => (i + 1) / 3), { dtype: "float64", shape: [2, 1, 3] }),
      tokens: tensor([3, -7, 2147483647, -2147483648], { dtype: "int32" }),
      zero_d: tensor(-4),
      nothing: zeros([2, 0], { dtype: "int32" }),
    };
    const bytes = io.serializeSafetensors(dict, { framework: "nnzoo", note: "round trip \u2713" });
    const file = path.join(FIXTURES, "nnzoo_written.safetensors");
    if (process.env.NNZOO_UPDATE_FIXTURES === "1") fs.writeFileSync(file, bytes);
    expect(bytes).toEqual(fixture("nnzoo_written.safetensors"));
  });
});

describe("the strict parser", () => {
  const f32 = (name: string, shape: number[], offsets: [number, number]) => ({ [name]: { dtype: "F32", shape, data_offsets: offsets } });

  it("bounds the header length", () => {
    rejects(new Uint8Array(5), "5 bytes long");
    rejects(buildFile("{}", 0, { length: 1n }), "header length 1", "too small");
    rejects(buildFile("{}", 0, { length: 0n }), "header length 0");
    rejects(buildFile("{}", 0, { length: 100_000_008n }), "header length 100000008", "exceeds the limit");
    rejects(buildFile("{}", 0, { length: 2n ** 64n - 1n }), "18446744073709551615", "exceeds the limit");
    rejects(buildFile("{}", 0, { length: 9n }), "header length 9", "runs past the end", "16 bytes");
    // A header of exactly "{}" with no padding is fine.
    expect(io.parseSafetensors(buildFile("{}", 0, { pad: false })).tensors).toEqual({});
  });

  it("wants a UTF-8 JSON object", () => {
    const bad = buildFile("{}      ");
    bad[10] = 0xff;
    rejects(bad, "not valid UTF-8", "file bytes 8..16");
    rejects(buildFile('{"a":'), "not valid JSON", "file bytes 8..16");
    rejects(buildFile("[1, 2]"), "must be a JSON object", "an array");
    rejects(buildFile("null"), "must be a JSON object");
    rejects(buildFile("\ufeff{}"), "not valid JSON");
    rejects(buildFile('{"a":1}\u0000'), "not valid JSON");
    rejects(buildFile(`{"x":${"[".repeat(200)}${"]".repeat(200)}}`), "deeper than 128");
    rejects(buildFile({ ...f32("a", [1], [0, 4]), __metadata__: { k: 1 } }, 4), '__metadata__["k"] must be a string');
    rejects(buildFile({ ...f32("a", [1], [0, 4]), __metadata__: ["x"] }, 4), '"__metadata__" must be an object');
    rejects(buildFile('{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}'), 'the key "a" twice');
    rejects(buildFile('{"a":{"dtype":"F32","dtype":"I32","shape":[1],"data_offsets":[0,4]}}', 4), 'the key "dtype" twice');
    expect(io.parseSafetensors(buildFile({ __metadata__: null })).metadata).toEqual({});
  });

  it("checks every entry: dtype, shape, offsets, size", () => {
    rejects(buildFile({ w: 5 }), 'tensor "w"', "must be an object");
    rejects(buildFile({ w: { dtype: "F33", shape: [1], data_offsets: [0, 4] } }, 4), 'tensor "w"', 'unknown dtype "F33"');
    rejects(buildFile({ w: { dtype: 4, shape: [1], data_offsets: [0, 4] } }, 4), '"dtype" must be a string');
    rejects(buildFile({ w: { dtype: "U8", shape: [4], data_offsets: [0, 4] } }, 4), "dtype U8 is not supported");
    rejects(buildFile({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, 4), '"shape" must be an array of non-negative integers', "[-1]");
    rejects(buildFile({ w: { dtype: "F32", shape: [1.5], data_offsets: [0, 4] } }, 4), '"shape"');
    rejects(buildFile({ w: { dtype: "F32", shape: "1", data_offsets: [0, 4] } }, 4), '"shape"');
    rejects(buildFile({ w: { dtype: "F32", shape: [1] } }, 4), '"data_offsets" must be [begin, end]');
    rejects(buildFile({ w: { dtype: "F32", shape: [1], data_offsets: [0, 4, 8] } }, 4), '"data_offsets"');
    rejects(buildFile({ w: { dtype: "F32", shape: [1], data_offsets: [-4, 0] } }, 4), '"data_offsets"');
    rejects(buildFile(f32("w", [1], [4, 0]), 4), 'tensor "w"', "data_offsets [4,0]", "end before they begin");
    const past = buildFile(f32("w", [2], [0, 8]), 4);
    rejects(past, 'tensor "w"', "data_offsets [0,8]", `(file bytes ${past.length - 4}..${past.length + 4})`, "run past the end", "data section has 4 bytes");
    rejects(buildFile(f32("w", [3], [0, 8]), 8), 'tensor "w"', "shape [3] of F32 needs 12 bytes", "span 8");
    rejects(buildFile(f32("w", [1], [0, 8]), 8), "needs 4 bytes", "span 8");
  });

  it("rejects shapes claiming more than the file holds before allocating", () => {
    const huge = buildFile(f32("w", [1e12], [0, 8]), 8);
    rejects(huge, 'tensor "w"', "shape [1000000000000] of F32 needs 4000000000000 bytes", "span 8");
    rejects(buildFile(f32("w", [2 ** 53 - 1, 2 ** 53 - 1, 2 ** 53 - 1], [0, 8]), 8), `needs ${(2n ** 53n - 1n) ** 3n * 4n} bytes`);
    // A zero anywhere makes the tensor empty, however large the other dims.
    const empty = io.parseSafetensors(buildFile(f32("w", [1e15, 0], [0, 0])));
    expect(empty.tensors.w.shape).toEqual([1e15, 0]);
    expect(empty.tensors.w.numel()).toBe(0);
  });

  it("wants the tensors to cover the data section exactly", () => {
    rejects(buildFile({ ...f32("a", [1], [0, 4]), ...f32("b", [1], [8, 12]) }, 12), 'tensor "b"', "data_offsets [8,12]", "gap of 4 bytes after tensor \"a\"");
    rejects(buildFile({ ...f32("a", [2], [0, 8]), ...f32("b", [1], [4, 8]) }, 8), "overlaps tensor", "by 4 bytes");
    rejects(buildFile(f32("a", [1], [4, 8]), 8), 'tensor "a"', "gap of 4 bytes after the start of the data section");
    rejects(buildFile(f32("a", [1], [0, 4]), 6), "cover data bytes 0..4", "holds 6 bytes", "2 trailing bytes");
    rejects(buildFile({ ...f32("a", [1], [0, 4]), ...f32("b", [1], [0, 4]) }, 4), "overlaps");
    // Any order in the header is fine as long as the offsets tile the data.
    const ok = io.parseSafetensors(buildFile({ ...f32("b", [1], [4, 8]), ...f32("a", [1], [0, 4]) }, new Uint8Array([0, 0, 128, 63, 0, 0, 0, 64])));
    expect(ok.tensors.a.item()).toBe(1);
    expect(ok.tensors.b.item()).toBe(2);
    expect(Object.keys(ok.tensors)).toEqual(["b", "a"]);
    // Zero-size tensors may sit anywhere in the tiling, also at the end.
    const zeros_ = io.parseSafetensors(buildFile({ ...f32("a", [1], [0, 4]), ...f32("e", [0], [4, 4]), ...f32("z", [2, 0], [0, 0]) }, 4));
    expect(zeros_.tensors.e.shape).toEqual([0]);
  });

  it("accepts unknown extra fields in an entry, as the reference does", () => {
    const t = io.parseSafetensors(buildFile({ w: { dtype: "I32", shape: [], data_offsets: [0, 4], extra: [1, 2] } }, new Uint8Array([5, 0, 0, 0])));
    expect(t.tensors.w.item()).toBe(5);
    expect(t.tensors.w.dtype).toBe("int32");
  });

  it("does not alias the input buffer", () => {
    const bytes = io.serializeSafetensors({ w: tensor([1, 2, 3]) });
    const t = io.parseSafetensors(bytes).tensors.w;
    dataSection(bytes).fill(0);
    expect(t.toArray()).toEqual([1, 2, 3]);
  });

  it("rejects what is not bytes", () => {
    expect(() => io.parseSafetensors("file.safetensors" as unknown as Uint8Array)).toThrow(/expected a Uint8Array or an ArrayBuffer/);
  });
});

describe("files (Node)", () => {
  it("saves atomically and loads by path, with metadata", async () => {
    const file = path.join(tmp, "sub", "w.safetensors");
    const dict = { weight: randn([4, 3]), bias: randn([4]) };
    await io.saveSafetensors(file, dict, { note: "…" });
    expectSame(dict, await io.loadSafetensors(file));
    expect((await io.readSafetensors(file)).metadata).toEqual({ note: "…" });
    expectSame(dict, await io.loadSafetensors(fs.readFileSync(file)));
    expectSame(dict, await io.loadSafetensors(new URL(`file://${file}`)));
    expect(fs.readdirSync(path.dirname(file))).toEqual(["w.safetensors"]); // no temp file left
    await io.saveSafetensors(file, { other: tensor([1]) });
    expect(Object.keys(await io.loadSafetensors(file))).toEqual(["other"]);
  });

  it("names the file in errors", async () => {
    await expect(io.loadSafetensors(path.join(tmp, "missing.safetensors"))).rejects.toThrow(/loadSafetensors: .*missing\.safetensors does not exist/);
    const bad = path.join(tmp, "bad.safetensors");
    fs.writeFileSync(bad, buildFile({ w: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, 4));
    await expect(io.loadSafetensors(bad)).rejects.toThrow(/loadSafetensors: .*bad\.safetensors: parseSafetensors: tensor "w": data_offsets \[0,8\]/);
    await expect(io.saveSafetensors(path.join(tmp, "x.safetensors"), { w: 1 as unknown as Tensor })).rejects.toThrow(NNZooError);
  });
});

describe("browser safety", () => {
  it("src/io/index.ts reaches no node: module through static imports", () => {
    const root = fileURLToPath(new URL("../../src/", import.meta.url));
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = fs.readFileSync(file, "utf8");
      // Static imports and re-exports that are not type-only.
      for (const m of source.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+"([^"]+)"/gms)) {
        const spec = m[1];
        if (spec.startsWith("node:") || ["fs", "path", "os", "crypto"].includes(spec)) nodeImports.push(`${path.relative(root, file)} → ${spec}`);
        else if (spec.startsWith(".")) visit(path.resolve(path.dirname(file), spec.replace(/\.js$/, ".ts")));
      }
    };
    visit(path.join(root, "io", "index.ts"));
    expect(seen.has(path.join(root, "io", "atomic.ts"))).toBe(false);
    expect(nodeImports).toEqual([]);
  });
});
