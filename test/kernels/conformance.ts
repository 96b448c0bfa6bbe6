/**
 * The shared conformance suite every Backend runs (test/kernels/<name>.test.ts): each
 * kernel on random inputs — odd sizes, size 1, empty, broadcasting strides, all GEMM
 * transposition variants, every UnaryOp/BinaryOp/ReduceOp, NaN and ±Inf where the
 * semantics matter — compared with the js reference backend; then an op-level pass that
 * runs core ops and their backward under the backend and under js and compares.
 *
 * Tolerances: float32 results agree to 1e-5 normwise relative (‖x − ref‖ / ‖ref‖ over the
 * finite entries), non-finite entries must match exactly (NaN where NaN, ±Inf with the same
 * sign); copies, indices, comparisons and int32 results must match exactly.
 */
import { describe, expect, it } from "vitest";
import { allocArray, type DType, type TypedArray } from "../../src/core/dtype.js";
import { contiguousStrides } from "../../src/core/shape.js";
import type { Backend, BinaryOp, CellStep, ConvGeom, ReduceOp, UnaryOp, UnaryParams } from "../../src/kernels/backend.js";
import { jsBackend } from "../../src/kernels/js/index.js";
import { getBackend, registerBackend, setBackend } from "../../src/kernels/registry.js";
import * as nz from "../../src/index.js";
import { GATE_COUNT, type RecurrentMode, recurrentScan } from "../../src/core/ops/rnn.js";

// ---- helpers -------------------------------------------------------------------------------

/** A small seeded generator (mulberry32), so every run tests the same inputs. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e-30, 1e-40, 100, -100, 1e30, -1e30];

/** Random values in [lo, hi); with `specials`, sprinkles NaN/±Inf/0/tiny/huge values in. */
function randomArray(dtype: DType, n: number, r: () => number, lo = -3, hi = 3, specials = false): TypedArray {
  const a = allocArray(dtype, n);
  for (let i = 0; i < n; i++) {
    a[i] = dtype === "int32" ? Math.floor(lo + (hi - lo) * r()) : lo + (hi - lo) * r();
    if (specials && dtype !== "int32" && r() < 0.1) a[i] = SPECIALS[Math.floor(r() * SPECIALS.length)];
  }
  return a;
}

/** Normwise relative error over finite entries; Infinity if a non-finite entry differs. */
export function relError(x: TypedArray, ref: TypedArray): number {
  if (x.length !== ref.length) return Infinity;
  let num = 0, den = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = ref[i];
    if (!Number.isFinite(b) || !Number.isFinite(a)) {
      if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)) || (a === b))) return Infinity;
      continue;
    }
    num += (a - b) * (a - b);
    den += b * b;
  }
  return den === 0 ? Math.sqrt(num) : Math.sqrt(num / den);
}

function expectClose(x: TypedArray, ref: TypedArray, what: string, tol = 1e-5): void {
  expect(x.constructor, `${what}: array type`).toBe(ref.constructor);
  const e = relError(x, ref);
  if (!(e <= tol)) {
    let worst = -1, wi = -1;
    for (let i = 0; i < x.length; i++) {
      const d = Number.isFinite(ref[i]) && Number.isFinite(x[i]) ? Math.abs(x[i] - ref[i]) : Object.is(x[i], ref[i]) || (Number.isNaN(x[i]) && Number.isNaN(ref[i])) ? 0 : Infinity;
      if (d > worst) { worst = d; wi = i; }
    }
    expect.fail(`${what}: relative error ${e} > ${tol}; worst at [${wi}]: got ${x[wi]}, reference ${ref[wi]}`);
  }
}

function expectExact(x: TypedArray, ref: TypedArray, what: string): void {
  expect(x.constructor, `${what}: array type`).toBe(ref.constructor);
  expect(x.length, `${what}: length`).toBe(ref.length);
  for (let i = 0; i < x.length; i++) {
    if (!(Object.is(x[i], ref[i]) || (Number.isNaN(x[i]) && Number.isNaN(ref[i])) || x[i] === ref[i])) {
      expect.fail(`${what}: differs at [${i}]: got ${x[i]}, reference ${ref[i]}`);
    }
  }
}

