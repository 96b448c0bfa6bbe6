/**
 * Fuzz test of the safetensors parser (and of checkpoint verification on top of it): thousands of
 * seeded mutations of valid files — bit flips, byte changes, forged header lengths, truncation in
 * every region and at every length, appended bytes, and JSON edits (huge, negative, fractional or
 * reshaped shapes, other or unknown dtypes, overlapping, swapped or out-of-range offsets, missing,
 * duplicated or retyped fields, bad metadata). Each file must either be rejected with an
 * NNZooError or parse to tensors that agree with its own header, byte for byte; and the tensors
 * parsed can never hold more bytes than the file (twice that for F16/BF16, which are upcast).
 */
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Generator, NNZooError, type Tensor, randn, tensor, zeros } from "../../src/index.js";
import * as io from "../../src/io/index.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/io/", import.meta.url));
const rng = new Generator(20240611);
const int = (lo: number, hi: number): number => (hi > lo ? rng.randint(lo, hi) : lo); // [lo, hi), or lo
const pick = <T>(xs: readonly T[]): T => xs[int(0, xs.length)];

// ---------------------------------------------------------------------------------------------
// base files

function baseFiles(): Uint8Array[] {
  const files: Uint8Array[] = ["torch_basic.safetensors", "torch_unicode.safetensors", "torch_halfs.safetensors", "torch_i64_big.safetensors", "nnzoo_written.safetensors"].map(
    (f) => new Uint8Array(fs.readFileSync(FIXTURES + f)),
  );
  const g = new Generator(3);
  for (let k = 0; k < 4; k++) {
    const dict: Record<string, Tensor> = {};
    const n = 1 + g.randint(0, 5);
    for (let i = 0; i < n; i++) {
      const rank = g.randint(0, 4);
      const shape = Array.from({ length: rank }, () => g.randint(0, 5));
      const dtype = (["float32", "float64", "int32"] as const)[g.randint(0, 3)];
      dict[`layer${i}.${["weight", "bias", "running_mean"][g.randint(0, 3)]}`] =
        dtype === "int32" ? zeros(shape, { dtype }).add(7) : randn(shape, { dtype, generator: g });
    }
    files.push(io.serializeSafetensors(dict, k % 2 ? { step: String(k), "clé": "välue" } : undefined));
  }
  files.push(io.serializeSafetensors({}));
  files.push(io.serializeSafetensors({ s: tensor(1.5), e: zeros([0]) }, {}));
  return files;
}

// ---------------------------------------------------------------------------------------------
// mutations

/** The header length a file claims, clamped to what it holds (mutants may be short or lie). */
function headerLength(b: Uint8Array): number {
  if (b.length < 8) return 0;
  return Math.min(Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true)), b.length - 8);
}

