import { readFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";
import { NNZooError } from "../../core/errors.js";
import { type Point, type Stroke3, strokesToStroke3 } from "./strokes.js";

/**
 * Readers for the two public sketch formats:
 *
 * - Quick Draw "simplified" .ndjson: one JSON object per line,
 *   {"word": "cat", "drawing": [[[x₀, x₁, …], [y₀, y₁, …]], …], …} (one [xs, ys] per stroke).
 * - sketch-rnn's .npz: a zip of .npy arrays "train", "valid", "test", each a 1-D object array
 *   of int16 stroke-3 arrays [n, 3] (pickled inside the .npy, as np.save writes object arrays).
 *   Read with a small zip reader (stored or deflate entries), a .npy reader and a pickle
 *   reader that knows only what numpy arrays need.
 */
export interface LoadedSketch {
  label: string;
  sketch: Stroke3;
}

// ---------------------------------------------------------------------------------------
// Quick Draw .ndjson
// ---------------------------------------------------------------------------------------

export function parseQuickDrawNdjson(text: string, name = "ndjson"): LoadedSketch[] {
  const out: LoadedSketch[] = [];
  text.split("\n").forEach((line, i) => {
    if (!line.trim()) return;
    const where = `${name} line ${i + 1}`;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch (e) {
      throw new NNZooError(`${where} is not JSON: ${(e as Error).message}`);
    }
    const drawing = (obj as { drawing?: unknown })?.drawing;
    if (!Array.isArray(drawing)) throw new NNZooError(`${where} has no "drawing" array (Quick Draw simplified format: {"word": …, "drawing": [[xs, ys], …]})`);
    const strokes = drawing.map((stroke, k): Point[] => {
      if (!Array.isArray(stroke) || stroke.length < 2 || !Array.isArray(stroke[0]) || !Array.isArray(stroke[1])) throw new NNZooError(`${where}: stroke ${k} must be [xs, ys]`);
      const [xs, ys] = stroke as [unknown[], unknown[]];
      if (xs.length !== ys.length) throw new NNZooError(`${where}: stroke ${k} has ${xs.length} x but ${ys.length} y coordinates`);
      if (xs.length === 0) throw new NNZooError(`${where}: stroke ${k} is empty`);
      return xs.map((x, j) => {
        const y = ys[j];
        if (typeof x !== "number" || typeof y !== "number" || !Number.isFinite(x) || !Number.isFinite(y)) throw new NNZooError(`${where}: stroke ${k} point ${j} is not a pair of numbers`);
        return [x, y];
      });
    });
    if (strokes.length === 0) throw new NNZooError(`${where}: the drawing has no strokes`);
    const word = (obj as { word?: unknown }).word;
    out.push({ label: typeof word === "string" ? word : "sketch", sketch: strokesToStroke3(strokes) });
  });
  if (out.length === 0) throw new NNZooError(`${name} holds no drawings`);
  return out;
}

export function readQuickDrawNdjson(path: string): LoadedSketch[] {
  return parseQuickDrawNdjson(readFileSync(path, "utf8"), path);
}

// ---------------------------------------------------------------------------------------
// zip
// ---------------------------------------------------------------------------------------

/** The entries of a zip archive by name (stored or deflated; no zip64, no encryption). */
export function readZip(bytes: Uint8Array, name = "zip"): Map<string, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // End of central directory: signature 0x06054b50 within the last 22 + 65535 bytes.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new NNZooError(`${name} is not a zip archive (no end-of-central-directory record); .npz files are zips`);
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  if (count === 0xffff || at === 0xffffffff) throw new NNZooError(`${name} is a zip64 archive, which is not supported`);
  const entries = new Map<string, Uint8Array>();
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) throw new NNZooError(`${name}: central directory entry ${k} is damaged`);
    const flags = view.getUint16(at + 8, true);
    const method = view.getUint16(at + 10, true);
    const compressed = view.getUint32(at + 20, true);
    const size = view.getUint32(at + 24, true);
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const entry = new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLen));
    at += 46 + nameLen + extraLen + commentLen;
    if (flags & 1) throw new NNZooError(`${name}: entry ${entry} is encrypted`);
    if (local + 30 > bytes.length || view.getUint32(local, true) !== 0x04034b50) throw new NNZooError(`${name}: local header of ${entry} is damaged`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    if (start + compressed > bytes.length) throw new NNZooError(`${name}: entry ${entry} is truncated (${compressed} bytes expected)`);
    const raw = bytes.subarray(start, start + compressed);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) {
      try {
        data = inflateRawSync(raw);
      } catch (e) {
        throw new NNZooError(`${name}: entry ${entry} does not inflate: ${(e as Error).message}`);
      }
    } else throw new NNZooError(`${name}: entry ${entry} uses compression method ${method}; only stored (0) and deflate (8) are supported`);
    if (data.length !== size) throw new NNZooError(`${name}: entry ${entry} is ${data.length} bytes, the directory says ${size}`);
    entries.set(entry, data);
  }
  return entries;
}

