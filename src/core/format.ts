import type { Tensor } from "./tensor.js";

/** PyTorch-like printing: tensor([[1.0000, 2.0000], …], dtype=float32), summarised past 1,000 elements. */
export function formatTensor(t: Tensor): string {
  const d = t.data;
  const isInt = t.dtype === "int32";
  const summarise = d.length > 1000;
  let allInt = true;
  let maxAbs = 0;
  for (let i = 0; i < d.length; i++) {
    if (Number.isFinite(d[i])) {
      if (!Number.isInteger(d[i])) allInt = false;
      maxAbs = Math.max(maxAbs, Math.abs(d[i]));
    }
  }
  const sci = !isInt && (maxAbs >= 1e8 || (maxAbs > 0 && maxAbs < 1e-4));
  const fmt = (v: number): string => {
    if (isInt) return String(v);
    if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
    if (sci) return v.toExponential(4);
    return allInt ? `${v}.` : v.toFixed(4);
  };
  const strides: number[] = [];
  let acc = 1;
  for (let i = t.shape.length - 1; i >= 0; i--) {
    strides[i] = acc;
    acc *= t.shape[i];
  }
  const build = (dim: number, offset: number, indent: string): string => {
    if (dim === t.shape.length) return fmt(d[offset]);
    const n = t.shape[dim];
    const idx = summarise && n > 6 ? [0, 1, 2, -1, n - 3, n - 2, n - 1] : Array.from({ length: n }, (_, i) => i);
    const parts = idx.map((i) => (i < 0 ? "..." : build(dim + 1, offset + i * strides[dim], indent + " ")));
    const sep = dim === t.shape.length - 1 ? ", " : ",\n" + "\n".repeat(Math.max(0, t.shape.length - dim - 2)) + indent + " ";
    return `[${parts.join(sep)}]`;
  };
  const extras = [t.dtype !== "float32" ? `dtype=${t.dtype}` : "", t.requiresGrad ? (t.gradFn ? `gradFn=${t.gradFn.name}` : "requiresGrad=true") : ""].filter(Boolean);
  return `tensor(${build(0, 0, "       ")}${extras.length ? ", " + extras.join(", ") : ""})`;
}