/** Broadcast strides of `shape` seen as `target` (0 on stretched or missing dims). */
function bstrides(shape: readonly number[], target: readonly number[]): number[] {
  const s = contiguousStrides(shape);
  const lead = target.length - shape.length;
  return target.map((d, i) => (i < lead || shape[i - lead] === 1 ? 0 : s[i - lead]));
}

const numel = (s: readonly number[]): number => s.reduce((a, b) => a * b, 1);

// ---- the suite -------------------------------------------------------------------------------

const UNARY_OPS: Array<[UnaryOp, UnaryParams | undefined]> = [
  ["neg", undefined], ["abs", undefined], ["sign", undefined], ["exp", undefined], ["log", undefined],
  ["log1p", undefined], ["sqrt", undefined], ["rsqrt", undefined], ["square", undefined], ["reciprocal", undefined],
  ["sin", undefined], ["cos", undefined], ["erf", undefined], ["tanh", undefined], ["sigmoid", undefined],
  ["relu", undefined], ["leakyRelu", { alpha: 0.2 }], ["leakyRelu", undefined], ["elu", { alpha: 1.3 }], ["elu", undefined],
  ["gelu", undefined], ["geluGrad", undefined], ["softplus", { beta: 2, threshold: 5 }], ["softplus", undefined],
  ["clamp", { min: -0.5, max: 0.7 }], ["clamp", { min: 0 }], ["powScalar", { exponent: 2 }], ["powScalar", { exponent: 3 }],
  ["powScalar", { exponent: 0.5 }], ["powScalar", { exponent: -1 }], ["cast", undefined],
];
const BINARY_OPS: BinaryOp[] = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "eq", "ne", "lt", "le", "gt", "ge"];
const REDUCE_OPS: ReduceOp[] = ["sum", "max", "min", "argmax", "argmin"];
const SIZES = [0, 1, 3, 4, 7, 63, 64, 65, 1000, 4099];

/** [a shape, b shape] pairs: same shape, scalars, rows, columns, middle broadcasts, both sides stretched. */
const BROADCASTS: Array<[number[], number[]]> = [
  [[5, 7], [5, 7]], [[300], [300]], [[67, 33], [67, 33]], [[9, 70], []], [[], [9, 70]], [[70, 9], [1, 9]], [[70, 9], [9]],
  [[9, 70], [9, 1]], [[1, 70], [9, 70]], [[4, 1, 67], [1, 5, 1]], [[2, 3, 40, 5], [3, 1, 1]], [[8, 16, 12], [16, 1]],
  [[1], [1]], [[0, 3], [1, 3]], [[6, 1, 1, 13], [1, 7, 5, 1]],
];

