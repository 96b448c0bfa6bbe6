// Fused recurrent cells (the element-wise half of one time step; see src/kernels/js/rnn.ts for
// the reference and src/kernels/backend.ts for the contracts). Rows b < batch of H units; gate
// k of unit j sits at k·H + j in a row. Inside a row, units go four at a time, the last few
// through the same code on splatted scalars, so no store ever crosses into the next gate.
// `lengths` is 0 or the address of batch i32s: a row is inactive at step t ≥ lengths[b].

import { vsigmoid, vtanh } from "./vmath";

// @ts-ignore: decorator
@inline
function ld(p: usize, vec: bool): v128 {
  return vec ? v128.load(p) : f32x4.splat(load<f32>(p));
}

// @ts-ignore: decorator
@inline
function st(p: usize, v: v128, vec: bool): void {
  if (vec) v128.store(p, v);
  else store<f32>(p, f32x4.extract_lane(v, 0));
}

// @ts-ignore: decorator
@inline
function ldb(bias: usize, off: usize, vec: bool): v128 {
  return bias == 0 ? f32x4.splat(0) : ld(bias + off, vec);
}

// @ts-ignore: decorator
@inline
function active(lengths: usize, b: i32, t: i32): bool {
  return lengths == 0 || t < load<i32>(lengths + <usize>b * 4);
}

// @ts-ignore: decorator
@inline
function one(): v128 {
  return f32x4.splat(1);
}

// ---- LSTM -----------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function lstmUnit(gates: usize, bias: usize, cPrev: usize, c: usize, h: usize, y: usize, q: usize, r: usize, j: usize, H: usize, vec: bool): void {
  const gi = gates + (q + j) * 4, gf = gi + H * 4, gg = gf + H * 4, go = gg + H * 4;
  const i = vsigmoid(f32x4.add(ld(gi, vec), ldb(bias, j * 4, vec)));
  const f = vsigmoid(f32x4.add(ld(gf, vec), ldb(bias, (H + j) * 4, vec)));
  const g = vtanh(f32x4.add(ld(gg, vec), ldb(bias, (2 * H + j) * 4, vec)));
  const o = vsigmoid(f32x4.add(ld(go, vec), ldb(bias, (3 * H + j) * 4, vec)));
  const cj = f32x4.add(f32x4.mul(f, ld(cPrev + (r + j) * 4, vec)), f32x4.mul(i, g));
  st(gi, i, vec); st(gf, f, vec); st(gg, g, vec); st(go, o, vec);
  st(c + (r + j) * 4, cj, vec);
  const hj = f32x4.mul(o, vtanh(cj));
  st(h + (r + j) * 4, hj, vec);
  st(y + (r + j) * 4, hj, vec);
}

export function lstmCell(gates: usize, bias: usize, cPrev: usize, hPrev: usize, c: usize, h: usize, y: usize,
                         batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H, q = 4 * r;
    if (!active(lengths, b, t)) {
      memory.copy(c + r * 4, cPrev + r * 4, H * 4);
      memory.copy(h + r * 4, hPrev + r * 4, H * 4);
      memory.fill(y + r * 4, 0, H * 4);
      memory.fill(gates + q * 4, 0, 4 * H * 4);
      continue;
    }
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) lstmUnit(gates, bias, cPrev, c, h, y, q, r, j, H, true);
    for (; j < H; j++) lstmUnit(gates, bias, cPrev, c, h, y, q, r, j, H, false);
  }
}

// @ts-ignore: decorator
@inline
function lstmBackUnit(act: usize, cPrev: usize, c: usize, dy: usize, dh: usize, dc: usize, dG: usize, dhPrev: usize, q: usize, r: usize, j: usize, H: usize, vec: bool): void {
  const ai = act + (q + j) * 4, af = ai + H * 4, ag = af + H * 4, ao = ag + H * 4;
  const i = ld(ai, vec), f = ld(af, vec), g = ld(ag, vec), o = ld(ao, vec);
  const tc = vtanh(ld(c + (r + j) * 4, vec));
  const dhj = f32x4.add(ld(dh + (r + j) * 4, vec), ld(dy + (r + j) * 4, vec));
  const dcj = f32x4.add(ld(dc + (r + j) * 4, vec), f32x4.mul(f32x4.mul(dhj, o), f32x4.sub(one(), f32x4.mul(tc, tc))));
  const di = dG + (q + j) * 4, df = di + H * 4, dg = df + H * 4, dO = dg + H * 4;
  st(di, f32x4.mul(f32x4.mul(f32x4.mul(dcj, g), i), f32x4.sub(one(), i)), vec);
  st(df, f32x4.mul(f32x4.mul(f32x4.mul(dcj, ld(cPrev + (r + j) * 4, vec)), f), f32x4.sub(one(), f)), vec);
  st(dg, f32x4.mul(f32x4.mul(dcj, i), f32x4.sub(one(), f32x4.mul(g, g))), vec);
  st(dO, f32x4.mul(f32x4.mul(f32x4.mul(dhj, tc), o), f32x4.sub(one(), o)), vec);
  st(dh + (r + j) * 4, dhj, vec);
  st(dc + (r + j) * 4, f32x4.mul(dcj, f), vec);
  st(dhPrev + (r + j) * 4, f32x4.splat(0), vec);
}

