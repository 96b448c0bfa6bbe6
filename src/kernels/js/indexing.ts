import type { TypedArray } from "../../core/dtype.js";

// Index arrays are validated by the ops (src/core/ops/indexing.ts) before they get here.

export function gather(x: TypedArray, index: Int32Array, out: TypedArray, outer: number, n: number, inner: number, m: number): void {
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < inner; i++) {
        const k = (o * m + j) * inner + i;
        out[k] = x[(o * n + index[k]) * inner + i];
      }
}

export function scatterAdd(out: TypedArray, index: Int32Array, src: TypedArray, outer: number, n: number, inner: number, m: number): void {
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++)
      for (let i = 0; i < inner; i++) {
        const k = (o * m + j) * inner + i;
        out[(o * n + index[k]) * inner + i] += src[k];
      }
}

export function indexSelect(x: TypedArray, index: Int32Array, out: TypedArray, outer: number, n: number, inner: number): void {
  const m = index.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const from = (o * n + index[j]) * inner;
      out.set(x.subarray(from, from + inner), (o * m + j) * inner);
    }
}

export function indexAdd(out: TypedArray, index: Int32Array, src: TypedArray, outer: number, n: number, inner: number): void {
  const m = index.length;
  for (let o = 0; o < outer; o++)
    for (let j = 0; j < m; j++) {
      const to = (o * n + index[j]) * inner;
      const from = (o * m + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i] += src[from + i];
    }
}
