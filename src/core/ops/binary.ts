import { record } from "../autograd.js";
import { type DType, promoteTypes } from "../dtype.js";
import { fail } from "../errors.js";
import { broadcastShapes, broadcastStrides, type Shape, sameShape } from "../shape.js";
import { Tensor } from "../tensor.js";
import type { BinaryOp } from "../../kernels/backend.js";
import { getBackend } from "../../kernels/registry.js";
import { sum } from "./reduce.js";
import { powScalar } from "./unary.js";
import { checkTensor, empty, toOperand } from "./util.js";

type Other = Tensor | number;

/** Broadcasts a and b, runs the kernel, and returns [a, b, out] with numbers made tensors. */
function compute(op: BinaryOp, a: Tensor, b: Other, outDtype?: (d: DType) => DType): [Tensor, Tensor, Tensor] {
  checkTensor(op, "a", a);
  const y = toOperand(op, "b", b, a);
  const shape = broadcastShapes(op, a.shape, y.shape);
  const promoted = promoteTypes(a.dtype, y.dtype);
  const out = empty(shape, outDtype ? outDtype(promoted) : promoted);
  getBackend().binary(op, a.data, broadcastStrides(a.shape, shape), y.data, broadcastStrides(y.shape, shape), out.data, shape);
  return [a, y, out];
}

/**
 * Broadcasting's gradient rule, in one place: sums g over the dims that broadcasting
 * added or stretched, so the result has `shape`.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  return sum(g, dims, true).reshape(shape);
}

export function add(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("add", a, b);
  return record("add", out, [x, y], (g) => [x.requiresGrad ? sumTo(g, x.shape) : null, y.requiresGrad ? sumTo(g, y.shape) : null]);
}

export function sub(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("sub", a, b);
  return record("sub", out, [x, y], (g) => [x.requiresGrad ? sumTo(g, x.shape) : null, y.requiresGrad ? sumTo(g.neg(), y.shape) : null]);
}

export function mul(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("mul", a, b);
  return record("mul", out, [x, y], (g) => [x.requiresGrad ? sumTo(g.mul(y), x.shape) : null, y.requiresGrad ? sumTo(g.mul(x), y.shape) : null]);
}

/** True division: int32 / int32 gives float32, as in PyTorch. */
export function div(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("div", a, b, (d) => (d === "int32" ? "float32" : d));
  return record("div", out, [x, y], (g) => [
    x.requiresGrad ? sumTo(g.div(y), x.shape) : null,
    y.requiresGrad ? sumTo(g.mul(out).div(y).neg(), y.shape) : null,
  ]);
}

/** a^b; a number exponent takes the cheaper scalar path. Gradients masked as PyTorch does at b = 0 and a = 0. */
export function pow(a: Tensor, b: Other): Tensor {
  if (typeof b === "number") {
    checkTensor("pow", "a", a);
    return powScalar(a, b);
  }
  const [x, y, out] = compute("pow", a, b);
  return record("pow", out, [x, y], (g) => [
    x.requiresGrad ? sumTo(where(y.eq(0), 0, g.mul(y).mul(x.pow(y.sub(1)))), x.shape) : null,
    y.requiresGrad ? sumTo(where(x.eq(0).mul(y.ge(0)), 0, g.mul(out).mul(x.log())), y.shape) : null,
  ]);
}

/** Element-wise max; where a == b each side gets half the gradient (PyTorch's rule). */
export function maximum(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("maximum", a, b);
  return record("maximum", out, [x, y], (g) => {
    const half = g.mul(0.5);
    const tie = x.eq(y);
    return [
      x.requiresGrad ? sumTo(where(tie, half, g.mul(x.gt(y))), x.shape) : null,
      y.requiresGrad ? sumTo(where(tie, half, g.mul(y.gt(x))), y.shape) : null,
    ];
  });
}

export function minimum(a: Tensor, b: Other): Tensor {
  const [x, y, out] = compute("minimum", a, b);
  return record("minimum", out, [x, y], (g) => {
    const half = g.mul(0.5);
    const tie = x.eq(y);
    return [
      x.requiresGrad ? sumTo(where(tie, half, g.mul(x.lt(y))), x.shape) : null,
      y.requiresGrad ? sumTo(where(tie, half, g.mul(y.lt(x))), y.shape) : null,
    ];
  });
}

// Comparisons give float32 masks of 0 and 1 (no gradient), so `pred.eq(y).mean()` is an accuracy.
const mask = (op: BinaryOp) => (a: Tensor, b: Other): Tensor => compute(op, a, b, () => "float32")[2];
export const eq = mask("eq");
export const ne = mask("ne");
export const lt = mask("lt");
export const le = mask("le");
export const gt = mask("gt");
export const ge = mask("ge");

/** cond != 0 ? a : b, broadcasting all three. */
export function where(cond: Tensor, a: Other, b: Other): Tensor {
  checkTensor("where", "cond", cond);
  if (typeof a === "number" && typeof b === "number") fail("where", "at least one of a and b must be a Tensor");
  const ref = a instanceof Tensor ? a : (b as Tensor);
  const x = toOperand("where", "a", a, ref);
  const y = toOperand("where", "b", b, ref);
  const shape = broadcastShapes("where", broadcastShapes("where", cond.shape, x.shape, ["cond", "a"]), y.shape, ["cond/a", "b"]);
  const out = empty(shape, promoteTypes(x.dtype, y.dtype));
  getBackend().where(cond.data, broadcastStrides(cond.shape, shape), x.data, broadcastStrides(x.shape, shape), y.data, broadcastStrides(y.shape, shape), out.data, shape);
  return record("where", out, [x, y], (g) => [
    x.requiresGrad ? sumTo(where(cond, g, 0), x.shape) : null,
    y.requiresGrad ? sumTo(where(cond, 0, g), y.shape) : null,
  ]);
}