// ---------------------------------------------------------------------------------------
// .npy
// ---------------------------------------------------------------------------------------

export interface NpyArray {
  /** numpy's dtype string, e.g. "<i2", "<f4", "|O". */
  descr: string;
  shape: number[];
  /** Numbers (row-major) for numeric arrays, or the elements of an object array. */
  data: number[] | Float64Array | unknown[];
}

const NUMERIC: Record<string, [number, (v: DataView, at: number, little: boolean) => number]> = {
  b1: [1, (v, a) => v.getUint8(a)],
  u1: [1, (v, a) => v.getUint8(a)],
  i1: [1, (v, a) => v.getInt8(a)],
  u2: [2, (v, a, l) => v.getUint16(a, l)],
  i2: [2, (v, a, l) => v.getInt16(a, l)],
  u4: [4, (v, a, l) => v.getUint32(a, l)],
  i4: [4, (v, a, l) => v.getInt32(a, l)],
  i8: [8, (v, a, l) => Number(v.getBigInt64(a, l))],
  u8: [8, (v, a, l) => Number(v.getBigUint64(a, l))],
  f4: [4, (v, a, l) => v.getFloat32(a, l)],
  f8: [8, (v, a, l) => v.getFloat64(a, l)],
};

/** Reads numeric raw bytes of dtype `descr` (e.g. "<i2") into float64. */
export function decodeNumeric(bytes: Uint8Array, descr: string, count: number, name: string): Float64Array {
  const kind = NUMERIC[descr.slice(1)];
  if (!kind || !"<>|=".includes(descr[0])) throw new NNZooError(`${name}: dtype ${descr} is not supported (integers, floats and objects are)`);
  const [width, get] = kind;
  if (bytes.length < count * width) throw new NNZooError(`${name}: data is truncated (${bytes.length} bytes for ${count} values of ${descr})`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = descr[0] !== ">";
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = get(view, i * width, little);
  return out;
}

/** Parses a .npy file (format versions 1–3); object arrays are unpickled with unpickle() below. */
export function parseNpy(bytes: Uint8Array, name = "npy"): NpyArray {
  const magic = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];
  if (bytes.length < 10 || magic.some((b, i) => bytes[i] !== b)) throw new NNZooError(`${name} is not a .npy array (bad magic)`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  if (headerStart + headerLen > bytes.length) throw new NNZooError(`${name}: the header is truncated`);
  const header = new TextDecoder("latin1").decode(bytes.subarray(headerStart, headerStart + headerLen));
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) throw new NNZooError(`${name}: cannot read the header ${JSON.stringify(header.trim())}`);
  if (fortran === "True") throw new NNZooError(`${name}: Fortran-ordered arrays are not supported`);
  const shape = shapeText.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new NNZooError(`${name}: bad shape (${shapeText})`);
  const count = shape.reduce((a, b) => a * b, 1);
  const body = bytes.subarray(headerStart + headerLen);
  if (descr === "|O") {
    const obj = unpickle(body, name);
    if (!(obj instanceof PickledArray)) throw new NNZooError(`${name}: the pickled object is not a numpy array`);
    return obj.toNpy(name);
  }
  return { descr, shape, data: decodeNumeric(body, descr, count, name) };
}

// ---------------------------------------------------------------------------------------
// pickle (the subset numpy object arrays use, protocols 2–5)
// ---------------------------------------------------------------------------------------

class PickleGlobal {
  constructor(readonly module: string, readonly name: string) {}
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** numpy.dtype(descr, …) after BUILD: the type code and byte order. */
class PickledDtype {
  order = "|";
  constructor(readonly code: string) {}
  get descr(): string {
    if (this.code === "O8" || this.code === "O4" || this.code === "O") return "|O";
    const order = this.order === "|" || this.order === "=" ? (this.code.endsWith("1") ? "|" : "<") : this.order;
    return order + this.code;
  }
}

/** numpy.core.multiarray._reconstruct(ndarray, …) after BUILD: shape, dtype and data. */
class PickledArray {
  shape: number[] = [];
  dtype: PickledDtype | null = null;
  raw: Uint8Array | unknown[] | null = null;

