/**
 * safetensors, byte for byte (https://github.com/huggingface/safetensors):
 *
 *   [8 bytes]  N, the header length, little-endian u64
 *   [N bytes]  UTF-8 JSON: { name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__"?: { k: v } }
 *   [rest]     the data section; each tensor's bytes are data[begin, end), little-endian, row-major
 *
 * The writer does what the reference (Rust) implementation does, so that nnzoo and
 * `safetensors.torch.save_file` write the same bytes for the same tensors: tensors sorted by
 * dtype alignment (largest first) then by name, packed with no gaps, compact JSON with
 * `__metadata__` first, padded with spaces to a multiple of 8 bytes.
 *
 * The parser is strict: it accepts exactly what the reference parser accepts (header length
 * ≤ 100,000,000 and within the file, UTF-8 JSON object, known dtypes, sizes = numel × itemsize,
 * tensors covering the data section exactly, without gaps or overlaps, metadata values strings)
 * and also rejects duplicate keys and JSON nested deeper than 128. It checks everything before
 * it allocates, so a hostile header cannot make it allocate more than the file holds (F16/BF16
 * are upcast to float32, so those tensors take twice their bytes). Every rejection is an
 * NNZooError naming the problem, the tensor and the byte offsets. Browser-safe: no Node imports.
 */
import { type DType, type TypedArray } from "../core/dtype.js";
import { NNZooError, fmtShape } from "../core/errors.js";
import { Tensor } from "../core/tensor.js";
import { tensor } from "../core/ops/creation.js";

/** The reference implementation's limit on the JSON header, in bytes. */
export const MAX_HEADER_BYTES = 100_000_000;

/** The deepest JSON nesting the parser accepts (serde_json's default recursion limit). */
const MAX_JSON_DEPTH = 128;

/** Element sizes of every dtype the safetensors format defines (sub-byte F4/F6 types excluded). */
const ITEM_BYTES: Readonly<Record<string, number>> = {
  BOOL: 1, U8: 1, I8: 1, F8_E5M2: 1, F8_E4M3: 1, F8_E8M0: 1,
  I16: 2, U16: 2, F16: 2, BF16: 2,
  I32: 4, U32: 4, F32: 4,
  I64: 8, U64: 8, F64: 8, C64: 8,
};

/** The safetensors dtypes nnzoo reads, and the nnzoo dtype each becomes. */
const READ_AS: Readonly<Record<string, DType>> = {
  F32: "float32", F64: "float64", I32: "int32",
  F16: "float32", BF16: "float32", // upcast exactly
  I64: "int32", // only when every value fits
};

/** The safetensors dtype nnzoo writes for each of its dtypes. */
const WRITE_AS: Readonly<Record<DType, string>> = { float32: "F32", float64: "F64", int32: "I32" };

/** The writer sorts by this rank, largest first: the order of the reference `Dtype` enum. */
const DTYPE_RANK: Readonly<Record<string, number>> = { I32: 0, F32: 1, F64: 2 };

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** What the header says about one tensor. `dataOffsets` are relative to the data section. */
export interface SafetensorsEntry {
  /** The dtype stored in the file (`"F16"`, `"F32"`, …), before any upcast. */
  dtype: string;
  shape: number[];
  dataOffsets: [number, number];
}

/** A parsed safetensors file. */
export interface SafetensorsFile {
  /** The tensors by name, in header order, each with its own storage. */
  tensors: Record<string, Tensor>;
  /** The `__metadata__` map (empty when the file has none). */
  metadata: Record<string, string>;
  /** The header entry of each tensor, as stored in the file. */
  entries: Record<string, SafetensorsEntry>;
  /** Byte offset of the data section in the file (8 + header length). */
  dataStart: number;
}

/** Anything that holds a safetensors file's bytes. */
export type Bytes = Uint8Array | ArrayBuffer;

// ---------------------------------------------------------------------------------------------
// writing

