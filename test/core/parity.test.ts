/**
 * PyTorch parity: every op nnzoo shares with PyTorch, checked against committed fixtures
 * (test/fixtures/ops/*.json, written by tools/gen_op_fixtures.py from torch 1.13; PyTorch
 * is not needed here). Each case builds the inputs, runs the op, back-propagates the
 * fixture's upstream gradient, and compares outputs and input gradients.
 *
 * Error measure, per array: max|got − want| / max(max|want|, 1e-30) (normwise relative),
 * over finite entries; non-finite entries must match exactly. Bounds: float32 1e-6,
 * float64 1e-10, int32 exact.
 */
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import * as nz from "../../src/core/index.js";
import type { DType, Tensor } from "../../src/core/index.js";

interface ArrayFx {
  dtype: DType;
  shape: number[];
  data: Array<number | string>;
}
interface InputFx extends ArrayFx {
  grad: boolean;
}
interface CaseFx {
  name: string;
  op: string;
  args: Record<string, any>;
  inputs: InputFx[];
  outputs: ArrayFx[];
  upstream?: Array<ArrayFx | null>;
  grads?: Array<ArrayFx | null>;
  /** Sums of ≥ 64 terms: float32 bound TOL_LONG_SUM_F32. */
  longSum?: boolean;
  /** "float64": the float32 reference was computed by PyTorch in float64 and rounded (see the generator). */
  reference?: string;
}

const FIXTURE_DIR = new URL("../fixtures/ops/", import.meta.url);

const TOL: Record<DType, number> = { float32: 1e-6, float64: 1e-10, int32: 0 };
/**
 * float32 bound for cases marked longSum (outputs or gradients that are sums of ≥ 64 terms:
 * a long-row sum/mean, a long-inner-dim matmul, a conv with 72-term dot products). nnzoo
 * accumulates in float64 and rounds once; PyTorch accumulates float32 sums in float32, so
 * the reference itself carries a rounding error that grows with the length of the sum.
 */
const TOL_LONG_SUM_F32 = 3e-6;

type Args = Record<string, any>;
type OpFn = (t: Tensor[], a: Args) => Tensor | Tensor[];

const binary = (f: (a: Tensor, b: Tensor | number) => Tensor): OpFn => (t, a) => f(t[0], a.other ?? t[1]);
const unary = (f: (x: Tensor) => Tensor): OpFn => (t) => f(t[0]);
const reduce = (f: (x: Tensor, dim?: number | number[], keepdim?: boolean) => Tensor): OpFn => (t, a) => f(t[0], a.dim, a.keepdim ?? false);

