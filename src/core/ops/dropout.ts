import { fail } from "../errors.js";
import { defaultGenerator, type Generator } from "../random.js";
import type { Tensor } from "../tensor.js";
import { checkTensor, empty } from "./util.js";

/**
 * Zeroes each element with probability p and scales the rest by 1/(1−p) while training;
 * the identity otherwise. The mask comes from the seeded generator, so runs repeat.
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator: Generator = defaultGenerator): Tensor {
  checkTensor("dropout", "x", x);
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) fail("dropout", `p must be a probability in [0, 1], got ${p}`);
  if (!training || p === 0) return x;
  if (p === 1) return x.mul(0);
  const mask = empty(x.shape, x.dtype);
  const keep = 1 / (1 - p);
  const m = mask.data;
  for (let i = 0; i < m.length; i++) m[i] = generator.random24() >= p ? keep : 0;
  return x.mul(mask);
}
