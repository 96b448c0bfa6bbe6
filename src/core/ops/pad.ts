import { record } from "../autograd.js";
import { fail, fmtShape } from "../errors.js";
import { contiguousStrides } from "../shape.js";
import { type Tensor } from "../tensor.js";
import { getBackend } from "../../kernels/registry.js";
import { indexSelect } from "./indexing.js";
import { slice } from "./slice.js";
import { checkTensor, empty } from "./util.js";
import { tensor } from "./creation.js";

export interface PadOptions {
  mode?: "constant" | "reflect" | "replicate" | "circular";
  /** Fill value for mode "constant". */
  value?: number;
}

/**
 * torch.nn.functional.pad: `pads` pairs start from the last dim — [left, right] pads dim −1,
 * [left, right, top, bottom] pads dims −1 and −2, and so on. Negative pads crop.
 */
export function pad(x: Tensor, pads: readonly number[], options: PadOptions = {}): Tensor {
  checkTensor("pad", "x", x);
  const mode = options.mode ?? "constant";
  if (!Array.isArray(pads) || pads.length % 2 !== 0 || pads.length / 2 > x.ndim || !pads.every(Number.isInteger)) {
    fail("pad", `pads must be an even-length array of integers covering at most ${x.ndim} dims, got ${JSON.stringify(pads)}`);
  }
  if (!["constant", "reflect", "replicate", "circular"].includes(mode)) fail("pad", `mode must be "constant", "reflect", "replicate" or "circular", got ${JSON.stringify(mode)}`);
  const before = new Array<number>(x.ndim).fill(0);
  const after = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < pads.length / 2; i++) {
    before[x.ndim - 1 - i] = pads[2 * i];
    after[x.ndim - 1 - i] = pads[2 * i + 1];
  }
  if (mode !== "constant") return padByIndex(x, before, after, mode);

  // Crop first (negative pads), then pad the rest with the constant.
  let src = x;
  for (let d = 0; d < x.ndim; d++) {
    if (before[d] < 0 || after[d] < 0) {
      const start = Math.max(0, -before[d]);
      const end = src.shape[d] - Math.max(0, -after[d]);
      if (end < start) fail("pad", `negative pads crop more than dim ${d} of size ${x.shape[d]}`);
      src = slice(src, d, start, end);
    }
  }
  const lo = before.map((p) => Math.max(p, 0));
  const shape = src.shape.map((s, d) => s + lo[d] + Math.max(after[d], 0));
  if (lo.every((p) => p === 0) && shape.every((s, d) => s === src.shape[d])) return src;
  const out = empty(shape, src.dtype);
  const value = options.value ?? 0;
  if (value !== 0) out.data.fill(value);
  const strides = contiguousStrides(shape);
  const offset = lo.reduce((acc, p, d) => acc + p * strides[d], 0);
  getBackend().copy(src.data, 0, contiguousStrides(src.shape), out.data, offset, strides, src.shape);
  const inner = src;
  return record("pad", out, [inner], (g) => {
    let gi = g;
    for (let d = 0; d < shape.length; d++) if (shape[d] !== inner.shape[d]) gi = slice(gi, d, lo[d], lo[d] + inner.shape[d]);
    return [gi];
  });
}

/** reflect / replicate / circular pads are gathers along each dim, so their gradient comes free. */
function padByIndex(x: Tensor, before: number[], after: number[], mode: "reflect" | "replicate" | "circular"): Tensor {
  let out = x;
  for (let d = 0; d < x.ndim; d++) {
    if (before[d] === 0 && after[d] === 0) continue;
    const n = x.shape[d];
    if (before[d] < 0 || after[d] < 0) fail("pad", `mode ${mode} does not take negative pads`);
    if (mode === "reflect" && (before[d] >= n || after[d] >= n)) fail("pad", `reflect pads must be smaller than the dim they pad: dim ${d} of ${fmtShape(x.shape)} has size ${n}, pads [${before[d]},${after[d]}]`);
    if (mode === "circular" && (before[d] > n || after[d] > n)) fail("pad", `circular pads must not exceed the dim they pad: dim ${d} has size ${n}`);
    if (n === 0) fail("pad", `cannot ${mode}-pad an empty dim ${d}`);
    const idx: number[] = [];
    for (let i = -before[d]; i < n + after[d]; i++) {
      if (mode === "replicate") idx.push(Math.min(Math.max(i, 0), n - 1));
      else if (mode === "circular") idx.push(((i % n) + n) % n);
      else idx.push(i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
    }
    out = indexSelect(out, d, tensor(idx, { dtype: "int32" }));
  }
  return out;
}