export function runBackendSuite(name: string, makeBackend: () => Backend): void {
  const be = makeBackend();
  const js = jsBackend;

  describe(`${name} backend conformance`, () => {
    it("alloc gives zero-filled arrays of the dtype", () => {
      for (const d of ["float32", "float64", "int32"] as DType[]) {
        const a = be.alloc(d, 37);
        expect(a.constructor).toBe(allocArray(d, 0).constructor);
        expect(a.length).toBe(37);
        expect(a.every((v) => v === 0)).toBe(true);
      }
    });

    it("unary: every op, odd and empty sizes, NaN/±Inf, float32 and float64", () => {
      const r = rng(1);
      for (const [op, p] of UNARY_OPS)
        for (const dtype of ["float32", "float64"] as DType[])
          for (const n of SIZES) {
            const x = randomArray(dtype, n, r, -4, 4, true);
            const a = allocArray(dtype, n), b = allocArray(dtype, n);
            be.unary(op, x, a, p);
            js.unary(op, x, b, p);
            expectClose(a, b, `unary ${op}${p ? JSON.stringify(p) : ""} ${dtype}[${n}]`);
          }
    });

    it("unary: wide ranges where exp/log/tanh/sigmoid saturate", () => {
      const r = rng(2);
      for (const op of ["exp", "log", "log1p", "tanh", "sigmoid", "softplus", "elu"] as UnaryOp[]) {
        const x = randomArray("float32", 2000, r, op === "log" || op === "log1p" ? 0 : -120, 120, true);
        if (op === "log" || op === "log1p") for (let i = 0; i < x.length; i += 3) x[i] = 10 ** (60 * r() - 30);
        const a = new Float32Array(x.length), b = new Float32Array(x.length);
        be.unary(op, x, a);
        js.unary(op, x, b);
        expectClose(a, b, `unary ${op} wide`);
      }
    });

    it("unary cast between dtypes is exact", () => {
      const r = rng(3);
      for (const from of ["float32", "float64", "int32"] as DType[])
        for (const to of ["float32", "float64", "int32"] as DType[])
          for (const n of [0, 1, 5, 100]) {
            const x = randomArray(from, n, r, -50, 50);
            const a = allocArray(to, n), b = allocArray(to, n);
            be.unary("cast", x, a);
            js.unary("cast", x, b);
            expectExact(a, b, `cast ${from}→${to}[${n}]`);
          }
    });

    it("binary: every op with broadcasting strides, NaN/±Inf", () => {
      const r = rng(4);
      for (const op of BINARY_OPS)
        for (const [sa, sb] of BROADCASTS)
          for (const dtype of ["float32", "float64", "int32"] as DType[]) {
            if (dtype === "int32" && (op === "div" || op === "pow")) continue;
            const shape = sa.length >= sb.length ? sa.map((d, i) => Math.max(d, sb[i - sa.length + sb.length] ?? 1)) : sb.map((d, i) => Math.max(d, sa[i - sb.length + sa.length] ?? 1));
            if (sa.includes(0) || sb.includes(0)) shape.forEach((_, i) => { if ((sa[i - shape.length + sa.length] ?? 1) === 0 || (sb[i - shape.length + sb.length] ?? 1) === 0) shape[i] = 0; });
            const lo = op === "pow" ? 0.1 : -3;
            const a = randomArray(dtype, numel(sa), r, lo, 3, dtype !== "int32");
            const b = randomArray(dtype, numel(sb), r, op === "pow" ? -2 : -3, 3, dtype !== "int32");
            if (op === "eq" || op === "ne" || op === "le" || op === "ge") for (let i = 0; i < Math.min(a.length, b.length); i += 2) b[i] = a[i];
            const outDtype: DType = op === "eq" || op === "ne" || op === "lt" || op === "le" || op === "gt" || op === "ge" ? "float32" : dtype;
            const x = allocArray(outDtype, numel(shape)), y = allocArray(outDtype, numel(shape));
            be.binary(op, a, bstrides(sa, shape), b, bstrides(sb, shape), x, shape);
            js.binary(op, a, bstrides(sa, shape), b, bstrides(sb, shape), y, shape);
            const what = `binary ${op} ${dtype} [${sa}]∘[${sb}]`;
            // Comparisons, max/min and int32 arithmetic are exact; float arithmetic agrees to rounding.
            if (["eq", "ne", "lt", "le", "gt", "ge", "maximum", "minimum"].includes(op) || dtype === "int32") expectExact(x, y, what);
            else expectClose(x, y, what);
          }
    });

    it("binary: the same array as both operands", () => {
      const r = rng(5);
      const a = randomArray("float32", 999, r);
      for (const op of ["add", "mul", "sub"] as BinaryOp[]) {
        const x = new Float32Array(999), y = new Float32Array(999);
        be.binary(op, a, [1], a, [1], x, [999]);
        js.binary(op, a, [1], a, [1], y, [999]);
        expectClose(x, y, `binary ${op} a∘a`);
      }
    });

    it("where: broadcast condition and operands", () => {
      const r = rng(6);
      const cases: Array<[number[], number[], number[]]> = [
        [[7, 9], [7, 9], [7, 9]], [[7, 1], [1, 9], []], [[], [70, 9], [70, 9]], [[3, 1, 33], [1, 5, 33], [3, 5, 1]], [[100], [100], [1]], [[0, 4], [0, 4], [4]],
      ];
      for (const dtype of ["float32", "float64"] as DType[])
        for (const [sc, sa, sb] of cases) {
          const nd = Math.max(sc.length, sa.length, sb.length);
          const pad = (s: number[]) => [...Array(nd - s.length).fill(1), ...s];
          const shape = pad(sc).map((d, i) => (d === 0 || pad(sa)[i] === 0 || pad(sb)[i] === 0 ? 0 : Math.max(d, pad(sa)[i], pad(sb)[i])));
          const c = randomArray(dtype, numel(sc), r, 0, 1);
          for (let i = 0; i < c.length; i++) c[i] = c[i] < 0.5 ? 0 : i % 7 === 0 ? NaN : 1;
          const a = randomArray(dtype, numel(sa), r, -3, 3, true), b = randomArray(dtype, numel(sb), r, -3, 3, true);
          const x = allocArray(dtype, numel(shape)), y = allocArray(dtype, numel(shape));
          be.where(c, bstrides(sc, shape), a, bstrides(sa, shape), b, bstrides(sb, shape), x, shape);
          js.where(c, bstrides(sc, shape), a, bstrides(sa, shape), b, bstrides(sb, shape), y, shape);
          expectExact(x, y, `where ${dtype} [${sc}] [${sa}] [${sb}]`);
        }
    });

    it("reduce: every op over [outer, n, inner], NaN wins, ties keep the first", () => {
      const r = rng(7);
      const shapes: Array<[number, number, number]> = [[1, 1, 1], [3, 7, 1], [2, 5, 3], [1, 1000, 1], [4, 9, 17], [5, 1, 8], [2, 33, 4], [1, 4099, 1], [3, 0, 2], [0, 4, 2]];
      for (const op of REDUCE_OPS)
        for (const dtype of ["float32", "float64", "int32"] as DType[])
          for (const [outer, n, inner] of shapes) {
            if (n === 0 && op !== "sum") continue;
            const x = randomArray(dtype, outer * n * inner, r, -5, 5, dtype !== "int32" && outer * n * inner > 100);
            if (dtype !== "int32" && x.length > 3) { x[1] = x[0]; x[2] = x[0]; }
            const outDtype: DType = op === "argmax" || op === "argmin" ? "int32" : dtype;
            const a = allocArray(outDtype, outer * inner), b = allocArray(outDtype, outer * inner);
            be.reduce(op, x, outer, n, inner, a);
            js.reduce(op, x, outer, n, inner, b);
            const what = `reduce ${op} ${dtype} [${outer},${n},${inner}]`;
            if (op === "sum" && dtype !== "int32") expectClose(a, b, what);
            else expectExact(a, b, what);
          }
    });

    it("copy: strided, offset, casting", () => {
      const r = rng(8);
      for (const [from, to] of [["float32", "float32"], ["float32", "float64"], ["int32", "float32"], ["float64", "int32"]] as Array<[DType, DType]>) {
        const src = randomArray(from, 3 * 4 * 5 + 7, r, -9, 9);
        // a transpose of a [3,4,5] block (from offset 7) into a contiguous [5,4,3] destination at offset 2
        const a = allocArray(to, 62), b = allocArray(to, 62);
        be.copy(src, 7, [1, 5, 20], a, 2, [12, 3, 1], [5, 4, 3]);
        js.copy(src, 7, [1, 5, 20], b, 2, [12, 3, 1], [5, 4, 3]);
        expectExact(a, b, `copy ${from}→${to}`);
        const c = allocArray(to, 4), d = allocArray(to, 4);
        be.copy(src, 0, [0, 1], c, 0, [2, 1], [0, 2]);
        js.copy(src, 0, [0, 1], d, 0, [2, 1], [0, 2]);
        expectExact(c, d, `copy empty ${from}→${to}`);
      }
    });

    it("gemm: four transposition variants, odd/empty/large sizes, offsets, accumulate", () => {
      const r = rng(9);
      const sizes: Array<[number, number, number]> = [
        [1, 1, 1], [0, 3, 2], [3, 0, 2], [3, 4, 0], [1, 7, 5], [3, 19, 40], [4, 33, 9], [1, 600, 70], [13, 17, 19], [4, 8, 256], [65, 33, 70], [5, 1000, 3], [130, 257, 96], [200, 300, 520], [9, 2100, 300],
      ];
      for (const dtype of ["float32", "float64"] as DType[])
        for (const [m, n, k] of sizes) {
          if (dtype === "float64" && m * n * k > 1e6) continue;
          for (const transA of [false, true])
            for (const transB of [false, true])
              for (const accumulate of m * n * k > 1e6 ? [true] : [false, true]) {
                const aOff = 3, bOff = 5, cOff = 2;
                const a = randomArray(dtype, aOff + m * k + 4, r, -1, 1);
                const b = randomArray(dtype, bOff + k * n + 1, r, -1, 1);
                const c0 = randomArray(dtype, cOff + m * n + 3, r, -1, 1);
                const x = c0.slice(), y = c0.slice();
                be.gemm(a, aOff, b, bOff, x, cOff, m, n, k, transA, transB, accumulate);
                js.gemm(a, aOff, b, bOff, y, cOff, m, n, k, transA, transB, accumulate);
                const what = `gemm ${dtype} m=${m} n=${n} k=${k} transA=${transA} transB=${transB} accumulate=${accumulate}`;
                expectClose(x.subarray(cOff, cOff + m * n), y.subarray(cOff, cOff + m * n), what);
                // Nothing outside C's block is touched.
                expectExact(x.subarray(0, cOff), c0.subarray(0, cOff), `${what} (before C)`);
                expectExact(x.subarray(cOff + m * n), c0.subarray(cOff + m * n), `${what} (after C)`);
              }
        }
    });

    it("gemm: NaN and ±Inf propagate", () => {
      const a = new Float32Array([1, NaN, 2, 3, Infinity, 1, 0, 0, 1]);
      const b = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8, 9]);
      const x = new Float32Array(9), y = new Float32Array(9);
      be.gemm(a, 0, b, 0, x, 0, 3, 3, 3, false, false, false);
      js.gemm(a, 0, b, 0, y, 0, 3, 3, 3, false, false, false);
      expectClose(x, y, "gemm with NaN/Inf");
    });

    it("softmax and logSoftmax over [outer, n, inner], -Inf and large values", () => {
      const r = rng(10);
      const shapes: Array<[number, number, number]> = [[1, 1, 1], [4, 10, 1], [3, 65, 1], [2, 7, 5], [1, 4099, 1], [5, 3, 33], [2, 0, 3], [0, 4, 1]];
      for (const log of [false, true])
        for (const dtype of ["float32", "float64"] as DType[])
          for (const [outer, n, inner] of shapes) {
            const x = randomArray(dtype, outer * n * inner, r, -20, 20);
            for (let i = 0; i < x.length; i += 11) x[i] = -Infinity;
            if (x.length > 5) x[5] = 80;
            const a = allocArray(dtype, x.length), b = allocArray(dtype, x.length);
            be.softmax(x, a, outer, n, inner, log);
            js.softmax(x, b, outer, n, inner, log);
            expectClose(a, b, `${log ? "logSoftmax" : "softmax"} ${dtype} [${outer},${n},${inner}]`);
          }
      // All -Inf or NaN rows give NaN, as in the reference.
      for (const fill of [-Infinity, NaN]) {
        const x = new Float32Array(70).fill(fill), a = new Float32Array(70), b = new Float32Array(70);
        be.softmax(x, a, 1, 70, 1, false);
        js.softmax(x, b, 1, 70, 1, false);
        expectExact(a, b, `softmax of all ${fill}`);
      }
    });

    it("gather, scatterAdd, indexSelect, indexAdd", () => {
      const r = rng(11);
      for (const dtype of ["float32", "float64", "int32"] as DType[])
        for (const [outer, n, inner, m] of [[1, 5, 1, 3], [3, 7, 4, 9], [2, 1, 66, 1], [4, 10, 3, 0]]) {
          const x = randomArray(dtype, outer * n * inner, r, -9, 9);
          const index = Int32Array.from({ length: outer * m * inner }, () => Math.floor(r() * n));
          const a = allocArray(dtype, outer * m * inner), b = allocArray(dtype, outer * m * inner);
          be.gather(x, index, a, outer, n, inner, m);
          js.gather(x, index, b, outer, n, inner, m);
          expectExact(a, b, `gather ${dtype}`);
          const src = randomArray(dtype, outer * m * inner, r, -9, 9);
          const c = x.slice(), d = x.slice();
          be.scatterAdd(c, index, src, outer, n, inner, m);
          js.scatterAdd(d, index, src, outer, n, inner, m);
          expectClose(c, d, `scatterAdd ${dtype}`);
          const idx = Int32Array.from({ length: m }, () => Math.floor(r() * n));
          const e = allocArray(dtype, outer * m * inner), f = allocArray(dtype, outer * m * inner);
          be.indexSelect(x, idx, e, outer, n, inner);
          js.indexSelect(x, idx, f, outer, n, inner);
          expectExact(e, f, `indexSelect ${dtype}`);
          const g = x.slice(), h = x.slice();
          be.indexAdd(g, idx, src, outer, n, inner);
          js.indexAdd(h, idx, src, outer, n, inner);
          expectClose(g, h, `indexAdd ${dtype}`);
        }
    });

    const geoms: ConvGeom[] = [
      geom(1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1), geom(3, 8, 7, 3, 3, 1, 1, 0, 0, 1, 1), geom(2, 9, 9, 4, 4, 2, 2, 1, 1, 1, 1),
      geom(4, 14, 14, 4, 4, 2, 2, 1, 1, 1, 1), geom(2, 11, 10, 3, 2, 1, 3, 2, 1, 2, 1), geom(1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1),
      geom(3, 6, 6, 7, 7, 1, 1, 3, 3, 1, 1), geom(2, 4, 5, 2, 3, 1, 1, 0, 2, 1, 2),
    ];

    it("im2col and col2im over strides, paddings and dilations", () => {
      const r = rng(12);
      for (const dtype of ["float32", "float64"] as DType[])
        for (const g of geoms) {
          const xOff = 3, colOff = 2;
          const x = randomArray(dtype, xOff + g.c * g.h * g.w, r);
          const colSize = g.c * g.kh * g.kw * g.oh * g.ow;
          const a = allocArray(dtype, colOff + colSize), b = allocArray(dtype, colOff + colSize);
          be.im2col(x, xOff, a, colOff, g);
          js.im2col(x, xOff, b, colOff, g);
          expectExact(a, b, `im2col ${dtype} ${JSON.stringify(g)}`);
          const col = randomArray(dtype, colOff + colSize, r);
          const c = x.slice(), d = x.slice();
          be.col2im(col, colOff, c, xOff, g);
          js.col2im(col, colOff, d, xOff, g);
          expectClose(c, d, `col2im ${dtype} ${JSON.stringify(g)}`);
        }
    });

    it("maxPool2d, avgPool2d and its backward", () => {
      const r = rng(13);
      for (const g of geoms) {
        const planes = 3;
        const x = randomArray("float32", planes * g.h * g.w, r, -3, 3, true);
        const n = planes * g.oh * g.ow;
        const a = new Float32Array(n), b = new Float32Array(n), ia = new Int32Array(n), ib = new Int32Array(n);
        be.maxPool2d(x, a, ia, planes, g);
        js.maxPool2d(x, b, ib, planes, g);
        expectExact(a, b, "maxPool2d values");
        expectExact(ia, ib, "maxPool2d argmax");
        const y = randomArray("float32", planes * g.h * g.w, r);
        for (const cip of [false, true]) {
          const c = new Float32Array(n), d = new Float32Array(n);
          be.avgPool2d(y, c, planes, g, cip);
          js.avgPool2d(y, d, planes, g, cip);
          expectClose(c, d, "avgPool2d");
          const gy = randomArray("float32", n, r);
          const e = new Float32Array(y.length), f = new Float32Array(y.length);
          be.avgPool2dBackward(gy, e, planes, g, cip);
          js.avgPool2dBackward(gy, f, planes, g, cip);
          expectClose(e, f, "avgPool2dBackward");
        }
      }
    });

    it("fused recurrent cells (LSTM, GRU, RNN) forward and backward, with bias, lengths and odd sizes", () => {
      const r = rng(14);
      const sizes: Array<[number, number]> = [[1, 1], [2, 3], [3, 5], [4, 8], [5, 13], [32, 64], [7, 66]];
      const arr = (n: number, lo = -3, hi = 3) => randomArray("float32", n, r, lo, hi) as Float32Array;
      for (const [B, H] of sizes)
        for (const withBias of [true, false])
          for (const lengths of [null, Int32Array.from({ length: B }, (_, b) => b % 3)]) {
            const s: CellStep = { batch: B, hidden: H, t: 1, lengths };
            const what = (k: string) => `${k} B=${B} H=${H} bias=${withBias} lengths=${lengths !== null}`;
            // Runs kernel `f` of both backends on copies of the same arrays and compares every array.
            const both = (k: string, arrays: Array<Float32Array | null>, f: (b: Backend, xs: Array<Float32Array | null>) => void) => {
              const xa = arrays.map((a) => (a ? a.slice() : null)), xb = arrays.map((a) => (a ? a.slice() : null));
              f(be, xa);
              f(js, xb);
              xa.forEach((a, i) => a && expectClose(a, xb[i]!, `${what(k)} array #${i}`));
            };
            const bias4 = withBias ? arr(4 * H) : null, bias3 = withBias ? arr(3 * H) : null, bias1 = withBias ? arr(H) : null;
            both("lstmCell", [arr(4 * B * H), bias4, arr(B * H), arr(B * H), arr(B * H), arr(B * H), arr(B * H)],
              (b, [g, bi, cp, hp, c, h, y]) => b.lstmCell(g!, bi, cp!, hp!, c!, h!, y!, s));
            const act4 = arr(4 * B * H, 0.05, 0.95);
            both("lstmCellBackward", [act4, arr(B * H), arr(B * H), arr(B * H), arr(B * H), arr(B * H), arr(4 * B * H), arr(B * H)],
              (b, [a, cp, c, dy, dh, dc, dg, dhp]) => b.lstmCellBackward(a!, cp!, c!, dy!, dh!, dc!, dg!, dhp!, s));
            both("gruCell", [arr(3 * B * H), arr(3 * B * H), bias3, arr(B * H), arr(3 * B * H), arr(B * H), arr(B * H), arr(B * H)],
              (b, [xg, hg, bi, hp, a, hn, h, y]) => b.gruCell(xg!, hg!, bi, hp!, a!, hn!, h!, y!, s));
            both("gruCellBackward", [arr(3 * B * H, 0.05, 0.95), arr(B * H), arr(B * H), arr(B * H), arr(B * H), arr(3 * B * H), arr(3 * B * H), arr(B * H)],
              (b, [a, hn, hp, dy, dh, gx, gh, dhp]) => b.gruCellBackward(a!, hn!, hp!, dy!, dh!, gx!, gh!, dhp!, s));
            for (const relu of [false, true]) {
              both(`rnnCell relu=${relu}`, [arr(B * H), bias1, arr(B * H), arr(B * H), arr(B * H)],
                (b, [p, bi, hp, h, y]) => b.rnnCell(p!, bi, hp!, h!, y!, relu, s));
              both(`rnnCellBackward relu=${relu}`, [arr(B * H, relu ? -1 : -0.99, 0.99), arr(B * H), arr(B * H), arr(B * H), arr(B * H)],
                (b, [h, dy, dh, dp, dhp]) => b.rnnCellBackward(h!, dy!, dh!, dp!, dhp!, relu, s));
            }
          }
    });

    it("every method of the Backend is covered", () => {
      const methods = Object.keys(jsBackend).filter((k) => typeof (jsBackend as unknown as Record<string, unknown>)[k] === "function");
      for (const m of methods) expect(typeof (be as unknown as Record<string, unknown>)[m], m).toBe("function");
    });

    it("ops and their gradients match the js backend", () => {
      const cases: Array<[string, () => nz.Tensor[]]> = opCases();
      for (const [label, run] of cases) {
        const ref = underBackend("js", run);
        const got = underBackend(be.name, run, be);
        expect(got.length, label).toBe(ref.length);
        got.forEach((t, i) => {
          expect(t.shape, `${label} #${i} shape`).toEqual(ref[i].shape);
          expectClose(t.data, ref[i].data, `${label} #${i}`, 1e-5);
        });
      }
    });
  });
}

