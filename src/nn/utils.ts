import { fail, fmtShape } from "../core/errors.js";
import { pad } from "../core/ops/pad.js";
import { stack } from "../core/ops/slice.js";
import { Tensor } from "../core/tensor.js";
import { describe } from "../core/ops/util.js";

/** nn.utils: gradient clipping and sequence padding, as torch.nn.utils. */

function gradsOf(op: string, parameters: Iterable<Tensor> | Tensor): Tensor[] {
  const list = parameters instanceof Tensor ? [parameters] : [...parameters];
  return list.map((p, i) => {
    if (!(p instanceof Tensor)) fail(op, `parameters[${i}] must be a Tensor, got ${describe(p)}`);
    return p.grad;
  }).filter((g): g is Tensor => g !== null);
}

function totalNorm(grads: Tensor[], normType: number): number {
  if (normType === Infinity) {
    let m = 0;
    for (const g of grads) for (let i = 0; i < g.data.length; i++) m = Math.max(m, Math.abs(g.data[i]));
    return m;
  }
  let s = 0;
  for (const g of grads) {
    const d = g.data;
    if (normType === 2) for (let i = 0; i < d.length; i++) s += d[i] * d[i];
    else for (let i = 0; i < d.length; i++) s += Math.abs(d[i]) ** normType;
  }
  return s ** (1 / normType);
}

/**
 * Rescales the gradients of `parameters` in place so that their total norm (all gradients
 * seen as one vector) is at most maxNorm: when ‖g‖ > maxNorm, g ← g·maxNorm/(‖g‖ + 1e−6).
 * Returns the total norm before clipping (log it; a non-finite value means divergence).
 *
 * - parameters: tensors (those with grad null are skipped); `maxNorm`; `normType` 2 (default),
 *   any p > 0, or Infinity; options `{ errorIfNonfinite = false }`
 *
 * ```ts
 * loss.backward();
 * const norm = nn.utils.clipGradNorm(model.parameters(), 5);
 * opt.step();
 * ```
 */
export function clipGradNorm(parameters: Iterable<Tensor> | Tensor, maxNorm: number, normType = 2, options: { errorIfNonfinite?: boolean } = {}): number {
  const op = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm >= 0)) fail(op, `maxNorm must be a non-negative number, got ${maxNorm}`);
  if (typeof normType !== "number" || !(normType > 0)) fail(op, `normType must be a positive number or Infinity, got ${normType}`);
  const grads = gradsOf(op, parameters);
  if (grads.length === 0) return 0;
  const norm = totalNorm(grads, normType);
  if (options.errorIfNonfinite && !Number.isFinite(norm)) fail(op, `the total norm of the gradients is ${norm}; set errorIfNonfinite false to clip anyway`);
  const coef = maxNorm / (norm + 1e-6);
  const scale = coef > 1 ? 1 : coef; // NaN stays NaN, as in PyTorch
  if (scale !== 1) {
    for (const g of grads) {
      const c = g.dtype === "float32" ? Math.fround(scale) : scale;
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] *= c;
    }
  }
  return norm;
}

/**
 * Clamps every gradient element of `parameters` to [−clipValue, clipValue] in place.
 * Returns the total 2-norm of the gradients before clipping.
 *
 * ```ts
 * nn.utils.clipGradValue(model.parameters(), 1);
 * ```
 */
export function clipGradValue(parameters: Iterable<Tensor> | Tensor, clipValue: number): number {
  const op = "clipGradValue";
  if (typeof clipValue !== "number" || !(clipValue >= 0)) fail(op, `clipValue must be a non-negative number, got ${clipValue}`);
  const grads = gradsOf(op, parameters);
  const norm = totalNorm(grads, 2);
  for (const g of grads) {
    const d = g.data;
    for (let i = 0; i < d.length; i++) d[i] = d[i] > clipValue ? clipValue : d[i] < -clipValue ? -clipValue : d[i];
  }
  return norm;
}

/**
 * Stacks sequences of different lengths into one padded tensor (torch's pad_sequence);
 * pair it with the lengths option of RNN/LSTM/GRU.
 *
 * - sequences: tensors `[time_i, ...features]` (same feature shape); options
 *   `{ batchFirst = false, paddingValue = 0 }`
 * - output `[maxTime, batch, ...features]` (batchFirst: `[batch, maxTime, ...features]`)
 *
 * ```ts
 * const x = nn.utils.padSequence([a, b, c], { batchFirst: true });   // [3, maxT, 64]
 * const [out] = lstm.forward(x, null, { lengths: [a.shape[0], b.shape[0], c.shape[0]] });
 * ```
 */
export function padSequence(sequences: readonly Tensor[], options: { batchFirst?: boolean; paddingValue?: number } = {}): Tensor {
  const op = "padSequence";
  if (!Array.isArray(sequences) || sequences.length === 0) fail(op, "sequences must be a non-empty array of tensors");
  sequences.forEach((s, i) => {
    if (!(s instanceof Tensor)) fail(op, `sequences[${i}] must be a Tensor, got ${describe(s)}`);
    if (s.ndim < 1) fail(op, `sequences[${i}] must be [time, ...], got ${fmtShape(s.shape)}`);
    const f0 = sequences[0].shape.slice(1), fi = s.shape.slice(1);
    if (fi.length !== f0.length || fi.some((v, k) => v !== f0[k])) fail(op, `sequences[${i}] has features ${fmtShape(fi)} but sequences[0] has ${fmtShape(f0)}`);
  });
  const maxT = Math.max(...sequences.map((s) => s.shape[0]));
  const padded = sequences.map((s) => {
    const pads = new Array<number>(2 * s.ndim).fill(0);
    pads[2 * s.ndim - 1] = maxT - s.shape[0]; // pads go from the last dim; the final pair is dim 0
    return pads[2 * s.ndim - 1] === 0 ? s : pad(s, pads, { value: options.paddingValue ?? 0 });
  });
  return stack(padded, options.batchFirst ? 0 : 1);
}