export function lstmCellBackward(act: usize, cPrev: usize, c: usize, dy: usize, dh: usize, dc: usize, dGates: usize, dhPrev: usize,
                                 batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H, q = 4 * r;
    if (!active(lengths, b, t)) {
      memory.copy(dhPrev + r * 4, dh + r * 4, H * 4);
      memory.fill(dGates + q * 4, 0, 4 * H * 4);
      continue;
    }
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) lstmBackUnit(act, cPrev, c, dy, dh, dc, dGates, dhPrev, q, r, j, H, true);
    for (; j < H; j++) lstmBackUnit(act, cPrev, c, dy, dh, dc, dGates, dhPrev, q, r, j, H, false);
  }
}

// ---- GRU ------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function gruUnit(xg: usize, hg: usize, bias: usize, hPrev: usize, act: usize, hn: usize, h: usize, y: usize, q: usize, r: usize, j: usize, H: usize, vec: bool): void {
  const xr = xg + (q + j) * 4, hr = hg + (q + j) * 4;
  const rr = vsigmoid(f32x4.add(f32x4.add(ld(xr, vec), ld(hr, vec)), ldb(bias, j * 4, vec)));
  const z = vsigmoid(f32x4.add(f32x4.add(ld(xr + H * 4, vec), ld(hr + H * 4, vec)), ldb(bias, (H + j) * 4, vec)));
  const hnj = f32x4.add(ld(hr + 2 * H * 4, vec), ldb(bias, (2 * H + j) * 4, vec));
  const n = vtanh(f32x4.add(ld(xr + 2 * H * 4, vec), f32x4.mul(rr, hnj)));
  const a = act + (q + j) * 4;
  st(a, rr, vec); st(a + H * 4, z, vec); st(a + 2 * H * 4, n, vec);
  st(hn + (r + j) * 4, hnj, vec);
  const hj = f32x4.add(f32x4.mul(f32x4.sub(one(), z), n), f32x4.mul(z, ld(hPrev + (r + j) * 4, vec)));
  st(h + (r + j) * 4, hj, vec);
  st(y + (r + j) * 4, hj, vec);
}

export function gruCell(xg: usize, hg: usize, bias: usize, hPrev: usize, act: usize, hn: usize, h: usize, y: usize,
                        batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H, q = 3 * r;
    if (!active(lengths, b, t)) {
      memory.copy(h + r * 4, hPrev + r * 4, H * 4);
      memory.fill(y + r * 4, 0, H * 4);
      memory.fill(hn + r * 4, 0, H * 4);
      memory.fill(act + q * 4, 0, 3 * H * 4);
      continue;
    }
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) gruUnit(xg, hg, bias, hPrev, act, hn, h, y, q, r, j, H, true);
    for (; j < H; j++) gruUnit(xg, hg, bias, hPrev, act, hn, h, y, q, r, j, H, false);
  }
}

// @ts-ignore: decorator
@inline
function gruBackUnit(act: usize, hn: usize, hPrev: usize, dy: usize, dh: usize, dGx: usize, dGh: usize, dhPrev: usize, q: usize, r: usize, j: usize, H: usize, vec: bool): void {
  const a = act + (q + j) * 4;
  const rr = ld(a, vec), z = ld(a + H * 4, vec), n = ld(a + 2 * H * 4, vec);
  const dhj = f32x4.add(ld(dh + (r + j) * 4, vec), ld(dy + (r + j) * 4, vec));
  const dn = f32x4.mul(f32x4.mul(dhj, f32x4.sub(one(), z)), f32x4.sub(one(), f32x4.mul(n, n)));
  const dz = f32x4.mul(f32x4.mul(f32x4.mul(dhj, f32x4.sub(ld(hPrev + (r + j) * 4, vec), n)), z), f32x4.sub(one(), z));
  const dr = f32x4.mul(f32x4.mul(f32x4.mul(dn, ld(hn + (r + j) * 4, vec)), rr), f32x4.sub(one(), rr));
  const gx = dGx + (q + j) * 4, gh = dGh + (q + j) * 4;
  st(gx, dr, vec); st(gh, dr, vec);
  st(gx + H * 4, dz, vec); st(gh + H * 4, dz, vec);
  st(gx + 2 * H * 4, dn, vec); st(gh + 2 * H * 4, f32x4.mul(dn, rr), vec);
  st(dh + (r + j) * 4, dhj, vec);
  st(dhPrev + (r + j) * 4, f32x4.mul(dhj, z), vec);
}

