import { readFileSync } from "node:fs";
import { noGrad, randn, tensor, type DType, type Tensor } from "../../src/index.js";

/** Shared by the nn tests: fixture decoding, error measures and a float64 gradient check. */

export interface FTensor {
  shape: number[];
  dtype: DType;
  data: number[];
}

const cache = new Map<string, unknown>();

/** A fixture from test/fixtures/nn (made by tools/gen_nn_fixtures.py with PyTorch). */
export function fixture<T = any>(name: string): T {
  if (!cache.has(name)) cache.set(name, JSON.parse(readFileSync(new URL(`../fixtures/nn/${name}`, import.meta.url), "utf8")));
  return cache.get(name) as T;
}

/** A fixture tensor as a Tensor (own storage). */
export function dec(f: FTensor, requiresGrad = false): Tensor {
  const data = f.dtype === "float64" ? Float64Array.from(f.data) : f.dtype === "int32" ? Int32Array.from(f.data) : Float32Array.from(f.data);
  return tensor(data, { shape: f.shape, dtype: f.dtype, requiresGrad });
}

/** Normwise relative error ‖got − want‖₂ / ‖want‖₂ (absolute when want is ~0); shape mismatch is Infinity. */
export function relErr(got: Tensor | null | undefined, want: FTensor): number {
  if (!got) return Infinity;
  if (got.shape.length !== want.shape.length || got.shape.some((s, i) => s !== want.shape[i])) return Infinity;
  let d = 0, n = 0;
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i], b = want.data[i];
    if (Number.isNaN(a) !== Number.isNaN(b)) return Infinity;
    if (Number.isNaN(a)) continue;
    d += (a - b) * (a - b);
    n += b * b;
  }
  return n < 1e-12 ? Math.sqrt(d) : Math.sqrt(d / n);
}

/** Tolerance by dtype: 1e-5 normwise for float32, 1e-10 for float64. */
export function tolerance(dtype: string): number {
  return dtype === "float64" ? 1e-10 : 1e-5;
}

/** Σ ⟨out_k, g_k⟩, the scalar whose gradients the fixtures hold. */
export function dotLoss(pairs: Array<[Tensor, Tensor]>): Tensor {
  let loss: Tensor | null = null;
  for (const [o, g] of pairs) {
    const term = o.mul(g).sum();
    loss = loss === null ? term : loss.add(term);
  }
  return loss!;
}

/** Worst errors per parity case, printed by the suites so the numbers can be reported. */
export class ParityReport {
  readonly rows: Array<{ name: string; worst: number; what: string; tol: number }> = [];

  add(name: string, errors: Record<string, number>, tol: number): void {
    let worst = 0, what = "";
    for (const [k, v] of Object.entries(errors)) if (v > worst || what === "") [worst, what] = [v, k];
    this.rows.push({ name, worst, what, tol });
  }

  print(title: string): void {
    const byDtype = (f64: boolean) => this.rows.filter((r) => (r.tol < 1e-6) === f64);
    const lines = [`${title}: ${this.rows.length} cases`];
    for (const f64 of [false, true]) {
      const rows = byDtype(f64);
      if (rows.length === 0) continue;
      const worst = rows.reduce((a, b) => (b.worst > a.worst ? b : a));
      lines.push(`  ${f64 ? "float64" : "float32"}: ${rows.length} cases, worst ${worst.worst.toExponential(2)} (${worst.name}: ${worst.what})`);
    }
    if (process.env.NN_PARITY_VERBOSE) for (const r of this.rows) lines.push(`    ${r.name.padEnd(40)} ${r.worst.toExponential(2)} ${r.what}`);
    console.log(lines.join("\n"));
  }
}

/**
 * Central-difference gradient check in float64. `f` maps the current values of `inputs`
 * (float64 leaves) to a tensor; L = Σ out⊙R for a fixed random R. For each input, up to
 * `maxPerTensor` entries are perturbed by ±eps and compared with backward's gradient:
 * |numeric − analytic| ≤ atol + rtol·|numeric|. Returns the worst violation ratio (≤ 1 passes).
 */
export function gradcheck(f: () => Tensor, inputs: Tensor[], options: { eps?: number; atol?: number; rtol?: number; maxPerTensor?: number } = {}): number {
  const eps = options.eps ?? 1e-6, atol = options.atol ?? 1e-7, rtol = options.rtol ?? 1e-5, maxPer = options.maxPerTensor ?? 24;
  for (const x of inputs) {
    if (x.dtype !== "float64") throw new Error(`gradcheck: inputs must be float64, got ${x.dtype}`);
    x.grad = null;
  }
  const out0 = f();
  const R = randn(out0.shape as number[], { dtype: "float64" });
  out0.mul(R).sum().backward();
  const scalar = () => noGrad(() => f().mul(R).sum().item());
  let worst = 0;
  inputs.forEach((x, k) => {
    const n = x.numel();
    const picks = n <= maxPer ? [...Array(n).keys()] : Array.from({ length: maxPer }, (_, i) => Math.floor(((i + 0.5) * n) / maxPer));
    for (const i of picks) {
      const v = x.data[i];
      x.data[i] = v + eps;
      const up = scalar();
      x.data[i] = v - eps;
      const down = scalar();
      x.data[i] = v;
      const numeric = (up - down) / (2 * eps);
      const analytic = x.grad ? x.grad.data[i] : 0;
      const ratio = Math.abs(numeric - analytic) / (atol + rtol * Math.abs(numeric));
      if (!(ratio <= worst)) worst = Number.isNaN(ratio) ? Infinity : Math.max(worst, ratio);
      if (ratio > 1 && process.env.NN_GRADCHECK_VERBOSE) console.log(`input ${k}[${i}]: numeric ${numeric}, analytic ${analytic}`);
    }
  });
  return worst;
}
