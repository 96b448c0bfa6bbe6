/**
 * Strided iteration for element-wise kernels: adjacent dims that are contiguous for every
 * operand are merged, so a same-shape add runs as one flat loop and a bias add as rows.
 */

/** Merges dims and drops size-1 dims; returns the reduced shape and each operand's strides. */
export function coalesce(shape: readonly number[], strides: ReadonlyArray<readonly number[]>): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k][last] === s[d] * shape[d])) {
      outShape[last] *= shape[d];
      strides.forEach((s, k) => (outStrides[k][last] = s[d]));
    } else {
      outShape.push(shape[d]);
      strides.forEach((s, k) => outStrides[k].push(s[d]));
    }
  }
  if (outShape.length === 0) {
    outShape.push(1);
    outStrides.forEach((s) => s.push(0));
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Calls `run(offsets, length)` for every innermost run of a strided walk over `shape`;
 * offsets[k] is operand k's position at the start of the run (its stride along the run is
 * the last entry of strides[k]).
 */
export function forEachRun(shape: readonly number[], strides: readonly (readonly number[])[], base: readonly number[], run: (offsets: number[], length: number) => void): void {
  const nd = shape.length;
  const L = shape[nd - 1];
  let outer = 1;
  for (let d = 0; d < nd - 1; d++) outer *= shape[d];
  const idx = new Array<number>(Math.max(nd - 1, 0)).fill(0);
  const off = base.slice();
  for (let o = 0; o < outer; o++) {
    run(off, L);
    for (let d = nd - 2; d >= 0; d--) {
      idx[d]++;
      for (let k = 0; k < off.length; k++) off[k] += strides[k][d];
      if (idx[d] < shape[d]) break;
      for (let k = 0; k < off.length; k++) off[k] -= strides[k][d] * shape[d];
      idx[d] = 0;
    }
  }
}