export function gruCellBackward(act: usize, hn: usize, hPrev: usize, dy: usize, dh: usize, dGx: usize, dGh: usize, dhPrev: usize,
                                batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H, q = 3 * r;
    if (!active(lengths, b, t)) {
      memory.copy(dhPrev + r * 4, dh + r * 4, H * 4);
      memory.fill(dGx + q * 4, 0, 3 * H * 4);
      memory.fill(dGh + q * 4, 0, 3 * H * 4);
      continue;
    }
    let j: usize = 0;
    for (; j + 4 <= H; j += 4) gruBackUnit(act, hn, hPrev, dy, dh, dGx, dGh, dhPrev, q, r, j, H, true);
    for (; j < H; j++) gruBackUnit(act, hn, hPrev, dy, dh, dGx, dGh, dhPrev, q, r, j, H, false);
  }
}

// ---- Elman RNN ------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline
function rnnUnit(pre: usize, bias: usize, h: usize, y: usize, r: usize, j: usize, relu: bool, vec: bool): void {
  const v = f32x4.add(ld(pre + (r + j) * 4, vec), ldb(bias, j * 4, vec));
  const hj = relu ? f32x4.max(v, f32x4.splat(0)) : vtanh(v);
  st(h + (r + j) * 4, hj, vec);
  st(y + (r + j) * 4, hj, vec);
}

export function rnnCell(pre: usize, bias: usize, hPrev: usize, h: usize, y: usize, relu: bool,
                        batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H;
    if (!active(lengths, b, t)) {
      memory.copy(h + r * 4, hPrev + r * 4, H * 4);
      memory.fill(y + r * 4, 0, H * 4);
      continue;
    }
    let j: usize = 0;
    if (relu) {
      for (; j + 4 <= H; j += 4) rnnUnit(pre, bias, h, y, r, j, true, true);
      for (; j < H; j++) rnnUnit(pre, bias, h, y, r, j, true, false);
    } else {
      for (; j + 4 <= H; j += 4) rnnUnit(pre, bias, h, y, r, j, false, true);
      for (; j < H; j++) rnnUnit(pre, bias, h, y, r, j, false, false);
    }
  }
}

// @ts-ignore: decorator
@inline
function rnnBackUnit(h: usize, dy: usize, dh: usize, dPre: usize, dhPrev: usize, r: usize, j: usize, relu: bool, vec: bool): void {
  const hj = ld(h + (r + j) * 4, vec);
  const dhj = f32x4.add(ld(dh + (r + j) * 4, vec), ld(dy + (r + j) * 4, vec));
  const d = relu ? v128.and(dhj, f32x4.gt(hj, f32x4.splat(0))) : f32x4.mul(dhj, f32x4.sub(one(), f32x4.mul(hj, hj)));
  st(dPre + (r + j) * 4, d, vec);
  st(dh + (r + j) * 4, dhj, vec);
  st(dhPrev + (r + j) * 4, f32x4.splat(0), vec);
}

export function rnnCellBackward(h: usize, dy: usize, dh: usize, dPre: usize, dhPrev: usize, relu: bool,
                                batch: i32, hidden: i32, t: i32, lengths: usize): void {
  const H = <usize>hidden;
  for (let b = 0; b < batch; b++) {
    const r = <usize>b * H;
    if (!active(lengths, b, t)) {
      memory.copy(dhPrev + r * 4, dh + r * 4, H * 4);
      memory.fill(dPre + r * 4, 0, H * 4);
      continue;
    }
    let j: usize = 0;
    if (relu) {
      for (; j + 4 <= H; j += 4) rnnBackUnit(h, dy, dh, dPre, dhPrev, r, j, true, true);
      for (; j < H; j++) rnnBackUnit(h, dy, dh, dPre, dhPrev, r, j, true, false);
    } else {
      for (; j + 4 <= H; j += 4) rnnBackUnit(h, dy, dh, dPre, dhPrev, r, j, false, true);
      for (; j < H; j++) rnnBackUnit(h, dy, dh, dPre, dhPrev, r, j, false, false);
    }
  }
}