/**
 * Serializes tensors (float32 → F32, float64 → F64, int32 → I32) and optional string metadata
 * into the bytes of a safetensors file, laid out as the reference implementation lays them out
 * (so PyTorch's `safetensors.torch.save_file` writes the same bytes for the same tensors;
 * metadata keys are sorted, where the reference leaves their order to a hash map).
 *
 * @param dict tensors by name, e.g. a module's `stateDict()`; `"__metadata__"` is reserved.
 * @param metadata free-form string pairs stored under `__metadata__` (omitted when undefined).
 * @example
 *   const bytes = io.serializeSafetensors(model.stateDict(), { epoch: "3" });
 */
export function serializeSafetensors(dict: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  const op = "serializeSafetensors";
  if (dict === null || typeof dict !== "object") throw new NNZooError(`${op}: dict must be an object of Tensors, got ${describe(dict)}`);
  const items: Array<{ name: string; nameBytes: Uint8Array; t: Tensor; dtype: string }> = [];
  for (const name of Object.keys(dict)) {
    const t = dict[name];
    if (!(t instanceof Tensor)) throw new NNZooError(`${op}: "${name}" must be a Tensor, got ${describe(t)}`);
    if (name === "__metadata__") throw new NNZooError(`${op}: "__metadata__" is reserved for metadata and cannot name a tensor`);
    checkWellFormed(op, `tensor name ${JSON.stringify(name)}`, name);
    items.push({ name, nameBytes: utf8(name), t, dtype: WRITE_AS[t.dtype] });
  }
  items.sort((a, b) => DTYPE_RANK[b.dtype] - DTYPE_RANK[a.dtype] || compareBytes(a.nameBytes, b.nameBytes));

  const parts: string[] = [];
  if (metadata !== undefined) parts.push(`"__metadata__":${metadataJson(op, metadata)}`);
  let offset = 0;
  for (const { name, t, dtype } of items) {
    const n = t.data.byteLength;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${dtype}","shape":${fmtShape(t.shape)},"data_offsets":[${offset},${offset + n}]}`);
    offset += n;
  }
  const json = utf8(`{${parts.join(",")}}`);
  const headerLength = Math.ceil(json.length / 8) * 8;
  if (headerLength > MAX_HEADER_BYTES) throw new NNZooError(`${op}: the header would take ${headerLength} bytes, more than the format's limit of ${MAX_HEADER_BYTES}`);

  const out = new Uint8Array(8 + headerLength + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerLength, true); // high word stays 0: headerLength < 2^32
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength); // pad with spaces, as the reference does
  let at = 8 + headerLength;
  for (const { t } of items) {
    writeLittleEndian(t.data, out, at);
    at += t.data.byteLength;
  }
  return out;
}

function metadataJson(op: string, metadata: Record<string, string>): string {
  if (metadata === null || typeof metadata !== "object" || Array.isArray(metadata)) {
    throw new NNZooError(`${op}: metadata must be an object of strings, got ${describe(metadata)}`);
  }
  const keys = Object.keys(metadata).map((k) => ({ k, bytes: utf8(k) }));
  keys.sort((a, b) => compareBytes(a.bytes, b.bytes));
  const pairs = keys.map(({ k }) => {
    const v = metadata[k];
    if (typeof v !== "string") throw new NNZooError(`${op}: metadata["${k}"] must be a string (safetensors metadata is string to string), got ${describe(v)}`);
    checkWellFormed(op, `metadata key ${JSON.stringify(k)}`, k);
    checkWellFormed(op, `metadata["${k}"]`, v);
    return `${JSON.stringify(k)}:${JSON.stringify(v)}`;
  });
  return `{${pairs.join(",")}}`;
}

function writeLittleEndian(src: TypedArray, out: Uint8Array, at: number): void {
  if (LITTLE_ENDIAN) {
    out.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength), at);
    return;
  }
  const view = new DataView(out.buffer, out.byteOffset + at, src.byteLength);
  const size = src.BYTES_PER_ELEMENT;
  for (let i = 0; i < src.length; i++) {
    if (src instanceof Float32Array) view.setFloat32(i * size, src[i], true);
    else if (src instanceof Float64Array) view.setFloat64(i * size, src[i], true);
    else view.setInt32(i * size, src[i], true);
  }
}