function geom(c: number, h: number, w: number, kh: number, kw: number, sh: number, sw: number, ph: number, pw: number, dh: number, dw: number): ConvGeom {
  const oh = Math.floor((h + 2 * ph - dh * (kh - 1) - 1) / sh) + 1;
  const ow = Math.floor((w + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
  return { c, h, w, kh, kw, sh, sw, ph, pw, dh, dw, oh, ow };
}

/** Runs `fn` with the named backend selected (registering `be` if given), restoring the previous one. */
function underBackend(name: string, fn: () => nz.Tensor[], be?: Backend): nz.Tensor[] {
  const prev = getBackend().name;
  if (be) registerBackend(be);
  setBackend(name);
  try {
    return fn();
  } finally {
    setBackend(prev);
  }
}

/** Core ops with their backward: each returns the outputs and the gradients to compare. */
function opCases(): Array<[string, () => nz.Tensor[]]> {
  const leaf = (shape: number[], seed: number, scale = 1) => {
    nz.manualSeed(seed);
    return nz.randn(shape).mul(scale).requiresGrad_();
  };
  const grads = (out: nz.Tensor, ...xs: nz.Tensor[]): nz.Tensor[] => {
    out.backward();
    return [out.detach(), ...xs.map((x) => x.grad!)];
  };
  return [
    ["mlp: matmul + bias + tanh + sigmoid + relu + mean", () => {
      const x = leaf([33, 70], 1), w = leaf([70, 45], 2, 0.2), b = leaf([45], 3), w2 = leaf([45, 10], 4, 0.2);
      const h = x.matmul(w).add(b).tanh();
      const y = nz.relu(h.matmul(w2)).add(h.matmul(w2).sigmoid());
      return grads(y.mean(), x, w, b, w2);
    }],
    ["batched matmul with broadcast batch dims, vector matmul", () => {
      const a = leaf([3, 1, 17, 9], 5), b = leaf([4, 9, 13], 6), v = leaf([13], 7);
      const y = a.matmul(b).matmul(v);
      return grads(y.square().sum(), a, b, v);
    }],
    ["cross-entropy: logSoftmax + gather + softmax over a middle dim", () => {
      const logits = leaf([32, 65], 8, 3);
      const t = nz.randint(0, 65, [32, 1]);
      const nll = nz.gather(logits.logSoftmax(1), 1, t).mean().neg();
      const s = leaf([4, 7, 6], 9).softmax(1).mul(leaf([4, 7, 6], 10)).sum();
      return [...grads(nll.add(s), logits)];
    }],
    ["conv2d + maxPool2d + avgPool2d + convTranspose2d", () => {
      const x = leaf([2, 3, 12, 12], 11), w = leaf([8, 3, 3, 3], 12, 0.3), b = leaf([8], 13);
      const w2 = leaf([8, 4, 4, 4], 14, 0.2);
      const h = nz.conv2d(x, w, b, { padding: 1 }).relu();
      const p = nz.maxPool2d(h, 2).add(nz.avgPool2d(h, 2));
      const y = nz.convTranspose2d(p, w2, null, { stride: 2, padding: 1 });
      return grads(y.tanh().sum(), x, w, b, w2);
    }],
    ["element-wise zoo: exp, log, where, maximum, pow, div, clamp, softplus, elu, leakyRelu", () => {
      const a = leaf([50, 40], 15), b = leaf([40], 16);
      const pos = a.abs().add(0.5);
      const y = pos.log().add(a.exp().mul(0.1)).add(nz.where(a.gt(0), a, b)).add(nz.maximum(a, b)).add(pos.pow(b.abs().add(0.5)))
        .add(a.div(pos)).add(a.clamp(-0.5, 0.5)).add(nz.softplus(a)).add(nz.elu(a)).add(nz.leakyRelu(a, 0.2));
      return grads(y.sum(), a, b);
    }],
    ...(["lstm", "gru", "rnnTanh", "rnnRelu"] as RecurrentMode[]).map((mode): [string, () => nz.Tensor[]] => [`recurrentScan ${mode} with lengths, forward and backward`, () => {
      const [T, B, H] = [5, 3, 7], G = GATE_COUNT[mode];
      const xProj = leaf([T, B, G * H], 18), w = leaf([G * H, H], 19, 0.3), b = leaf([G * H], 20, 0.1), h0 = leaf([B, H], 21);
      const c0 = mode === "lstm" ? leaf([B, H], 22) : null;
      const res = recurrentScan(mode, xProj, w, b, h0, c0, { lengths: Int32Array.from([5, 2, 4]) });
      const loss = res.output.tanh().sum().add(res.h.square().sum()).add(res.c ? res.c.sum() : 0);
      return grads(loss, xProj, w, b, h0, ...(c0 ? [c0] : []));
    }]),
    ["reductions: sum/mean/var/amax/logsumexp over dims", () => {
      const x = leaf([6, 9, 11], 17);
      const y = x.sum(1).mean().add(nz.var(x, 2).sum()).add(nz.amax(x, [0, 2]).sum()).add(nz.logsumexp(x, 1).sum());
      return grads(y, x);
    }],
  ];
}
