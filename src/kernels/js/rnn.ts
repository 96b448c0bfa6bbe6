import type { TypedArray } from "../../core/dtype.js";
import { sigmoid } from "../../core/scalar-math.js";
import type { CellStep } from "../backend.js";

/**
 * The element-wise half of one recurrent time step (the GEMMs run in src/core/ops/rnn.ts).
 * Each kernel walks the batch rows; inside a row, unit j of gate k sits at k·H + j, which is
 * PyTorch's layout of the stacked gate weights. An inactive row (t ≥ lengths[b]) keeps its
 * state, outputs zero and passes its gradient through, as packed sequences do.
 */

const active = (s: CellStep, b: number): boolean => s.lengths === null || s.t < s.lengths[b];

/** i = σ(·), f = σ(·), g = tanh(·), o = σ(·);  c = f⊙c₋ + i⊙g;  h = o⊙tanh(c). */
export function lstmCell(gates: TypedArray, bias: TypedArray | null, cPrev: TypedArray, hPrev: TypedArray, c: TypedArray, h: TypedArray, y: TypedArray, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const r = b * H, q = 4 * r;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) { c[r + j] = cPrev[r + j]; h[r + j] = hPrev[r + j]; y[r + j] = 0; }
      gates.fill(0, q, q + 4 * H);
      continue;
    }
    for (let j = 0; j < H; j++) {
      const i = sigmoid(gates[q + j] + (bias ? bias[j] : 0));
      const f = sigmoid(gates[q + H + j] + (bias ? bias[H + j] : 0));
      const g = Math.tanh(gates[q + 2 * H + j] + (bias ? bias[2 * H + j] : 0));
      const o = sigmoid(gates[q + 3 * H + j] + (bias ? bias[3 * H + j] : 0));
      const cj = f * cPrev[r + j] + i * g;
      gates[q + j] = i; gates[q + H + j] = f; gates[q + 2 * H + j] = g; gates[q + 3 * H + j] = o;
      c[r + j] = cj;
      h[r + j] = y[r + j] = o * Math.tanh(cj);
    }
  }
}

/**
 * dh = dh₊ + dy;  dc = dc₊ + dh⊙o⊙(1 − tanh²c);
 * di = dc⊙g, df = dc⊙c₋, dg = dc⊙i, do = dh⊙tanh(c)  (times each activation's derivative);
 * dc₋ = dc⊙f.
 */
export function lstmCellBackward(act: TypedArray, cPrev: TypedArray, c: TypedArray, dy: TypedArray, dh: TypedArray, dc: TypedArray, dGates: TypedArray, dhPrev: TypedArray, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const r = b * H, q = 4 * r;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) dhPrev[r + j] = dh[r + j];
      dGates.fill(0, q, q + 4 * H);
      continue;
    }
    for (let j = 0; j < H; j++) {
      const i = act[q + j], f = act[q + H + j], g = act[q + 2 * H + j], o = act[q + 3 * H + j];
      const tc = Math.tanh(c[r + j]);
      const dhj = dh[r + j] + dy[r + j];
      const dcj = dc[r + j] + dhj * o * (1 - tc * tc);
      dGates[q + j] = dcj * g * i * (1 - i);
      dGates[q + H + j] = dcj * cPrev[r + j] * f * (1 - f);
      dGates[q + 2 * H + j] = dcj * i * (1 - g * g);
      dGates[q + 3 * H + j] = dhj * tc * o * (1 - o);
      dh[r + j] = dhj;
      dc[r + j] = dcj * f;
      dhPrev[r + j] = 0;
    }
  }
}

