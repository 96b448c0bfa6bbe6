import type { TypedArray } from "../../core/dtype.js";

/**
 * C[m,n] (+)= op(A)[m,k]·op(B)[k,n], the reference version: one output row at a time,
 * accumulated in float64. For B untransposed the row is built as a sum of scaled rows of B
 * (unit stride in the inner loop); for B transposed each entry is a dot product of rows.
 */
export function gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
  const row = new Float64Array(n);
  // A(i,p) lives at aOff + i*ai + p*ap.
  const ai = transA ? 1 : k;
  const ap = transA ? m : 1;
  for (let i = 0; i < m; i++) {
    const arow = aOff + i * ai;
    if (!transB) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const aip = a[arow + p * ap];
        const bo = bOff + p * n;
        for (let j = 0; j < n; j++) row[j] += aip * b[bo + j];
      }
    } else {
      for (let j = 0; j < n; j++) {
        const bo = bOff + j * k;
        let s = 0;
        for (let p = 0; p < k; p++) s += a[arow + p * ap] * b[bo + p];
        row[j] = s;
      }
    }
    const co = cOff + i * n;
    if (accumulate) for (let j = 0; j < n; j++) c[co + j] += row[j];
    else for (let j = 0; j < n; j++) c[co + j] = row[j];
  }
}
