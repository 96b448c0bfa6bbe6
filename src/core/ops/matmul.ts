import { record } from "../autograd.js";
import { promoteTypes } from "../dtype.js";
import { fail, fmtShape } from "../errors.js";
import { broadcastShapes, numel } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { sumTo } from "./binary.js";
import { checkTensor, empty } from "./util.js";

/**
 * torch.matmul: 1-D·1-D is a dot product; a 1-D operand gains a unit dim that is removed
 * afterwards; ≥3-D operands are batches of matrices whose batch dims broadcast.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor("matmul", "a", a);
  checkTensor("matmul", "b", b);
  if (a.ndim === 0 || b.ndim === 0) fail("matmul", `both arguments need at least one dimension, got a ${fmtShape(a.shape)} and b ${fmtShape(b.shape)}`);
  const a2 = a.ndim === 1 ? a.unsqueeze(0) : a;
  const b2 = b.ndim === 1 ? b.unsqueeze(-1) : b;
  const ka = a2.shape[a2.ndim - 1];
  const kb = b2.shape[b2.ndim - 2];
  if (ka !== kb) fail("matmul", `a is ${fmtShape(a.shape)} and b is ${fmtShape(b.shape)}; inner dimensions ${ka} and ${kb} differ`);
  let out = mm(a2, b2, false, false);
  if (a.ndim === 1) out = out.squeeze(-2);
  if (b.ndim === 1) out = out.squeeze(-1);
  return out;
}

/**
 * op(a)·op(b) for ≥2-D operands with broadcast batch dims, where op transposes the last
 * two dims when asked — without materialising the transpose. Backward is mm again, so
 * transposed products never copy either.
 */
export function mm(a: Tensor, b: Tensor, transA: boolean, transB: boolean): Tensor {
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transA ? [ac, ar] : [ar, ac];
  const [kb, n] = transB ? [bc, br] : [br, bc];
  if (k !== kb) fail("matmul", `inner dimensions ${k} and ${kb} differ`);
  const dtype = promoteTypes(a.dtype, b.dtype);
  if (a.dtype !== dtype) a = a.to(dtype);
  if (b.dtype !== dtype) b = b.to(dtype);
  const be = getBackend();

  // A batch times one matrix is one tall product: fold the batch into the rows of a.
  if (b.ndim === 2 && a.ndim > 2 && !transA) {
    const rows = numel(a.shape.slice(0, -1));
    return mm(a.reshape([rows, ac]), b, false, transB).reshape([...a.shape.slice(0, -1), n]);
  }

  const batch = broadcastShapes("matmul", a.shape.slice(0, -2), b.shape.slice(0, -2), ["a's batch dims", "b's batch dims"]);
  const out = empty([...batch, m, n], dtype);
  const nb = numel(batch);
  const aIdx = batchOffsets(a.shape.slice(0, -2), batch, ar * ac);
  const bIdx = batchOffsets(b.shape.slice(0, -2), batch, br * bc);
  for (let i = 0; i < nb; i++) be.gemm(a.data, aIdx[i], b.data, bIdx[i], out.data, i * m * n, m, n, k, transA, transB, false);

  return record("matmul", out, [a, b], (g) => {
    // C = op(A)·op(B):  dop(A) = G·op(B)ᵀ,  dop(B) = op(A)ᵀ·G; transpose back when op transposed.
    const ga = a.requiresGrad ? (transA ? mm(b, g, transB, true) : mm(g, b, false, !transB)) : null;
    const gb = b.requiresGrad ? (transB ? mm(g, a, true, transA) : mm(a, g, !transA, false)) : null;
    return [ga && sumTo(ga, a.shape), gb && sumTo(gb, b.shape)];
  });
}

/** Element offset of each broadcast batch entry into an operand with batch dims `own`. */
function batchOffsets(own: readonly number[], batch: readonly number[], matrixSize: number): number[] {
  const nb = numel(batch);
  const offsets = new Array<number>(nb);
  const lead = batch.length - own.length;
  for (let i = 0; i < nb; i++) {
    let rem = i;
    let off = 0;
    let stride = matrixSize;
    for (let d = batch.length - 1; d >= 0; d--) {
      const idx = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      if (d >= lead) {
        const size = own[d - lead];
        if (size !== 1) off += idx * stride;
        stride *= size;
      }
    }
    offsets[i] = off;
  }
  return offsets;
}