/** r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r⊙(W_hn·h + b_hn)), h = (1 − z)⊙n + z⊙h₋. */
export function gruCell(xg: TypedArray, hg: TypedArray, bias: TypedArray | null, hPrev: TypedArray, act: TypedArray, hn: TypedArray, h: TypedArray, y: TypedArray, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const row = b * H, q = 3 * row;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) { h[row + j] = hPrev[row + j]; y[row + j] = 0; hn[row + j] = 0; }
      act.fill(0, q, q + 3 * H);
      continue;
    }
    for (let j = 0; j < H; j++) {
      const r = sigmoid(xg[q + j] + hg[q + j] + (bias ? bias[j] : 0));
      const z = sigmoid(xg[q + H + j] + hg[q + H + j] + (bias ? bias[H + j] : 0));
      const hnj = hg[q + 2 * H + j] + (bias ? bias[2 * H + j] : 0);
      const n = Math.tanh(xg[q + 2 * H + j] + r * hnj);
      act[q + j] = r; act[q + H + j] = z; act[q + 2 * H + j] = n;
      hn[row + j] = hnj;
      h[row + j] = y[row + j] = (1 - z) * n + z * hPrev[row + j];
    }
  }
}

/**
 * dh = dh₊ + dy;  dn = dh⊙(1 − z)⊙(1 − n²);  dz = dh⊙(h₋ − n)⊙z(1 − z);  dr = dn⊙hn⊙r(1 − r);
 * ∂L/∂xg = (dr, dz, dn), ∂L/∂(hg + b_hh) = (dr, dz, dn⊙r), dh₋ (direct) = dh⊙z.
 */
export function gruCellBackward(act: TypedArray, hn: TypedArray, hPrev: TypedArray, dy: TypedArray, dh: TypedArray, dGx: TypedArray, dGh: TypedArray, dhPrev: TypedArray, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const row = b * H, q = 3 * row;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) dhPrev[row + j] = dh[row + j];
      dGx.fill(0, q, q + 3 * H);
      dGh.fill(0, q, q + 3 * H);
      continue;
    }
    for (let j = 0; j < H; j++) {
      const r = act[q + j], z = act[q + H + j], n = act[q + 2 * H + j];
      const dhj = dh[row + j] + dy[row + j];
      const dn = dhj * (1 - z) * (1 - n * n);
      const dz = dhj * (hPrev[row + j] - n) * z * (1 - z);
      const dr = dn * hn[row + j] * r * (1 - r);
      dGx[q + j] = dGh[q + j] = dr;
      dGx[q + H + j] = dGh[q + H + j] = dz;
      dGx[q + 2 * H + j] = dn;
      dGh[q + 2 * H + j] = dn * r;
      dh[row + j] = dhj;
      dhPrev[row + j] = dhj * z;
    }
  }
}

/** h = tanh(pre + b_hh) or relu(pre + b_hh). */
export function rnnCell(pre: TypedArray, bias: TypedArray | null, hPrev: TypedArray, h: TypedArray, y: TypedArray, relu: boolean, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const row = b * H;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) { h[row + j] = hPrev[row + j]; y[row + j] = 0; }
      continue;
    }
    for (let j = 0; j < H; j++) {
      const v = pre[row + j] + (bias ? bias[j] : 0);
      h[row + j] = y[row + j] = relu ? (v > 0 ? v : v !== v ? NaN : 0) : Math.tanh(v);
    }
  }
}

/** dh = dh₊ + dy;  dPre = dh⊙(1 − h²) for tanh, dh⊙[h > 0] for relu. */
export function rnnCellBackward(h: TypedArray, dy: TypedArray, dh: TypedArray, dPre: TypedArray, dhPrev: TypedArray, relu: boolean, s: CellStep): void {
  const H = s.hidden;
  for (let b = 0; b < s.batch; b++) {
    const row = b * H;
    if (!active(s, b)) {
      for (let j = 0; j < H; j++) { dhPrev[row + j] = dh[row + j]; dPre[row + j] = 0; }
      continue;
    }
    for (let j = 0; j < H; j++) {
      const hj = h[row + j];
      const dhj = dh[row + j] + dy[row + j];
      dPre[row + j] = relu ? (hj > 0 ? dhj : 0) : dhj * (1 - hj * hj);
      dh[row + j] = dhj;
      dhPrev[row + j] = 0;
    }
  }
}
