import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import { fail } from "../errors.js";
import { record } from "../autograd.js";
import type { Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { empty } from "./util.js";

/** Converts dtype; float→int truncates toward zero. Gradients flow between float types only. */
export function castTo(x: Tensor, dtype: DType): Tensor {
  if (dtype !== "float32" && dtype !== "float64" && dtype !== "int32") fail("to", `dtype must be "float32", "float64" or "int32", got ${JSON.stringify(dtype)}`);
  const y = empty(x.shape, dtype);
  getBackend().unary("cast", x.data, y.data);
  if (!isFloat(dtype)) return y;
  return record("to", y, [x], (g) => [castTo(g, x.dtype)]);
}

/** A copy with its own storage. */
export function cloneOp(x: Tensor): Tensor {
  const y = empty(x.shape, x.dtype);
  y.data.set(x.data);
  return record("clone", y, [x], (g) => [g]);
}
