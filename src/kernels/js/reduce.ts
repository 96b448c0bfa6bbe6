import type { TypedArray } from "../../core/dtype.js";
import type { ReduceOp } from "../backend.js";

/** Reductions over the middle axis of [outer, n, inner]; sums accumulate in float64. */
export function reduce(op: ReduceOp, x: TypedArray, outer: number, n: number, inner: number, out: TypedArray): void {
  for (let o = 0; o < outer; o++) {
    const base = o * n * inner;
    for (let i = 0; i < inner; i++) {
      const start = base + i;
      switch (op) {
        case "sum": {
          let s = 0;
          for (let j = 0; j < n; j++) s += x[start + j * inner];
          out[o * inner + i] = s;
          break;
        }
        case "max":
        case "min":
        case "argmax":
        case "argmin": {
          // NaN wins (as in PyTorch); ties keep the first index.
          const wantMax = op === "max" || op === "argmax";
          let best = x[start];
          let arg = 0;
          for (let j = 1; j < n && best === best; j++) {
            const v = x[start + j * inner];
            if (v !== v || (wantMax ? v > best : v < best)) { best = v; arg = j; }
          }
          out[o * inner + i] = op === "max" || op === "min" ? best : arg;
          break;
        }
      }
    }
  }
}

/** Softmax over the middle axis, shifted by the max so large inputs do not overflow. */
export function softmax(x: TypedArray, out: TypedArray, outer: number, n: number, inner: number, log: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const start = o * n * inner + i;
      let m = -Infinity;
      for (let j = 0; j < n; j++) { const v = x[start + j * inner]; if (v > m || v !== v) m = v; }
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.exp(x[start + j * inner] - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let j = 0; j < n; j++) out[start + j * inner] = x[start + j * inner] - lse;
      } else {
        for (let j = 0; j < n; j++) out[start + j * inner] = Math.exp(x[start + j * inner] - m) / s;
      }
    }
  }
}