// ---------------------------------------------------------------------------------------------
// reading

/**
 * Parses the bytes of a safetensors file into tensors (F32, F64, I32 as they are; F16 and BF16
 * upcast exactly to float32; I64 to int32 when every value fits) and its metadata. Validates the
 * whole header before allocating anything; throws an NNZooError naming the problem, the tensor
 * and the byte offsets when the file is malformed. The tensors own their storage (the input may
 * be reused afterwards).
 *
 * @example
 *   const { tensors, metadata } = io.parseSafetensors(new Uint8Array(await file.arrayBuffer()));
 */
export function parseSafetensors(bytes: Bytes): SafetensorsFile {
  const op = "parseSafetensors";
  const err = (message: string): never => {
    throw new NNZooError(`${op}: ${message}`);
  };
  let buf: Uint8Array;
  if (bytes instanceof Uint8Array) buf = bytes;
  else if (bytes instanceof ArrayBuffer) buf = new Uint8Array(bytes);
  else return err(`expected a Uint8Array or an ArrayBuffer, got ${describe(bytes)}`);

  // ---- header length
  if (buf.length < 8) err(`the file is ${buf.length} bytes long; a safetensors file starts with an 8-byte header length`);
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  const n = hi * 4294967296 + lo;
  if (hi !== 0 || n > MAX_HEADER_BYTES) err(`header length ${BigInt(hi) * 4294967296n + BigInt(lo)} (file bytes 0..8) exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  if (n < 2) err(`header length ${n} (file bytes 0..8) is too small for a JSON object (at least "{}")`);
  if (n > buf.length - 8) err(`header length ${n} (file bytes 0..8) runs past the end of the file: the header would end at byte ${8 + n} but the file has ${buf.length} bytes`);
  const dataStart = 8 + n;
  const dataLength = buf.length - dataStart;
  const where = `header (file bytes 8..${dataStart})`;

  // ---- header JSON
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(buf.subarray(8, dataStart));
  } catch {
    return err(`${where} is not valid UTF-8`);
  }
  const scan = scanJson(text);
  if (scan.tooDeep) err(`${where} nests JSON deeper than ${MAX_JSON_DEPTH} levels`);
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    return err(`${where} is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) err(`${where} must be a JSON object, got ${describe(header)}`);
  if (scan.duplicate !== null) err(`${where} has the key ${JSON.stringify(scan.duplicate)} twice`);

  // ---- entries: validate all before allocating anything
  const h = header as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const entries: Record<string, SafetensorsEntry> = {};
  const order: Array<{ name: string; entry: SafetensorsEntry }> = [];
  for (const name of Object.keys(h)) {
    const value = h[name];
    if (name === "__metadata__") {
      if (value === null) continue;
      if (typeof value !== "object" || Array.isArray(value)) err(`${where}: "__metadata__" must be an object of strings, got ${describe(value)}`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== "string") err(`${where}: __metadata__[${JSON.stringify(k)}] must be a string, got ${describe(v)}`);
        setOwn(metadata, k, v as string);
      }
      continue;
    }
    const entry = checkEntry(name, value, dataStart, dataLength, err);
    setOwn(entries, name, entry);
    order.push({ name, entry });
  }

  // ---- coverage: sorted by offsets, each tensor starts where the previous one ends
  const sorted = order.slice().sort((a, b) => a.entry.dataOffsets[0] - b.entry.dataOffsets[0] || a.entry.dataOffsets[1] - b.entry.dataOffsets[1]);
  let end = 0;
  let prev: string | null = null;
  for (const { name, entry } of sorted) {
    const [b, e] = entry.dataOffsets;
    if (b !== end) {
      const what = b > end ? `leaves a gap of ${b - end} bytes after ${prev === null ? "the start of the data section" : `tensor ${JSON.stringify(prev)}`}` : `overlaps tensor ${JSON.stringify(prev)} by ${end - b} bytes`;
      err(`tensor ${JSON.stringify(name)}: data_offsets [${b},${e}] (file bytes ${dataStart + b}..${dataStart + e}) ${what}; tensors must cover the data section exactly`);
    }
    end = e;
    prev = name;
  }
  if (end !== dataLength) {
    err(`the tensors cover data bytes 0..${end} (file bytes ${dataStart}..${dataStart + end}) but the data section holds ${dataLength} bytes (file bytes ${dataStart}..${buf.length}); ${end < dataLength ? `${dataLength - end} trailing bytes belong to no tensor` : "the file is truncated"}`);
  }

  // ---- decode
  const tensors: Record<string, Tensor> = {};
  for (const { name, entry } of order) setOwn(tensors, name, decode(name, entry, buf, dv, dataStart, err));
  return { tensors, metadata, entries, dataStart };
}

