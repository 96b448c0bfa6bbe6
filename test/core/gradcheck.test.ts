import { describe, expect, it } from "vitest";
import * as nz from "../../src/index.js";
import { Generator, type Tensor } from "../../src/index.js";
import { gradcheck } from "../helpers/gradcheck.js";

/**
 * A finite-difference check in float64 for every differentiable op, on shapes with
 * broadcasting, size-1 dims and negative dims. Inputs stay away from kinks (relu at 0,
 * ties in max) where the derivative is not defined.
 */
const gen = new Generator(42);

interface Opts { lo?: number; hi?: number; away?: number; grad?: boolean }

/** Random float64 leaf in [lo, hi), optionally kept at least `away` from 0. */
function R(shape: number[], { lo = -2, hi = 2, away = 0, grad = true }: Opts = {}): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const d = Float64Array.from({ length: n }, () => {
    let v = lo + (hi - lo) * gen.random();
    if (away > 0 && Math.abs(v) < away) v = v < 0 ? v - away : v + away;
    return v;
  });
  return nz.tensor(d, { shape, dtype: "float64", requiresGrad: grad });
}

/** Distinct values (a shuffled ramp plus jitter): no ties for max/min/maxPool. */
function distinct(shape: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => i * 0.37 - n * 0.15);
  for (let i = n - 1; i > 0; i--) {
    const j = gen.randint(0, i + 1);
    [vals[i], vals[j]] = [vals[j], vals[i]];
  }
  return nz.tensor(Float64Array.from(vals), { shape, dtype: "float64", requiresGrad: true });
}

const idx = (v: number[], shape?: number[]) => nz.tensor(v, { dtype: "int32", shape: shape ?? [v.length] });

type Case = [string, () => [(...xs: Tensor[]) => Tensor, Tensor[]]];

