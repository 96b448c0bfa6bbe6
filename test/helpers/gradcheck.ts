import { Generator, noGrad, Tensor, tensor } from "../../src/index.js";

export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic − numeric| / (atol + rtol·|numeric|) over all checked entries (≤ 1 passes). */
  worst: number;
  message: string;
}

/**
 * Central finite differences in float64 against the analytic gradient. The output is
 * reduced with a fixed random projection L = Σ y·r so every output entry matters.
 * Inputs must be float64 leaves; those with requiresGrad are checked.
 */
export function gradcheck(fn: (...xs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const x of inputs) if (x.requiresGrad && x.dtype !== "float64") throw new Error("gradcheck: differentiable inputs must be float64");
  const y0 = noGrad(() => fn(...inputs));
  const gen = new Generator(1234);
  const r = tensor(Float64Array.from({ length: y0.numel() }, () => gen.normal()), { shape: y0.shape, dtype: "float64" });
  const loss = (): number => noGrad(() => {
    const y = fn(...inputs);
    let s = 0;
    for (let i = 0; i < y.data.length; i++) s += y.data[i] * r.data[i];
    return s;
  });

  for (const x of inputs) x.grad = null;
  const y = fn(...inputs);
  y.backward(r.to(y.dtype));

  let worst = 0;
  let message = "ok";
  inputs.forEach((x, k) => {
    if (!x.requiresGrad) return;
    const analytic = x.grad?.data ?? new Float64Array(x.numel());
    for (let i = 0; i < x.data.length; i++) {
      const orig = x.data[i];
      x.data[i] = orig + eps;
      const plus = loss();
      x.data[i] = orig - eps;
      const minus = loss();
      x.data[i] = orig;
      const numeric = (plus - minus) / (2 * eps);
      const ratio = Math.abs(analytic[i] - numeric) / (atol + rtol * Math.abs(numeric));
      if (!(ratio <= worst)) {
        worst = Number.isNaN(ratio) ? Infinity : ratio;
        if (worst > 1) message = `input ${k} element ${i}: analytic ${analytic[i]} vs numeric ${numeric}`;
      }
    }
  });
  return { ok: worst <= 1, worst, message };
}