function withHeader(b: Uint8Array, header: string, pad: boolean): Uint8Array {
  const n = headerLength(b);
  const data = b.subarray(Math.min(8 + n, b.length));
  let json = new TextEncoder().encode(header);
  if (pad && json.length % 8) {
    const p = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const HUGE_SHAPES = [[1e12], [2 ** 53 - 1, 2 ** 53 - 1], [1e6, 1e6, 1e6], [4294967296], [2 ** 31, 2], [1e308], [-1], [1.5], ["3"], [[2]], null, 7, [], [0], [1e15, 0]];
const DTYPES = ["F32", "F64", "I32", "F16", "BF16", "I64", "U8", "BOOL", "I8", "U64", "F8_E4M3", "f32", "F31", "", 32, null];
const OFFSETS = (b: number, e: number): unknown[] => [[e, b], [b, e + 1], [b, e - 1], [b - 1, e], [b + 1, e + 1], [0, e], [b, 1e20], [1e20, 1e21], [-4, e], [b], [b, e, e], [b + 0.5, e], ["0", e], null, [2 ** 53, 2 ** 53 + 8], [0, 0]];

/** Edits the JSON header: returns the new header text, or null when the header is not an object. */
function jsonEdit(b: Uint8Array): string | null {
  const n = headerLength(b);
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
  } catch {
    return null;
  }
  if (h === null || typeof h !== "object" || Array.isArray(h)) return null;
  const names = Object.keys(h).filter((k) => k !== "__metadata__");
  const name = names.length ? pick(names) : null;
  type Entry = { dtype: unknown; shape: unknown; data_offsets: [number, number] };
  const isEntry = (v: unknown): v is Entry =>
    typeof v === "object" && v !== null && Array.isArray((v as Entry).data_offsets) && (v as Entry).data_offsets.length === 2 && (v as Entry).data_offsets.every((x) => typeof x === "number");
  const e = name !== null && isEntry(h[name]) ? h[name] : null;
  const op = int(0, 17);
  if (e && op === 0) e.shape = pick(HUGE_SHAPES);
  else if (e && op === 1) e.dtype = pick(DTYPES);
  else if (e && op === 2) e.data_offsets = pick(OFFSETS(e.data_offsets[0], e.data_offsets[1])) as [number, number];
  else if (e && op === 3 && Array.isArray(e.shape) && e.shape.length > 0) {
    // Same numel in another arrangement (valid), or one dim off by one (invalid, unless empty).
    const s = e.shape as number[];
    if (rng.random() < 0.5) e.shape = s.slice().reverse();
    else s[int(0, s.length)] += pick([1, -1]);
  } else if (e && op === 4) e.shape = Array.isArray(e.shape) ? [...(e.shape as number[]), 1] : [1];
  else if (e && op === 5) {
    // A same-size dtype (valid: the bytes read another way), or a different size.
    const same: Record<string, string> = { F32: "I32", I32: "F32", F16: "BF16", BF16: "F16", F64: "I64", I64: "F64" };
    e.dtype = same[e.dtype as string] ?? "F32";
  } else if (e && op === 6) delete (e as Record<string, unknown>)[pick(["dtype", "shape", "data_offsets"])];
  else if (name && op === 7) h[name] = pick([null, [], 1, "F32", true]);
  else if (e && names.length > 1 && op === 8) {
    // Overlap: one tensor takes another's offsets.
    const other = h[pick(names)];
    if (isEntry(other)) e.data_offsets = other.data_offsets.slice() as [number, number];
  } else if (op === 9) h.__metadata__ = pick([{ k: 1 }, ["x"], "meta", { k: { v: "w" } }, null, {}, { ok: "fine" }]);
  else if (op === 10 && name) {
    // Rename (valid) or take the reserved name.
    const v = h[name];
    delete h[name];
    h[pick(["renamed", "__metadata__", "", "__proto__", "\u{1f600}"])] = v;
  } else if (op === 11) {
    // Entries in another order (valid).
    const entries = Object.entries(h).reverse();
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`;
  } else if (op === 12 && name) {
    // A duplicated key, textually (JSON.parse would hide it).
    const text = JSON.stringify(h);
    return `${text.slice(0, -1)},${JSON.stringify(name)}:${JSON.stringify(h[name])}}`;
  } else if (op === 13) return pick(["[]", "null", "1", '"x"', "{", "{}}", '{"a":1,}', `{"x":${"[".repeat(300)}${"]".repeat(300)}}`, "{\"a\":\"\\ud800\"}"]);
  else if (op === 14 && e) e.data_offsets = [e.data_offsets[0], e.data_offsets[0] + 8 * int(1, 1000)];
  else if (op === 15 && e) (e as Record<string, unknown>).extra = { nested: [1, 2, { deep: true }] };
  else return JSON.stringify(h) + pick(["", " ", "\n", "\u0000", "x"]);
  return JSON.stringify(h);
}

type Mutation = [string, (b: Uint8Array) => Uint8Array];

const MUTATIONS: Mutation[] = [
  ["bit flips", (b) => {
    const out = b.slice();
    for (let k = int(1, 5); k > 0 && out.length; k--) out[int(0, out.length)] ^= 1 << int(0, 8);
    return out;
  }],
  ["byte changes", (b) => {
    const out = b.slice();
    for (let k = int(1, 5); k > 0 && out.length; k--) out[int(0, out.length)] = pick([0, 0xff, 0x7b, 0x7d, 0x22, 0x5b, 0x2c, 0x30, 0x39, 0x80, 0xc3, int(0, 256)]);
    return out;
  }],
  ["header-length bytes", (b) => {
    const out = b.slice();
    const view = new DataView(out.buffer);
    const n = BigInt(headerLength(b));
    const forged = pick([0n, 1n, 2n, 7n, n - 1n, n + 1n, n + 8n, n - 8n, BigInt(b.length - 8), BigInt(b.length - 7), 100_000_001n, 2n ** 32n + n, 2n ** 63n, 2n ** 64n - 1n, BigInt(int(0, 2 ** 31))]);
    if (out.length >= 8) view.setBigUint64(0, forged < 0n ? 0n : forged, true);
    else out[int(0, Math.max(1, out.length))] ^= 1;
    return out;
  }],
  ["truncation", (b) => {
    const n = headerLength(b);
    const region = int(0, 3); // in the length field, in the header, in the data
    const cut = region === 0 ? int(0, 8) : region === 1 ? int(8, 8 + n) : int(8 + n, Math.max(8 + n + 1, b.length));
    return b.slice(0, Math.min(cut, b.length - 1));
  }],
  ["appended bytes", (b) => {
    const extra = Array.from({ length: int(1, 9) }, () => int(0, 256));
    return Uint8Array.from([...b, ...extra]);
  }],
  ["JSON edits", (b) => {
    const text = jsonEdit(b);
    return text === null ? b.slice() : withHeader(b, text, rng.random() < 0.8);
  }],
  ["JSON edits + data resized", (b) => {
    const text = jsonEdit(b);
    const edited = text === null ? b.slice() : withHeader(b, text, true);
    const delta = pick([-8, -4, -2, -1, 1, 2, 4, 8, 64]);
    if (delta < 0) return edited.slice(0, Math.max(8, edited.length + delta));
    return Uint8Array.from([...edited, ...new Array(delta).fill(0)]);
  }],
];

// ---------------------------------------------------------------------------------------------
// the oracle

/** Checks a successful parse against an independent reading of the header and the bytes. */
function checkConsistent(bytes: Uint8Array, parsed: io.SafetensorsFile): void {
  const n = headerLength(bytes);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n))) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const meta = (header.__metadata__ ?? {}) as unknown as Record<string, string>;
  expect(parsed.metadata).toEqual(meta);
  const names = Object.keys(header).filter((k) => k !== "__metadata__");
  expect(Object.keys(parsed.tensors).sort()).toEqual(names.sort());
  const data = bytes.subarray(8 + n);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let outBytes = 0;
  let widened = false;
  for (const name of names) {
    const { dtype, shape, data_offsets: [b, e] } = header[name];
    const t = parsed.tensors[name];
    expect(t.shape).toEqual(shape);
    expect(t.numel()).toBe(shape.reduce((x, y) => x * y, 1));
    outBytes += t.data.byteLength;
    const raw = data.subarray(b, e);
    if (dtype === "F32" || dtype === "F64" || dtype === "I32") {
      expect(t.dtype).toBe({ F32: "float32", F64: "float64", I32: "int32" }[dtype]);
      expect(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength)).toEqual(raw);
    } else if (dtype === "BF16" || dtype === "F16") {
      widened = true;
      expect(t.dtype).toBe("float32");
      for (let i = 0; i < t.numel(); i++) {
        const h = view.getUint16(b + 2 * i, true);
        const want = dtype === "BF16" ? new Float32Array(new Uint32Array([h << 16]).buffer)[0] : halfToNumber(h);
        expect(Object.is(t.data[i], want) || (Number.isNaN(t.data[i]) && Number.isNaN(want))).toBe(true);
      }
    } else if (dtype === "I64") {
      expect(t.dtype).toBe("int32");
      for (let i = 0; i < t.numel(); i++) expect(BigInt(t.data[i])).toBe(view.getBigInt64(b + 8 * i, true));
    } else {
      throw new Error(`parsed a tensor of dtype ${dtype}`);
    }
  }
  // The allocation bound.
  expect(outBytes).toBeLessThanOrEqual(widened ? 2 * bytes.length : bytes.length);
}

function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

interface Tally {
  rejected: number;
  parsed: number;
}

function tryParse(bytes: Uint8Array, tally: Tally, slowest: { ms: number }): void {
  const t0 = performance.now();
  let parsed: io.SafetensorsFile | null = null;
  try {
    parsed = io.parseSafetensors(bytes);
  } catch (e) {
    if (!(e instanceof NNZooError)) throw new Error(`non-NNZooError for ${Buffer.from(bytes.subarray(0, 200)).toString("latin1")}: ${e}`);
    expect(e.message).toMatch(/^parseSafetensors: ./);
    tally.rejected++;
  }
  slowest.ms = Math.max(slowest.ms, performance.now() - t0);
  if (parsed !== null) {
    checkConsistent(bytes, parsed);
    tally.parsed++;
  }
}

describe("fuzzing the safetensors parser", () => {
  it("rejects with an NNZooError or parses consistently, within the file's size, quickly", () => {
    const bases = baseFiles();
    // Every base file is valid (the I64 one only fails its int32 range check).
    bases.forEach((b, i) => (i === 3 ? expect(() => io.parseSafetensors(b)).toThrow(/does not fit in int32/) : io.parseSafetensors(b)));
    const byKind = new Map<string, Tally>();
    const slowest = { ms: 0 };
    const t0 = performance.now();
    const tally = (kind: string): Tally => {
      if (!byKind.has(kind)) byKind.set(kind, { rejected: 0, parsed: 0 });
      return byKind.get(kind)!;
    };

    // Truncation at every length of two base files: every region, every boundary.
    for (const base of [bases[0], bases[2]]) for (let len = 0; len < base.length; len++) tryParse(base.subarray(0, len), tally("truncation, every length"), slowest);

    // Seeded random mutations, one to three at a time.
    for (let i = 0; i < 3000; i++) {
      let bytes = pick(bases);
      const steps = rng.random() < 0.7 ? 1 : int(2, 4);
      const kinds: string[] = [];
      for (let s = 0; s < steps; s++) {
        const [kind, mutate] = pick(MUTATIONS);
        bytes = mutate(bytes);
        kinds.push(kind);
      }
      tryParse(bytes, tally(steps === 1 ? kinds[0] : "combined"), slowest);
    }

    const total = [...byKind.values()].reduce((a, t) => ({ rejected: a.rejected + t.rejected, parsed: a.parsed + t.parsed }), { rejected: 0, parsed: 0 });
    const ms = performance.now() - t0;
    console.log(
      `fuzz: ${total.rejected + total.parsed} files, ${total.rejected} rejected with an NNZooError, ${total.parsed} parsed consistently ` +
        `(${ms.toFixed(0)} ms, slowest ${slowest.ms.toFixed(1)} ms)\n` +
        [...byKind].map(([k, t]) => `  ${k}: ${t.rejected} rejected, ${t.parsed} parsed`).join("\n"),
    );
    expect(total.rejected + total.parsed).toBeGreaterThanOrEqual(1000);
    expect(total.parsed).toBeGreaterThan(50); // valid mutants exist (reordered entries, reshaped, retyped)
    expect(total.rejected).toBeGreaterThan(1000);
    expect(slowest.ms).toBeLessThan(500);
  });

  it("verifies mutated checkpoints: corrupt ones rejected, never a wrong load", async () => {
    const model = { w: randn([4, 3]), b: randn([4]), idx: tensor([1, 2], { dtype: "int32" }) };
    const base = await io.serializeCheckpoint({ model, optimizer: { stateDict: () => ({ m: randn([4]), lr: 0.1 }), loadStateDict() {} }, step: 7, config: { a: "b" } });
    let rejected = 0;
    for (let i = 0; i < 300; i++) {
      const [, mutate] = pick(MUTATIONS.filter(([k]) => k !== "appended bytes" || rng.random() < 0.5));
      const bytes = mutate(base);
      const same = bytes.length === base.length && bytes.every((x, j) => x === base[j]);
      try {
        const ck = await io.parseCheckpoint(bytes);
        expect(same, "a changed checkpoint was accepted").toBe(true);
        expect(ck.step).toBe(7);
      } catch (e) {
        if (!(e instanceof NNZooError)) throw e;
        expect(e.message).toMatch(/^parseCheckpoint: the checkpoint (is corrupt|is a valid safetensors file but not an nnzoo checkpoint)/);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(250);
  });
});