const cases: Case[] = [
  // element-wise binary, with broadcasting
  ["add [2,3]+[3]", () => [(a, b) => a.add(b), [R([2, 3]), R([3])]]],
  ["add [4,1,3]+[2,1]", () => [(a, b) => nz.add(a, b), [R([4, 1, 3]), R([2, 1])]]],
  ["add number", () => [(a) => a.add(2.5), [R([3, 2])]]],
  ["sub [3,1]-[1,4]", () => [(a, b) => a.sub(b), [R([3, 1]), R([1, 4])]]],
  ["mul [2,3,4]*[3,1]", () => [(a, b) => a.mul(b), [R([2, 3, 4]), R([3, 1])]]],
  ["mul same tensor twice", () => [(a) => a.mul(a), [R([5])]]],
  ["div [2,3]/[2,1]", () => [(a, b) => a.div(b), [R([2, 3]), R([2, 1], { lo: 0.5, hi: 2 })]]],
  ["div number/0-d", () => [(a, b) => a.div(b), [R([4]), R([], { lo: 1, hi: 2 })]]],
  ["pow tensor^tensor", () => [(a, b) => a.pow(b), [R([2, 3], { lo: 0.5, hi: 2 }), R([3])]]],
  ["pow ^3", () => [(a) => a.pow(3), [R([2, 2])]]],
  ["pow ^-1.5", () => [(a) => a.pow(-1.5), [R([4], { lo: 0.5, hi: 2 })]]],
  ["pow ^0.5", () => [(a) => nz.pow(a, 0.5), [R([4], { lo: 0.5, hi: 2 })]]],
  ["maximum", () => [(a, b) => a.maximum(b), [distinct([3, 4]), R([4], { lo: -0.05, hi: 0.05 })]]],
  ["minimum", () => [(a, b) => nz.minimum(a, b), [distinct([2, 3]), R([2, 1], { lo: -0.05, hi: 0.05 })]]],
  ["where", () => { const c = nz.tensor([[1, 0, 1], [0, 0, 1]]); return [(a, b) => nz.where(c, a, b), [R([2, 3]), R([3])]]; }],
  ["where with number", () => { const c = nz.tensor([1, 0, 1, 0]); return [(a) => nz.where(c, a, 0), [R([4])]]; }],
  // element-wise unary
  ["neg", () => [(a) => a.neg(), [R([3, 2])]]],
  ["abs", () => [(a) => a.abs(), [R([3, 2], { away: 0.1 })]]],
  ["exp", () => [(a) => a.exp(), [R([2, 3])]]],
  ["log", () => [(a) => a.log(), [R([2, 3], { lo: 0.2, hi: 3 })]]],
  ["log1p", () => [(a) => a.log1p(), [R([5], { lo: -0.8, hi: 3 })]]],
  ["sqrt", () => [(a) => a.sqrt(), [R([5], { lo: 0.2, hi: 3 })]]],
  ["rsqrt", () => [(a) => a.rsqrt(), [R([5], { lo: 0.2, hi: 3 })]]],
  ["square", () => [(a) => a.square(), [R([2, 3])]]],
  ["reciprocal", () => [(a) => a.reciprocal(), [R([5], { away: 0.3 })]]],
  ["sin", () => [(a) => a.sin(), [R([5])]]],
  ["cos", () => [(a) => a.cos(), [R([5])]]],
  ["erf", () => [(a) => nz.erf(a), [R([7], { lo: -3, hi: 3 })]]],
  ["tanh", () => [(a) => a.tanh(), [R([2, 3])]]],
  ["sigmoid", () => [(a) => a.sigmoid(), [R([2, 3], { lo: -6, hi: 6 })]]],
  ["relu", () => [(a) => a.relu(), [R([2, 4], { away: 0.05 })]]],
  ["leakyRelu", () => [(a) => a.leakyRelu(0.2), [R([2, 4], { away: 0.05 })]]],
  ["elu", () => [(a) => a.elu(1.3), [R([2, 4], { away: 0.05 })]]],
  ["gelu", () => [(a) => a.gelu(), [R([9], { lo: -4, hi: 4 })]]],
  ["softplus", () => [(a) => a.softplus(), [R([6], { lo: -5, hi: 5 })]]],
  ["softplus beta=2 past threshold", () => [(a) => a.softplus(2, 4), [R([6], { lo: -5, hi: 5, away: 0.1 })]]],
  ["clamp", () => [(a) => a.clamp(-0.5, 0.7), [nz.tensor([-1.5, -0.3, 0.1, 0.69, 0.9, 2], { dtype: "float64", requiresGrad: true })]]],
  ["clamp min only", () => [(a) => a.clamp(0.2), [nz.tensor([-1, 0.5, 3], { dtype: "float64", requiresGrad: true })]]],
  // reductions
  ["sum all", () => [(a) => a.sum(), [R([2, 3, 2])]]],
  ["sum dim -1 keepdim", () => [(a) => a.sum(-1, true), [R([2, 3, 2])]]],
  ["sum dims [0,2]", () => [(a) => a.sum([0, 2]), [R([2, 3, 2])]]],
  ["mean dim 1", () => [(a) => a.mean(1), [R([3, 4])]]],
  ["mean all", () => [(a) => nz.mean(a), [R([3, 1, 2])]]],
  ["var dim 0 unbiased", () => [(a) => a.var(0), [R([4, 3])]]],
  ["var all correction 0", () => [(a) => a.var(undefined, { correction: 0 }), [R([3, 3])]]],
  ["std dim -1 keepdim", () => [(a) => a.std(-1, { keepdim: true }), [R([3, 4])]]],
  ["amax dim 1", () => [(a) => a.amax(1), [distinct([3, 4])]]],
  ["amin dims [0,1] keepdim", () => [(a) => a.amin([0, 1], true), [distinct([2, 3, 2])]]],
  ["max all", () => [(a) => a.max(), [distinct([3, 3])]]],
  ["max dim values", () => [(a) => a.max(0)[0], [distinct([3, 4])]]],
  ["min dim keepdim values", () => [(a) => a.min(-1, true)[0], [distinct([3, 4])]]],
  ["logsumexp dim 1", () => [(a) => a.logsumexp(1), [R([3, 5], { lo: -5, hi: 5 })]]],
  ["logsumexp all", () => [(a) => a.logsumexp(), [R([2, 3])]]],
  ["softmax dim -1", () => [(a) => a.softmax(-1), [R([3, 5])]]],
  ["softmax dim 0", () => [(a) => a.softmax(0), [R([3, 2, 2])]]],
  ["logSoftmax dim 1", () => [(a) => a.logSoftmax(1), [R([2, 4, 3])]]],
  // matmul
  ["matmul 2-D", () => [(a, b) => a.matmul(b), [R([3, 4]), R([4, 2])]]],
  ["matmul dot", () => [(a, b) => a.matmul(b), [R([4]), R([4])]]],
  ["matmul 1-D·2-D", () => [(a, b) => a.matmul(b), [R([3]), R([3, 2])]]],
  ["matmul 2-D·1-D", () => [(a, b) => a.matmul(b), [R([2, 3]), R([3])]]],
  ["matmul batch·2-D", () => [(a, b) => nz.matmul(a, b), [R([2, 3, 4]), R([4, 5])]]],
  ["matmul 2-D·batch", () => [(a, b) => nz.matmul(a, b), [R([3, 4]), R([2, 4, 2])]]],
  ["matmul broadcast batch", () => [(a, b) => nz.matmul(a, b), [R([2, 1, 3, 4]), R([3, 4, 2])]]],
  // shape
  ["reshape -1", () => [(a) => a.reshape([-1, 2]).mul(nz.arange(6).reshape([3, 2]).double()), [R([2, 3])]]],
  ["flatten 1..2", () => [(a) => a.flatten(1, 2), [R([2, 3, 2])]]],
  ["squeeze/unsqueeze", () => [(a) => a.squeeze().unsqueeze(-1), [R([2, 1, 3])]]],
  ["transpose -1,0", () => [(a) => a.transpose(-1, 0), [R([2, 3, 4])]]],
  ["permute", () => [(a) => a.permute([2, 0, 1]), [R([2, 3, 4])]]],
  ["t", () => [(a) => a.t(), [R([2, 3])]]],
  ["expand", () => [(a) => a.expand([2, 3, 4]), [R([3, 1])]]],
  ["expand -1", () => [(a) => a.expand([5, -1]), [R([1, 2])]]],
  ["flip", () => [(a) => a.flip([0, -1]), [R([2, 3])]]],
  // slicing and joining
  ["slice step 2", () => [(a) => a.slice(1, 1, null, 2), [R([2, 6])]]],
  ["slice negative step", () => [(a) => a.slice(0, -1, null, -2), [R([5, 2])]]],
  ["narrow", () => [(a) => a.narrow(-1, 1, 2), [R([3, 4])]]],
  ["select -1", () => [(a) => a.select(0, -1), [R([3, 4])]]],
  ["index", () => [(a) => a.index(":", "1:3", -1), [R([2, 4, 3])]]],
  ["index ellipsis", () => [(a) => a.index("...", 0), [R([2, 3, 2])]]],
  ["cat dim 1", () => [(a, b, c) => nz.cat([a, b, c], 1), [R([2, 1]), R([2, 3]), R([2, 2])]]],
  ["stack dim -1", () => [(a, b) => nz.stack([a, b], -1), [R([2, 3]), R([2, 3])]]],
  ["split sections", () => [(a) => { const [p, q] = a.split([1, 3], 1); return p.mul(2).add(q.sum(1, true)); }, [R([2, 4])]]],
  ["chunk", () => [(a) => { const cs = a.chunk(3, 0); return cs[0].sub(cs[2]).add(cs[1].sum()); }, [R([6, 2])]]],
  // indexing
  ["indexSelect dim 1 with repeats", () => [(a) => a.indexSelect(1, idx([2, 0, 2])), [R([2, 3])]]],
  ["gather dim 1", () => [(a) => a.gather(1, idx([0, 2, 2, 1, 0, 0], [2, 3])), [R([2, 4])]]],
  ["scatterAdd", () => [(a, s) => a.scatterAdd(0, idx([1, 0, 1, 1, 0, 0], [2, 3]), s), [R([3, 3]), R([2, 3])]]],
  ["embedding", () => [(w) => nz.embedding(idx([3, 1, 3, 0], [2, 2]), w), [R([4, 3])]]],
  // padding, convolution, pooling
  ["pad constant", () => [(a) => nz.pad(a, [1, 2, 0, 1], { value: 0.5 }), [R([2, 3])]]],
  ["pad negative", () => [(a) => nz.pad(a, [-1, 1]), [R([2, 4])]]],
  ["pad reflect", () => [(a) => nz.pad(a, [2, 1], { mode: "reflect" }), [R([1, 2, 4])]]],
  ["pad replicate", () => [(a) => nz.pad(a, [1, 1, 2, 0], { mode: "replicate" }), [R([1, 1, 2, 3])]]],
  ["pad circular", () => [(a) => nz.pad(a, [1, 2], { mode: "circular" }), [R([2, 3])]]],
  ["conv2d stride/pad/bias", () => [(x, w, b) => nz.conv2d(x, w, b, { stride: 2, padding: 1 }), [R([2, 2, 5, 4]), R([3, 2, 3, 3]), R([3])]]],
  ["conv2d dilation", () => [(x, w) => nz.conv2d(x, w, null, { dilation: 2, padding: [1, 2] }), [R([1, 1, 6, 6]), R([2, 1, 2, 3])]]],
  ["conv2d groups", () => [(x, w) => nz.conv2d(x, w, null, { groups: 2 }), [R([1, 4, 4, 4]), R([2, 2, 3, 3])]]],
  ["conv2d same (even kernel)", () => [(x, w) => nz.conv2d(x, w, null, { padding: "same" }), [R([1, 1, 4, 5]), R([1, 1, 2, 2])]]],
  ["conv2d unbatched", () => [(x, w) => nz.conv2d(x, w), [R([1, 4, 4]), R([2, 1, 3, 3])]]],
  ["convTranspose2d stride/pad/outpad/bias", () => [(x, w, b) => nz.convTranspose2d(x, w, b, { stride: 2, padding: 1, outputPadding: 1 }), [R([2, 2, 3, 3]), R([2, 3, 3, 3]), R([3])]]],
  ["convTranspose2d groups dilation", () => [(x, w) => nz.convTranspose2d(x, w, null, { groups: 2, dilation: 2 }), [R([1, 4, 3, 2]), R([4, 1, 2, 2])]]],
  ["maxPool2d", () => [(x) => nz.maxPool2d(x, 2), [distinct([1, 2, 4, 4])]]],
  ["maxPool2d stride/pad/dilation/ceil", () => [(x) => nz.maxPool2d(x, 3, { stride: 2, padding: 1, dilation: 1, ceilMode: true }), [distinct([2, 1, 5, 6])]]],
  ["avgPool2d pad", () => [(x) => nz.avgPool2d(x, 3, { stride: 2, padding: 1 }), [R([1, 2, 5, 5])]]],
  ["avgPool2d no pad count, ceil", () => [(x) => nz.avgPool2d(x, [2, 3], { stride: 2, padding: 1, countIncludePad: false, ceilMode: true }), [R([1, 1, 5, 6])]]],
  ["upsampleNearest2d ×2", () => [(x) => nz.upsampleNearest2d(x, { scaleFactor: 2 }), [R([1, 2, 2, 3])]]],
  ["upsampleNearest2d size", () => [(x) => nz.upsampleNearest2d(x, { size: [5, 4] }), [R([1, 1, 3, 3])]]],
  // the rest
  ["dropout (fixed mask)", () => [(x) => nz.dropout(x, 0.4, true, new Generator(9)), [R([4, 5])]]],
  ["clone", () => [(x) => x.clone().mul(x), [R([3])]]],
  ["a long composite: layer norm by hand", () => [(x) => { const m = x.mean(-1, true); const v = x.var(-1, { keepdim: true, correction: 0 }); return x.sub(m).div(v.add(1e-5).sqrt()); }, [R([3, 5])]]],
];