function checkEntry(name: string, value: unknown, dataStart: number, dataLength: number, err: (m: string) => never): SafetensorsEntry {
  const who = `tensor ${JSON.stringify(name)}`;
  if (value === null || typeof value !== "object" || Array.isArray(value)) err(`${who}: header entry must be an object {dtype, shape, data_offsets}, got ${describe(value)}`);
  const v = value as Record<string, unknown>;
  const { dtype, shape, data_offsets: offsets } = v;
  if (typeof dtype !== "string") err(`${who}: "dtype" must be a string, got ${describe(dtype)}`);
  const dt = dtype as string;
  if (!Object.hasOwn(ITEM_BYTES, dt)) err(`${who}: unknown dtype ${JSON.stringify(dt)}`);
  if (!Object.hasOwn(READ_AS, dt)) err(`${who}: dtype ${dt} is not supported by nnzoo (it reads ${Object.keys(READ_AS).join(", ")})`);
  if (!Array.isArray(shape)) err(`${who}: "shape" must be an array of non-negative integers, got ${describe(shape)}`);
  const dims = shape as unknown[];
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) err(`${who}: "shape" must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => typeof o === "number" && Number.isSafeInteger(o) && o >= 0)) {
    err(`${who}: "data_offsets" must be [begin, end] with non-negative integers, got ${JSON.stringify(offsets) ?? describe(offsets)}`);
  }
  const [b, e] = offsets as [number, number];
  const span = `data_offsets [${b},${e}] (file bytes ${dataStart + b}..${dataStart + e})`;
  if (b > e) err(`${who}: ${span} end before they begin`);
  if (e > dataLength) err(`${who}: ${span} run past the end of the file (the data section has ${dataLength} bytes and ends at file byte ${dataStart + dataLength})`);
  // numel without overflow and without trusting the shape: stop as soon as it exceeds the span.
  const item = ITEM_BYTES[dt];
  const size = e - b;
  const s = dims as number[];
  let numel = s.includes(0) ? 0 : 1;
  for (const d of s) {
    if (numel === 0) break;
    numel *= d;
    if (numel * item > size) err(`${who}: shape ${fmtShape(s)} of ${dt} needs ${bytesOf(s, item)} bytes but ${span} span ${size}`);
  }
  if (numel * item !== size) err(`${who}: shape ${fmtShape(s)} of ${dt} needs ${numel * item} bytes but ${span} span ${size}`);
  return { dtype: dt, shape: s.slice(), dataOffsets: [b, e] };
}

/** The byte count of a shape, for messages only (may be huge or inexact). */
function bytesOf(shape: number[], item: number): string {
  let total = BigInt(item);
  for (const d of shape) total *= BigInt(d);
  return total.toString();
}

function decode(name: string, entry: SafetensorsEntry, buf: Uint8Array, dv: DataView, dataStart: number, err: (m: string) => never): Tensor {
  const { dtype, shape } = entry;
  const begin = dataStart + entry.dataOffsets[0];
  const end = dataStart + entry.dataOffsets[1];
  const count = (end - begin) / ITEM_BYTES[dtype];
  let out: TypedArray;
  switch (dtype) {
    case "F32":
    case "F64":
    case "I32": {
      out = dtype === "F32" ? new Float32Array(count) : dtype === "F64" ? new Float64Array(count) : new Int32Array(count);
      if (LITTLE_ENDIAN) new Uint8Array(out.buffer).set(buf.subarray(begin, end));
      else {
        for (let i = 0; i < count; i++) {
          out[i] = dtype === "F32" ? dv.getFloat32(begin + 4 * i, true) : dtype === "F64" ? dv.getFloat64(begin + 8 * i, true) : dv.getInt32(begin + 4 * i, true);
        }
      }
      break;
    }
    case "F16": {
      const f = new Float32Array(count);
      const bits = new Uint32Array(f.buffer);
      for (let i = 0; i < count; i++) halfInto(dv.getUint16(begin + 2 * i, true), f, bits, i);
      out = f;
      break;
    }
    case "BF16": {
      const f = new Float32Array(count);
      const bits = new Uint32Array(f.buffer);
      for (let i = 0; i < count; i++) bits[i] = dv.getUint16(begin + 2 * i, true) << 16;
      out = f;
      break;
    }
    case "I64": {
      const a = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const at = begin + 8 * i;
        const low = dv.getInt32(at, true);
        const high = dv.getInt32(at + 4, true);
        if (high !== low >> 31) {
          err(`tensor ${JSON.stringify(name)}: I64 element ${i} (file bytes ${at}..${at + 8}) is ${dv.getBigInt64(at, true)}, which does not fit in int32 (nnzoo reads I64 as int32)`);
        }
        a[i] = low;
      }
      out = a;
      break;
    }
    default:
      return err(`tensor ${JSON.stringify(name)}: dtype ${dtype} is not supported`);
  }
  return tensor(out, { shape });
}

/** IEEE half → float32, exactly (NaN payloads kept, as torch's conversion does). */
function halfInto(h: number, f: Float32Array, bits: Uint32Array, i: number): void {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) {
    f[i] = (sign ? -1 : 1) * frac * 2 ** -24; // zero or subnormal
  } else if (exp === 31) {
    bits[i] = sign | 0x7f800000 | (frac << 13); // inf or NaN
  } else {
    bits[i] = sign | ((exp + 112) << 23) | (frac << 13); // rebias 15 → 127
  }
}

/**
 * One pass over the header text, before JSON.parse: the nesting depth (bounded, so that a
 * hostile header cannot make the parser build a huge nest of arrays) and the first key that
 * appears twice in one object (JSON.parse would silently keep the last one).
 */
function scanJson(text: string): { tooDeep: boolean; duplicate: string | null } {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  let duplicate: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length && text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c) {
          escaped = true;
          j++;
        }
        j++;
      }
      const keys = stack.length > 0 ? stack[stack.length - 1] : null;
      if (keys !== null && expectKey && duplicate === null) {
        let key: string;
        try {
          key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
        } catch {
          key = text.slice(i + 1, j);
        }
        if (keys.has(key)) duplicate = key;
        keys.add(key);
      }
      expectKey = false;
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      if (stack.length === MAX_JSON_DEPTH) return { tooDeep: true, duplicate };
      stack.push(c === 0x7b ? new Set() : null);
      expectKey = c === 0x7b;
    } else if (c === 0x7d || c === 0x5d) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null;
    }
  }
  return { tooDeep: false, duplicate };
}

// ---------------------------------------------------------------------------------------------
// helpers

const encoder = new TextEncoder();

function utf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Bytewise comparison: the order of Rust's String::cmp, which the reference sorts names by. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

/** Rejects lone surrogates: they have no UTF-8 form, and the reference parser rejects their escapes. */
function checkWellFormed(op: string, what: string, s: string): void {
  if (/\p{Surrogate}/u.test(s)) {
    // A surrogate pair is fine: \p{Surrogate} under the u flag only matches lone halves.
    throw new NNZooError(`${op}: ${what} contains a lone UTF-16 surrogate, which UTF-8 cannot encode`);
  }
}

/** Sets an own property even for names like "__proto__". */
function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return (x as object).constructor?.name ?? "an object";
  if (typeof x === "string") return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}…` : x)}`;
  return `${typeof x} ${String(x)}`;
}