  toNpy(name: string): NpyArray {
    if (!this.dtype || this.raw === null) throw new NNZooError(`${name}: a pickled array has no dtype or data`);
    const count = this.shape.reduce((a, b) => a * b, 1);
    if (Array.isArray(this.raw)) return { descr: "|O", shape: this.shape, data: this.raw };
    return { descr: this.dtype.descr, shape: this.shape, data: decodeNumeric(this.raw, this.dtype.descr, count, name) };
  }
}

const MARK = Symbol("mark");

/** A small pickle machine: enough opcodes for numpy arrays (nested object arrays included), nothing executable. */
export function unpickle(bytes: Uint8Array, name = "pickle"): unknown {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const latin1 = (a: number, b: number) => new TextDecoder("latin1").decode(bytes.subarray(a, b));
  const utf8 = (a: number, b: number) => new TextDecoder().decode(bytes.subarray(a, b));
  let at = 0;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new NNZooError(`${name}: the pickle is truncated`);
  };
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) throw new NNZooError(`${name}: pickle MARK missing`);
    const items = stack.splice(i);
    return items.slice(1);
  };
  const textLine = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) throw new NNZooError(`${name}: the pickle is truncated`);
    const s = latin1(at, end);
    at = end + 1;
    return s;
  };
  const call = (fn: unknown, args: unknown): unknown => {
    if (!(fn instanceof PickleGlobal) || !Array.isArray(args)) throw new NNZooError(`${name}: pickle REDUCE on something that is not a known function`);
    const q = fn.qualified;
    if (/^numpy\.(_?core\.)?multiarray\._reconstruct$/.test(q)) return new PickledArray();
    if (q === "numpy.dtype") return new PickledDtype(String(args[0]));
    if (q === "_codecs.encode") return Uint8Array.from(String(args[0]), (c) => c.charCodeAt(0) & 0xff);
    throw new NNZooError(`${name}: the pickle calls ${q}, which a numpy array pickle does not need`);
  };
  const build = (target: unknown, state: unknown): void => {
    if (target instanceof PickledDtype && Array.isArray(state)) target.order = String(state[1]);
    else if (target instanceof PickledArray && Array.isArray(state)) {
      const [, shape, dtype, , raw] = state as [unknown, number[], PickledDtype, boolean, unknown];
      target.shape = Array.from(shape);
      target.dtype = dtype;
      target.raw = typeof raw === "string" ? Uint8Array.from(raw, (c) => c.charCodeAt(0) & 0xff) : (raw as Uint8Array | unknown[]);
    } else throw new NNZooError(`${name}: pickle BUILD on an unsupported object`);
  };
  for (;;) {
    need(1);
    const op = bytes[at++];
    switch (op) {
      case 0x80: need(1); at += 1; break; // PROTO
      case 0x95: need(8); at += 8; break; // FRAME
      case 0x2e: return stack.pop(); // STOP
      case 0x28: stack.push(MARK); break; // MARK
      case 0x4e: stack.push(null); break; // NONE
      case 0x88: stack.push(true); break; // NEWTRUE
      case 0x89: stack.push(false); break; // NEWFALSE
      case 0x4b: need(1); stack.push(bytes[at]); at += 1; break; // BININT1
      case 0x4d: need(2); stack.push(view.getUint16(at, true)); at += 2; break; // BININT2
      case 0x4a: need(4); stack.push(view.getInt32(at, true)); at += 4; break; // BININT
      case 0x8a: { // LONG1
        need(1);
        const n = bytes[at++];
        need(n);
        let v = 0n;
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[at + i]);
        if (n > 0 && bytes[at + n - 1] & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        at += n;
        break;
      }
      case 0x47: need(8); stack.push(view.getFloat64(at, false)); at += 8; break; // BINFLOAT
      case 0x55: { need(1); const n = bytes[at++]; need(n); stack.push(latin1(at, at + n)); at += n; break; } // SHORT_BINSTRING
      case 0x54: { need(4); const n = view.getUint32(at, true); at += 4; need(n); stack.push(latin1(at, at + n)); at += n; break; } // BINSTRING
      case 0x8c: { need(1); const n = bytes[at++]; need(n); stack.push(utf8(at, at + n)); at += n; break; } // SHORT_BINUNICODE
      case 0x58: { need(4); const n = view.getUint32(at, true); at += 4; need(n); stack.push(utf8(at, at + n)); at += n; break; } // BINUNICODE
      case 0x43: { need(1); const n = bytes[at++]; need(n); stack.push(bytes.slice(at, at + n)); at += n; break; } // SHORT_BINBYTES
      case 0x42: { need(4); const n = view.getUint32(at, true); at += 4; need(n); stack.push(bytes.slice(at, at + n)); at += n; break; } // BINBYTES
      case 0x29: stack.push([]); break; // EMPTY_TUPLE
      case 0x85: stack.push([stack.pop()]); break; // TUPLE1
      case 0x86: { const b = stack.pop(); const a = stack.pop(); stack.push([a, b]); break; } // TUPLE2
      case 0x87: { const c = stack.pop(); const b = stack.pop(); const a = stack.pop(); stack.push([a, b, c]); break; } // TUPLE3
      case 0x74: stack.push(popMark()); break; // TUPLE
      case 0x5d: stack.push([]); break; // EMPTY_LIST
      case 0x6c: stack.push(popMark()); break; // LIST
      case 0x61: { const v = stack.pop(); (stack[stack.length - 1] as unknown[]).push(v); break; } // APPEND
      case 0x65: { const items = popMark(); (stack[stack.length - 1] as unknown[]).push(...items); break; } // APPENDS
      case 0x7d: stack.push({}); break; // EMPTY_DICT
      case 0x73: { const v = stack.pop(); const k = stack.pop(); (stack[stack.length - 1] as Record<string, unknown>)[String(k)] = v; break; } // SETITEM
      case 0x75: { // SETITEMS
        const items = popMark();
        const d = stack[stack.length - 1] as Record<string, unknown>;
        for (let i = 0; i + 1 < items.length; i += 2) d[String(items[i])] = items[i + 1];
        break;
      }
      case 0x63: { const module = textLine(); const fn = textLine(); stack.push(new PickleGlobal(module, fn)); break; } // GLOBAL
      case 0x93: { const fn = stack.pop(); const module = stack.pop(); stack.push(new PickleGlobal(String(module), String(fn))); break; } // STACK_GLOBAL
      case 0x52: { const args = stack.pop(); const fn = stack.pop(); stack.push(call(fn, args)); break; } // REDUCE
      case 0x62: { const state = stack.pop(); build(stack[stack.length - 1], state); break; } // BUILD
      case 0x71: need(1); memo.set(bytes[at], stack[stack.length - 1]); at += 1; break; // BINPUT
      case 0x72: need(4); memo.set(view.getUint32(at, true), stack[stack.length - 1]); at += 4; break; // LONG_BINPUT
      case 0x94: memo.set(memo.size, stack[stack.length - 1]); break; // MEMOIZE
      case 0x68: need(1); stack.push(memo.get(bytes[at])); at += 1; break; // BINGET
      case 0x6a: need(4); stack.push(memo.get(view.getUint32(at, true))); at += 4; break; // LONG_BINGET
      default:
        throw new NNZooError(`${name}: pickle opcode 0x${op.toString(16)} at byte ${at - 1} is not supported (only numpy array pickles are)`);
    }
  }
}

