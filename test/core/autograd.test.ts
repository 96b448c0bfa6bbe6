import { describe, expect, it } from "vitest";
import { noGrad, ones, tensor, zeros, type Tensor, isGradEnabled } from "../../src/index.js";

describe("autograd", () => {
  it("accumulates gradients from every use of a tensor", () => {
    const x = tensor([2, 3], { requiresGrad: true });
    const y = x.mul(x).add(x.mul(3)).sum(); // dy/dx = 2x + 3
    y.backward();
    expect(Array.from(x.grad!.data)).toEqual([7, 9]);
  });

  it("accumulates into .grad across backward calls, and grads own their storage", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const z = tensor([5, 5], { requiresGrad: true });
    x.add(z).sum().backward(); // both receive the same upstream gradient object
    x.add(z).sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([2, 2]);
    expect(x.grad!.data).not.toBe(z.grad!.data);
    expect(Array.from(z.grad!.data)).toEqual([2, 2]);
  });

  it("back-propagates through 10,000 chained ops without overflowing the stack", () => {
    const x = tensor([1], { dtype: "float64", requiresGrad: true });
    let h: Tensor = x;
    for (let i = 0; i < 10_000; i++) h = h.mul(0.9999).add(0);
    h.sum().backward();
    expect(x.grad!.item()).toBeCloseTo(Math.pow(0.9999, 10_000), 12);
  });

  it("rejects a second backward through a freed graph, and allows it with retainGraph", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const y = x.exp().sum();
    y.backward(undefined, { retainGraph: true });
    expect(() => y.backward()).not.toThrow();
    expect(() => y.backward()).toThrow(/backward through the graph a second time.*sum.*retainGraph/);
  });

  it("needs an explicit gradient for non-scalar outputs", () => {
    const x = tensor([[1, 2], [3, 4]], { requiresGrad: true });
    const y = x.mul(2);
    expect(() => y.backward()).toThrow("backward: grad can be omitted only for scalar outputs; this output has shape [2,2]");
    expect(() => y.backward(ones([3]))).toThrow("backward: grad has shape [3] but the output has shape [2,2]");
    y.backward(tensor([[1, 0], [0, 1]]));
    expect(x.grad!.toArray()).toEqual([[2, 0], [0, 2]]);
  });

  it("says why a tensor without a graph cannot backward", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => noGrad(() => x.mul(2)).sum().backward()).toThrow(/does not require grad/);
    expect(() => x.argmax().backward()).toThrow(/does not require grad/);
  });

  it("noGrad records nothing, nests, and restores the previous state even on throw", () => {
    const x = tensor([1], { requiresGrad: true });
    const y = noGrad(() => noGrad(() => x.mul(2)));
    expect(y.requiresGrad).toBe(false);
    expect(() => noGrad(() => { throw new Error("boom"); })).toThrow("boom");
    expect(isGradEnabled()).toBe(true);
    expect(x.mul(2).requiresGrad).toBe(true);
  });

  it("propagates requiresGrad only from inputs that require it", () => {
    const a = tensor([1, 2]);
    const b = tensor([3, 4], { requiresGrad: true });
    expect(a.add(1).requiresGrad).toBe(false);
    expect(a.add(b).requiresGrad).toBe(true);
    a.mul(b).sum().backward();
    expect(a.grad).toBeNull();
    expect(Array.from(b.grad!.data)).toEqual([1, 2]);
  });

  it("keeps non-leaf gradients only on request (retainGrad)", () => {
    const x = tensor([1, 2, 3], { requiresGrad: true });
    const h = x.mul(2).retainGrad();
    const k = h.mul(3);
    k.sum().backward();
    expect(Array.from(h.grad!.data)).toEqual([3, 3, 3]);
    expect(k.grad).toBeNull();
  });

  it("refuses gradients on integer tensors and un-requiring a non-leaf", () => {
    expect(() => zeros([2], { dtype: "int32", requiresGrad: true })).toThrow("requiresGrad: only floating-point tensors can require gradients, got int32");
    const y = tensor([1], { requiresGrad: true }).mul(2);
    expect(() => { y.requiresGrad = false; }).toThrow(/non-leaf/);
  });

  it("casts gradients back to each input's dtype", () => {
    const a = tensor([1, 2], { requiresGrad: true }); // float32
    const b = tensor([3, 4], { dtype: "float64", requiresGrad: true });
    const y = a.mul(b).sum(); // float64
    expect(y.dtype).toBe("float64");
    y.backward();
    expect(a.grad!.dtype).toBe("float32");
    expect(Array.from(a.grad!.data)).toEqual([3, 4]);
  });

  it("detach cuts the graph but shares storage", () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const d = x.detach();
    expect(d.requiresGrad).toBe(false);
    d.data[0] = 10;
    expect(x.data[0]).toBe(10);
  });
});
