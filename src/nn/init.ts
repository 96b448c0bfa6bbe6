import { isFloat } from "../core/dtype.js";
import { fail, fmtShape } from "../core/errors.js";
import { defaultGenerator, type Generator } from "../core/random.js";
import { Tensor } from "../core/tensor.js";
import { describe } from "../core/ops/util.js";

/**
 * Weight initialisation, as torch.nn.init: every function fills a tensor in place (outside
 * autograd) from the seeded generator (`manualSeed` makes it repeat) and returns it. The
 * fan and gain conventions are PyTorch's, so the distributions match; the random streams
 * differ (PyTorch's generator is not reproduced), so the values do not.
 */

/** Options shared by the random initialisers. */
export interface InitOptions {
  /** Random source; the global seeded generator by default. */
  generator?: Generator;
}

/** The nonlinearities calculateGain knows (PyTorch's names). */
export type Nonlinearity = "linear" | "identity" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d" | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

function floatTarget(op: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) fail(op, `tensor must be a Tensor, got ${describe(t)}`);
  if (!isFloat(t.dtype)) fail(op, `tensor must be float32 or float64, got ${t.dtype}`);
  return t;
}

/**
 * The recommended gain for a nonlinearity: linear/conv/sigmoid 1, tanh 5/3, relu √2,
 * leaky_relu √(2/(1 + slope²)) (slope `param`, default 0.01), selu 3/4.
 *
 * ```ts
 * nn.init.calculateGain("tanh");   // 1.6667
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "identity": case "sigmoid":
    case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d":
      return 1;
    case "tanh": return 5 / 3;
    case "relu": return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      if (typeof slope !== "number" || !Number.isFinite(slope)) fail("calculateGain", `negative slope must be a number, got ${param}`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu": return 3 / 4;
    default: return fail("calculateGain", `unsupported nonlinearity ${JSON.stringify(nonlinearity)}`);
  }
}

/**
 * PyTorch's fans of a weight [out, in, ...kernel]: fanIn = in·∏kernel, fanOut = out·∏kernel.
 * (For ConvTranspose2d's [in, out/groups, kh, kw] this reads dim 1 as "in", as PyTorch does.)
 *
 * ```ts
 * nn.init.computeFans(conv.weight);   // [32, 1, 3, 3] → { fanIn: 9, fanOut: 288 }
 * ```
 */