describe("finite-difference gradient checks (float64)", () => {
  for (const [name, make] of cases) {
    it(name, () => {
      const [fn, inputs] = make();
      const r = gradcheck(fn, inputs);
      expect(r.ok, r.message).toBe(true);
    });
  }

  it("covers every differentiable op exported by core", () => {
    // Names of exported ops that carry a gradient; each must appear in some case above.
    const ops = ["add", "sub", "mul", "div", "pow", "maximum", "minimum", "where", "neg", "abs", "exp", "log", "log1p", "sqrt", "rsqrt", "square",
      "reciprocal", "sin", "cos", "erf", "tanh", "sigmoid", "relu", "leakyRelu", "elu", "gelu", "softplus", "clamp", "sum", "mean", "var", "std", "amax",
      "amin", "max", "min", "logsumexp", "softmax", "logSoftmax", "matmul", "reshape", "flatten", "squeeze", "unsqueeze", "transpose", "permute", "t", "expand",
      "flip", "slice", "narrow", "select", "index", "cat", "stack", "split", "chunk", "indexSelect", "gather", "scatterAdd", "embedding", "pad", "conv2d",
      "convTranspose2d", "maxPool2d", "avgPool2d", "upsampleNearest2d", "dropout", "clone"];
    const source = cases.map(([, make]) => make.toString()).join("\n");
    const missing = ops.filter((op) => !new RegExp(`[.\\b]${op}\\(|nz\\.${op}\\(`).test(source));
    expect(missing).toEqual([]);
  });
});

describe("gradcheck itself", () => {
  it("fails on a wrong derivative", async () => {
    const { record } = await import("../../src/core/autograd.js");
    // y = x² with a deliberately wrong backward (x instead of 2x).
    const wrongSquare = (x: Tensor) => record("wrongSquare", nz.noGrad(() => x.mul(x)), [x], (g) => [g.mul(x)]);
    expect(gradcheck(wrongSquare, [R([4], { away: 0.2 })]).ok).toBe(false);
  });
});