// ---------------------------------------------------------------------------------------
// sketch-rnn .npz
// ---------------------------------------------------------------------------------------

/** A stroke-3 sketch from an [n, 3] array (numbers row-major). */
function toStroke3(values: ArrayLike<number>, shape: number[], where: string): Stroke3 {
  if (shape.length !== 2 || shape[1] !== 3) throw new NNZooError(`${where} has shape [${shape.join(", ")}], expected [n, 3] (stroke-3: Δx, Δy, pen lifted)`);
  const out: Stroke3 = [];
  for (let i = 0; i < shape[0]; i++) out.push([values[i * 3], values[i * 3 + 1], values[i * 3 + 2] ? 1 : 0]);
  return out;
}

/** Splits of a sketch-rnn .npz file: "train", "valid", "test" (those present), each a list of stroke-3 sketches. */
export function parseSketchNpz(bytes: Uint8Array, name = "npz", label = "sketch"): Record<string, LoadedSketch[]> {
  const entries = readZip(bytes, name);
  const out: Record<string, LoadedSketch[]> = {};
  for (const [entry, data] of entries) {
    if (!entry.endsWith(".npy")) continue;
    const split = entry.slice(0, -4);
    const where = `${name}:${split}`;
    const arr = parseNpy(data, where);
    if (arr.descr !== "|O") throw new NNZooError(`${where} is a ${arr.descr} array; sketch-rnn .npz splits are object arrays of [n, 3] sketches`);
    out[split] = (arr.data as unknown[]).map((item, i) => {
      if (!(item instanceof PickledArray)) throw new NNZooError(`${where}[${i}] is not an array`);
      const a = item.toNpy(`${where}[${i}]`);
      return { label, sketch: toStroke3(a.data as Float64Array, a.shape, `${where}[${i}]`) };
    });
  }
  if (Object.keys(out).length === 0) throw new NNZooError(`${name} holds no .npy arrays`);
  return out;
}

export function readSketchNpz(path: string): Record<string, LoadedSketch[]> {
  const label = path.split("/").pop()!.replace(/\.npz$/, "").replace(/^sketchrnn_/, "");
  return parseSketchNpz(readFileSync(path), path, label);
}
