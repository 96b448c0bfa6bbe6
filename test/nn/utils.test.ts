import { describe, expect, it } from "vitest";
import { nn, tensor, zeros } from "../../src/index.js";
import { dec, fixture, type FTensor, relErr } from "./helpers.js";

interface ClipCase { normType: number | "inf"; maxNorm: number; grads: FTensor[]; clipped: FTensor[]; total: number }

describe("nn.utils.clipGradNorm (PyTorch parity)", () => {
  const cases = fixture<{ clip: ClipCase[] }>("modules.json").clip;
  it.each(cases.map((c) => [`norm ${c.normType}, max ${c.maxNorm}`, c] as const))("%s", (_n, c) => {
    const params = c.grads.map((g) => {
      const p = zeros(g.shape, { requiresGrad: true });
      p.grad = dec(g);
      return p;
    });
    const total = nn.utils.clipGradNorm(params, c.maxNorm, c.normType === "inf" ? Infinity : c.normType);
    expect(Math.abs(total - c.total) / c.total).toBeLessThan(1e-6);
    params.forEach((p, i) => expect(relErr(p.grad, c.clipped[i])).toBeLessThan(1e-6));
  });

  it("skips parameters without gradients and returns 0 when there are none", () => {
    const p = zeros([3], { requiresGrad: true });
    expect(nn.utils.clipGradNorm([p], 1)).toBe(0);
    p.grad = tensor([3, 4, 0]);
    expect(nn.utils.clipGradNorm([p, zeros([2], { requiresGrad: true })], 1)).toBe(5);
    expect(Array.from(p.grad.data).map((v) => +v.toFixed(5))).toEqual([0.6, 0.8, 0]);
  });

  it("reports a non-finite norm, and errors on it when asked", () => {
    const p = zeros([2], { requiresGrad: true });
    p.grad = tensor([NaN, 1]);
    expect(Number.isNaN(nn.utils.clipGradNorm([p], 1))).toBe(true);
    p.grad = tensor([Infinity, 1]);
    expect(() => nn.utils.clipGradNorm([p], 1, 2, { errorIfNonfinite: true })).toThrow("clipGradNorm: the total norm of the gradients is Infinity");
  });
});

describe("nn.utils.clipGradValue", () => {
  it("clamps every element and returns the pre-clip 2-norm", () => {
    const p = zeros([3], { requiresGrad: true });
    p.grad = tensor([3, -4, 0.5]);
    const norm = nn.utils.clipGradValue([p], 1);
    expect(norm).toBeCloseTo(Math.sqrt(25.25), 6);
    expect(Array.from(p.grad.data)).toEqual([1, -1, 0.5]);
  });
});

describe("nn.utils.padSequence", () => {
  it("pads to the longest sequence, time-major or batch-first, and passes gradients", () => {
    const a = tensor([[1, 1], [2, 2], [3, 3]], { requiresGrad: true });
    const b = tensor([[4, 4]], { requiresGrad: true });
    const tm = nn.utils.padSequence([a, b]);
    expect(tm.shape).toEqual([3, 2, 2]);
    expect(tm.toArray()).toEqual([[[1, 1], [4, 4]], [[2, 2], [0, 0]], [[3, 3], [0, 0]]]);
    const bf = nn.utils.padSequence([a, b], { batchFirst: true, paddingValue: -1 });
    expect(bf.toArray()).toEqual([[[1, 1], [2, 2], [3, 3]], [[4, 4], [-1, -1], [-1, -1]]]);
    bf.sum().backward();
    expect(b.grad!.toArray()).toEqual([[1, 1]]);
  });
});