/** nnzoo's call for each fixture op, with the arguments in the fixture's `args`. */
const OPS: Record<string, OpFn> = {
  add: binary(nz.add), sub: binary(nz.sub), mul: binary(nz.mul), div: binary(nz.div),
  maximum: binary(nz.maximum), minimum: binary(nz.minimum),
  pow: (t, a) => nz.pow(t[0], a.exponent ?? t[1]),
  eq: binary(nz.eq), ne: binary(nz.ne), lt: binary(nz.lt), le: binary(nz.le), gt: binary(nz.gt), ge: binary(nz.ge),
  where: (t, a) => {
    const rest = t.slice(1);
    const x = a.a ?? rest.shift();
    const y = a.b ?? rest.shift();
    return nz.where(t[0], x, y);
  },
  neg: unary(nz.neg), abs: unary(nz.abs), sign: unary(nz.sign), exp: unary(nz.exp), log: unary(nz.log),
  log1p: unary(nz.log1p), sqrt: unary(nz.sqrt), rsqrt: unary(nz.rsqrt), square: unary(nz.square),
  reciprocal: unary(nz.reciprocal), sin: unary(nz.sin), cos: unary(nz.cos), erf: unary(nz.erf),
  tanh: unary(nz.tanh), sigmoid: unary(nz.sigmoid), relu: unary(nz.relu), gelu: unary(nz.gelu),
  leakyRelu: (t, a) => nz.leakyRelu(t[0], a.negativeSlope),
  elu: (t, a) => nz.elu(t[0], a.alpha),
  softplus: (t, a) => nz.softplus(t[0], a.beta, a.threshold),
  clamp: (t, a) => nz.clamp(t[0], a.min, a.max),
  dropout: (t, a) => nz.dropout(t[0], a.p, a.training),

  sum: reduce(nz.sum), mean: reduce(nz.mean), amax: reduce(nz.amax), amin: reduce(nz.amin), logsumexp: reduce(nz.logsumexp),
  var: (t, a) => nz.var(t[0], a.dim, a.options),
  std: (t, a) => nz.std(t[0], a.dim, a.options),
  max: (t, a) => (a.dim === undefined ? t[0].max() : t[0].max(a.dim, a.keepdim ?? false)),
  min: (t, a) => (a.dim === undefined ? t[0].min() : t[0].min(a.dim, a.keepdim ?? false)),
  argmax: (t, a) => nz.argmax(t[0], a.dim, a.keepdim ?? false),
  argmin: (t, a) => nz.argmin(t[0], a.dim, a.keepdim ?? false),
  softmax: (t, a) => nz.softmax(t[0], a.dim),
  logSoftmax: (t, a) => nz.logSoftmax(t[0], a.dim),

  matmul: (t) => nz.matmul(t[0], t[1]),

  reshape: (t, a) => nz.reshape(t[0], a.shape),
  flatten: (t, a) => nz.flatten(t[0], a.startDim, a.endDim),
  squeeze: (t, a) => nz.squeeze(t[0], a.dim),
  unsqueeze: (t, a) => nz.unsqueeze(t[0], a.dim),
  transpose: (t, a) => nz.transpose(t[0], a.dim0, a.dim1),
  permute: (t, a) => nz.permute(t[0], a.dims),
  expand: (t, a) => nz.expand(t[0], a.shape),
  slice: (t, a) => nz.slice(t[0], a.dim, a.start, a.end, a.step),
  narrow: (t, a) => nz.narrow(t[0], a.dim, a.start, a.length),
  select: (t, a) => nz.select(t[0], a.dim, a.index),
  index: (t, a) => nz.index(t[0], a.parts),
  flip: (t, a) => nz.flip(t[0], a.dims),
  cat: (t, a) => nz.cat(t, a.dim),
  stack: (t, a) => nz.stack(t, a.dim),
  split: (t, a) => nz.split(t[0], a.sizeOrSections, a.dim),
  chunk: (t, a) => nz.chunk(t[0], a.chunks, a.dim),

  indexSelect: (t, a) => nz.indexSelect(t[0], a.dim, t[1]),
  gather: (t, a) => nz.gather(t[0], a.dim, t[1]),
  scatterAdd: (t, a) => nz.scatterAdd(t[0], a.dim, t[1], t[2]),
  embedding: (t, a) => nz.embedding(t[0], t[1], a.paddingIdx === undefined ? {} : { paddingIdx: a.paddingIdx }),
  oneHot: (t, a) => nz.oneHot(t[0], a.numClasses, a.options),

  pad: (t, a) => nz.pad(t[0], a.pads, a.options),
  conv2d: (t, a) => nz.conv2d(t[0], t[1], t[2] ?? null, a.options),
  convTranspose2d: (t, a) => nz.convTranspose2d(t[0], t[1], t[2] ?? null, a.options),
  maxPool2d: (t, a) => nz.maxPool2d(t[0], a.kernelSize, a.options),
  avgPool2d: (t, a) => nz.avgPool2d(t[0], a.kernelSize, a.options),
  upsampleNearest2d: (t, a) => nz.upsampleNearest2d(t[0], a.options),

  arange: (_, a) => nz.arange(a.start, a.end, a.step, a.options),
  linspace: (_, a) => nz.linspace(a.start, a.end, a.steps, a.options),
  eye: (_, a) => nz.eye(a.n, a.m, a.options),
  full: (_, a) => nz.full(a.shape, a.value, a.options),
};

function numbers(fx: ArrayFx): number[] {
  return fx.data.map((v) => (typeof v === "string" ? Number(v) : v));
}

/** A typed array of the fixture's dtype: float32 decimals round to the exact stored float32. */
function typed(fx: ArrayFx): Float32Array | Float64Array | Int32Array {
  const v = numbers(fx);
  return fx.dtype === "float32" ? Float32Array.from(v) : fx.dtype === "float64" ? Float64Array.from(v) : Int32Array.from(v);
}

