import { record } from "../autograd.js";
import { fail, fmtShape } from "../errors.js";
import { normDim, numel } from "../shape.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { checkInt, checkTensor, empty } from "./util.js";

/** Views a shape as [outer, shape[dim], inner]. */
function split3(shape: readonly number[], dim: number): [number, number, number] {
  return [numel(shape.slice(0, dim)), shape[dim], numel(shape.slice(dim + 1))];
}

/** Every index must lie in [0, bound); the error names the first that does not. */
function checkRange(op: string, index: Tensor, bound: number, what: string): void {
  const d = index.data;
  for (let i = 0; i < d.length; i++) {
    if (d[i] < 0 || d[i] >= bound) fail(op, `index ${d[i]} at flat position ${i} is out of range for ${what} of size ${bound}`);
  }
}

/** The entries of x at `index` (int32, 1-D) along dim. */
export function indexSelect(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor("indexSelect", "x", x);
  checkTensor("indexSelect", "index", index);
  checkInt("indexSelect", "index", index);
  if (index.ndim > 1) fail("indexSelect", `index must be 0-D or 1-D, got shape ${fmtShape(index.shape)}`);
  const d = normDim("indexSelect", dim, x.ndim);
  const [outer, n, inner] = split3(x.shape, d);
  checkRange("indexSelect", index, n, `dim ${dim}`);
  const shape = x.shape.slice();
  shape[d] = index.numel();
  const out = empty(shape, x.dtype);
  getBackend().indexSelect(x.data, index.data as Int32Array, out.data, outer, n, inner);
  return record("indexSelect", out, [x], (g) => {
    const gx = empty(x.shape, g.dtype);
    getBackend().indexAdd(gx.data, index.data as Int32Array, g.data, outer, n, inner);
    return [gx];
  });
}

/** Shape rule shared by gather and scatterAdd: index matches x on every dim but `dim`. */
function checkAlongDim(op: string, x: Tensor, index: Tensor, d: number): void {
  if (index.ndim !== x.ndim || index.shape.some((s, k) => k !== d && s !== x.shape[k])) {
    fail(op, `index has shape ${fmtShape(index.shape)} but x has ${fmtShape(x.shape)}; they must match on every dim except ${d}`);
  }
}

/** out[…, j, …] = x[…, index[…, j, …], …] along dim (torch.gather). */
export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkTensor("gather", "x", x);
  checkTensor("gather", "index", index);
  checkInt("gather", "index", index);
  const d = normDim("gather", dim, x.ndim);
  checkAlongDim("gather", x, index, d);
  const [outer, n, inner] = split3(x.shape, d);
  checkRange("gather", index, n, `dim ${dim}`);
  const m = index.shape[d] ?? 1;
  const out = empty(index.shape, x.dtype);
  getBackend().gather(x.data, index.data as Int32Array, out.data, outer, n, inner, m);
  return record("gather", out, [x], (g) => {
    const gx = empty(x.shape, g.dtype);
    getBackend().scatterAdd(gx.data, index.data as Int32Array, g.data, outer, n, inner, m);
    return [gx];
  });
}

/** A copy of x with src added at `index` along dim (torch.scatter_add, out of place). */
export function scatterAdd(x: Tensor, dim: number, index: Tensor, src: Tensor): Tensor {
  checkTensor("scatterAdd", "x", x);
  checkTensor("scatterAdd", "index", index);
  checkTensor("scatterAdd", "src", src);
  checkInt("scatterAdd", "index", index);
  const d = normDim("scatterAdd", dim, x.ndim);
  checkAlongDim("scatterAdd", x, index, d);
  if (src.ndim !== index.ndim || src.shape.some((s, k) => s !== index.shape[k])) fail("scatterAdd", `src has shape ${fmtShape(src.shape)} but index has ${fmtShape(index.shape)}; they must match`);
  if (src.dtype !== x.dtype) fail("scatterAdd", `src is ${src.dtype} but x is ${x.dtype}`);
  const [outer, n, inner] = split3(x.shape, d);
  checkRange("scatterAdd", index, n, `dim ${dim}`);
  const m = index.shape[d] ?? 1;
  const out = empty(x.shape, x.dtype);
  out.data.set(x.data);
  getBackend().scatterAdd(out.data, index.data as Int32Array, src.data, outer, n, inner, m);
  return record("scatterAdd", out, [x, src], (g) => [g, src.requiresGrad ? gather(g, d, index) : null]);
}

/**
 * Rows of weight [numEmbeddings, dim] picked by int32 indices of any shape; the result is
 * [...indices.shape, dim]. Rows at paddingIdx receive no gradient.
 */
export function embedding(indices: Tensor, weight: Tensor, options: { paddingIdx?: number | null } = {}): Tensor {
  checkTensor("embedding", "indices", indices);
  checkTensor("embedding", "weight", weight);
  checkInt("embedding", "indices", indices);
  if (weight.ndim !== 2) fail("embedding", `weight must be 2-D [numEmbeddings, embeddingDim], got ${fmtShape(weight.shape)}`);
  const [rows, dim] = weight.shape;
  checkRange("embedding", indices, rows, "the embedding table");
  let pad = options.paddingIdx ?? null;
  if (pad !== null) {
    if (!Number.isInteger(pad) || pad < -rows || pad >= rows) fail("embedding", `paddingIdx ${pad} is out of range for ${rows} embeddings`);
    if (pad < 0) pad += rows;
  }
  const flat = indices.data as Int32Array;
  const out = empty([...indices.shape, dim], weight.dtype);
  getBackend().indexSelect(weight.data, flat, out.data, 1, rows, dim);
  return record("embedding", out, [weight], (g) => {
    const gw = empty(weight.shape, g.dtype);
    getBackend().indexAdd(gw.data, flat, g.data, 1, rows, dim);
    if (pad !== null) gw.data.fill(0, pad * dim, (pad + 1) * dim);
    return [gw];
  });
}

/** One-hot rows for int32 class indices: [...indices.shape, numClasses], int32 like PyTorch (or the dtype asked for). */
export function oneHot(indices: Tensor, numClasses = -1, options: { dtype?: "int32" | "float32" | "float64" } = {}): Tensor {
  checkTensor("oneHot", "indices", indices);
  checkInt("oneHot", "indices", indices);
  const d = indices.data;
  let n = numClasses;
  if (n === -1) {
    n = 0;
    for (let i = 0; i < d.length; i++) n = Math.max(n, d[i] + 1);
  }
  if (!Number.isInteger(n) || n < 0) fail("oneHot", `numClasses must be a non-negative integer or -1, got ${numClasses}`);
  checkRange("oneHot", indices, n, "numClasses");
  const out = empty([...indices.shape, n], options.dtype ?? "int32");
  for (let i = 0; i < d.length; i++) out.data[i * n + d[i]] = 1;
  return out;
}