export function computeFans(t: Tensor): { fanIn: number; fanOut: number } {
  if (t.ndim < 2) fail("computeFans", `fan in and fan out need a tensor with at least 2 dims, got ${fmtShape(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: t.shape[1] * receptive, fanOut: t.shape[0] * receptive };
}

/**
 * Fills with U(a, b).
 *
 * ```ts
 * nn.init.uniform_(layer.weight, -0.1, 0.1);
 * ```
 */
export function uniform_(tensor: Tensor, a = 0, b = 1, options: InitOptions = {}): Tensor {
  const t = floatTarget("uniform_", tensor);
  if (!(a <= b)) fail("uniform_", `a (${a}) must not exceed b (${b})`);
  const g = options.generator ?? defaultGenerator;
  const d = t.data;
  if (t.dtype === "float32") for (let i = 0; i < d.length; i++) d[i] = a + (b - a) * g.random24();
  else for (let i = 0; i < d.length; i++) d[i] = a + (b - a) * g.random();
  return t;
}

/**
 * Fills with N(mean, std²).
 *
 * ```ts
 * nn.init.normal_(conv.weight, 0, 0.02);   // DCGAN's initialisation
 * ```
 */
export function normal_(tensor: Tensor, mean = 0, std = 1, options: InitOptions = {}): Tensor {
  const t = floatTarget("normal_", tensor);
  if (!(std >= 0)) fail("normal_", `std must be non-negative, got ${std}`);
  const g = options.generator ?? defaultGenerator;
  const d = t.data;
  for (let i = 0; i < d.length; i++) d[i] = mean + std * g.normal();
  return t;
}

/**
 * Fills with a constant.
 *
 * ```ts
 * nn.init.constant_(lstm.getParameter("bias_ih_l0"), 0);
 * ```
 */
export function constant_(tensor: Tensor, value: number): Tensor {
  const t = floatTarget("constant_", tensor);
  if (typeof value !== "number") fail("constant_", `value must be a number, got ${describe(value)}`);
  t.data.fill(value);
  return t;
}

/**
 * Fills with 0.
 *
 * ```ts
 * nn.init.zeros_(fc.bias!);
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  return constant_(tensor, 0);
}

/**
 * Fills with 1.
 *
 * ```ts
 * nn.init.ones_(bn.weight!);
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  return constant_(tensor, 1);
}

/**
 * Glorot: U(−a, a) with a = gain·√(6/(fanIn + fanOut)).
 *
 * ```ts
 * nn.init.xavierUniform_(fc.weight, { gain: nn.init.calculateGain("tanh") });
 * ```
 */
export function xavierUniform_(tensor: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = computeFans(floatTarget("xavierUniform_", tensor));
  const a = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform_(tensor, -a, a, options);
}

/**
 * Glorot: N(0, std²) with std = gain·√(2/(fanIn + fanOut)).
 *
 * ```ts
 * nn.init.xavierNormal_(fc.weight);
 * ```
 */
export function xavierNormal_(tensor: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const { fanIn, fanOut } = computeFans(floatTarget("xavierNormal_", tensor));
  return normal_(tensor, 0, (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), options);
}

/** Options of kaimingUniform_ and kaimingNormal_. */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the rectifier after this layer (leaky_relu); 0 by default. */
  a?: number;
  /** "fanIn" (default) preserves the forward pass's variance, "fanOut" the backward's. */
  mode?: "fanIn" | "fanOut";
  /** "leaky_relu" by default (with slope `a`), as PyTorch. */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(op: string, tensor: Tensor, o: KaimingOptions): number {
  const { fanIn, fanOut } = computeFans(floatTarget(op, tensor));
  const mode = o.mode ?? "fanIn";
  if (mode !== "fanIn" && mode !== "fanOut") fail(op, `mode must be "fanIn" or "fanOut", got ${JSON.stringify(mode)}`);
  const fan = mode === "fanIn" ? fanIn : fanOut;
  if (fan === 0) return 0;
  return calculateGain(o.nonlinearity ?? "leaky_relu", o.a ?? 0) / Math.sqrt(fan);
}

/**
 * He: U(−bound, bound) with bound = gain·√(3/fan). PyTorch's Linear and Conv defaults are
 * `kaimingUniform_(w, { a: √5 })`, i.e. U(−1/√fanIn, 1/√fanIn).
 *
 * ```ts
 * nn.init.kaimingUniform_(conv.weight, { nonlinearity: "relu" });
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd("kaimingUniform_", tensor, options);
  return uniform_(tensor, -bound, bound, options);
}

/**
 * He: N(0, std²) with std = gain/√fan.
 *
 * ```ts
 * nn.init.kaimingNormal_(fc.weight, { mode: "fanOut", nonlinearity: "relu" });
 * ```
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(tensor, 0, kaimingStd("kaimingNormal_", tensor, options), options);
}

/**
 * A (semi-)orthogonal matrix from the QR decomposition of a Gaussian one, as PyTorch: the
 * tensor is viewed as [shape[0], rest]; rows (or columns, whichever are fewer) come out
 * orthonormal, times `gain`. Q's columns get the signs of R's diagonal so the result is
 * uniformly distributed.
 *
 * ```ts
 * nn.init.orthogonal_(rnn.getParameter("weight_hh_l0"));   // a classic RNN trick against exploding gradients
 * ```
 */
export function orthogonal_(tensor: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const t = floatTarget("orthogonal_", tensor);
  if (t.ndim < 2) fail("orthogonal_", `only tensors with 2 or more dims are supported, got ${fmtShape(t.shape)}`);
  const rows = t.shape[0];
  const cols = t.numel() / rows;
  if (rows === 0 || cols === 0) return t;
  const g = options.generator ?? defaultGenerator;
  // Work on the tall orientation m×n (m ≥ n), column-major columns for Gram–Schmidt.
  const [m, n] = rows < cols ? [cols, rows] : [rows, cols];
  const q: Float64Array[] = [];
  const a = Array.from({ length: n }, () => Float64Array.from({ length: m }, () => g.normal()));
  for (let j = 0; j < n; j++) {
    const v = a[j].slice();
    // Modified Gram–Schmidt, twice ("twice is enough") for orthogonality to rounding.
    for (let pass = 0; pass < 2; pass++) {
      for (const u of q) {
        let dot = 0;
        for (let i = 0; i < m; i++) dot += u[i] * v[i];
        for (let i = 0; i < m; i++) v[i] -= dot * u[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += v[i] * v[i];
    norm = Math.sqrt(norm);
    // R's diagonal entry is +norm by construction, so sign(diag(R)) is already applied.
    for (let i = 0; i < m; i++) v[i] /= norm;
    q.push(v);
  }
  const gain = options.gain ?? 1;
  const d = t.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) d[r * cols + c] = gain * (rows < cols ? q[r][c] : q[c][r]);
  }
  return t;
}