function toTensor(fx: InputFx): Tensor {
  return nz.tensor(typed(fx), { shape: fx.shape, dtype: fx.dtype, requiresGrad: fx.grad });
}

/** Normwise relative error over finite entries; Infinity if the non-finite entries differ. */
function relError(got: ArrayLike<number>, want: ArrayLike<number>): { err: number; at: number } {
  let maxDiff = 0, maxRef = 0, at = -1;
  for (let i = 0; i < want.length; i++) {
    const w = want[i], g = got[i];
    if (!Number.isFinite(w) || !Number.isFinite(g)) {
      if (!Object.is(w, g) && !(Number.isNaN(w) && Number.isNaN(g))) return { err: Infinity, at: i };
      continue;
    }
    const d = Math.abs(g - w);
    if (d > maxDiff) [maxDiff, at] = [d, i];
    maxRef = Math.max(maxRef, Math.abs(w));
  }
  return { err: maxDiff / Math.max(maxRef, 1e-30), at };
}

/** Worst error seen per op and dtype; written out only when NNZOO_PARITY_REPORT names a file. */
const worst = new Map<string, number>();

function check(c: CaseFx, what: string, got: Tensor | null | undefined, want: ArrayFx): void {
  const label = `${c.name}: ${what}`;
  expect(got, `${label} is missing`).toBeTruthy();
  const t = got as Tensor;
  expect(t.shape, `${label} shape`).toEqual(want.shape);
  expect(t.dtype, `${label} dtype`).toBe(want.dtype);
  const ref = typed(want);
  const { err, at } = relError(t.data, ref);
  const key = `${c.op} ${want.dtype}`;
  worst.set(key, Math.max(worst.get(key) ?? 0, err));
  const tol = want.dtype === "float32" && c.longSum ? TOL_LONG_SUM_F32 : TOL[want.dtype];
  expect(err, `${label}: relative error ${err.toExponential(2)} > ${tol} (flat index ${at}: got ${t.data[at]}, want ${ref[at]})`).toBeLessThanOrEqual(tol);
}

function runCase(c: CaseFx): void {
  const op = OPS[c.op];
  expect(op, `no nnzoo call for fixture op ${c.op}`).toBeDefined();
  const inputs = c.inputs.map(toTensor);
  const result = op(inputs, c.args);
  const outs = Array.isArray(result) ? result : [result];
  expect(outs.length, `${c.name}: number of outputs`).toBe(c.outputs.length);
  c.outputs.forEach((want, i) => check(c, `output ${i}`, outs[i], want));
  if (!c.upstream || !c.grads) return;

  const ups = c.upstream.map((u) => (u ? toTensor({ ...u, grad: false }) : null));
  const used = ups.flatMap((u, i) => (u ? [i] : []));
  if (used.length === 1) {
    outs[used[0]].backward(ups[used[0]]!);
  } else {
    // Several differentiable outputs: L = Σᵢ sum(outᵢ ⊙ upᵢ) gives each output exactly upᵢ.
    const loss = used.map((i) => outs[i].mul(ups[i]!).sum()).reduce((a, b) => a.add(b));
    loss.backward();
  }
  c.grads.forEach((want, i) => {
    if (want) check(c, `gradient of input ${i}`, inputs[i].grad, want);
  });
}

const files = readdirSync(FIXTURE_DIR).filter((f) => f.endsWith(".json")).sort();

describe("PyTorch parity fixtures", () => {
  it("are present", () => {
    expect(files.length).toBeGreaterThan(0);
  });
});

for (const file of files) {
  const doc = JSON.parse(readFileSync(new URL(file, FIXTURE_DIR), "utf8")) as { cases: CaseFx[] };
  describe(`parity ${file}`, () => {
    for (const c of doc.cases) it(c.name, () => runCase(c));
  });
}

afterAll(() => {
  const path = process.env.NNZOO_PARITY_REPORT;
  if (path) writeFileSync(path, JSON.stringify(Object.fromEntries([...worst].sort()), null, 1));
});
