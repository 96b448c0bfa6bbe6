// Reductions and softmax over the middle axis of x viewed as [outer, n, inner]. Sums
// accumulate in float64 (as the js reference does), two lanes per f64x2.

import { vexp, vlog } from "./vmath";

export const R_SUM = 0, R_MAX = 1, R_MIN = 2;

// @ts-ignore: decorator
@inline
function hi2(v: v128): v128 {
  return i32x4.shuffle(v, v, 2, 3, 2, 3);
}

/** Σ x[0..n) (contiguous) in float64. */
function rowSum(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(x + <usize>j * 4);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hi2(v)));
  }
  const s = f64x2.add(s0, s1);
  let t = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < n; j++) t += <f64>load<f32>(x + <usize>j * 4);
  return t;
}

/** max (or min) of x[0..n), n ≥ 1; NaN wins. */
function rowExtreme(x: usize, n: i32, max: bool): f32 {
  let j = 0;
  let best: f32 = load<f32>(x);
  if (n >= 4) {
    let v = v128.load(x);
    for (j = 4; j + 4 <= n; j += 4) v = max ? f32x4.max(v, v128.load(x + <usize>j * 4)) : f32x4.min(v, v128.load(x + <usize>j * 4));
    best = f32x4.extract_lane(v, 0);
    for (let l = 1; l < 4; l++) {
      const e = l == 1 ? f32x4.extract_lane(v, 1) : l == 2 ? f32x4.extract_lane(v, 2) : f32x4.extract_lane(v, 3);
      if (e != e || best != best) best = best != best ? best : e;
      else best = max ? (e > best ? e : best) : (e < best ? e : best);
    }
  } else j = 1;
  for (; j < n; j++) {
    const e = load<f32>(x + <usize>j * 4);
    if (best != best) break;
    if (e != e) { best = e; break; }
    best = max ? (e > best ? e : best) : (e < best ? e : best);
  }
  return best;
}

/**
 * out[o, i] = op over j of x[o, j, i]. `acc` is scratch of inner f64s (sum with inner > 1).
 */
export function reduce(op: i32, x: usize, outer: i32, n: i32, inner: i32, out: usize, acc: usize): void {
  const plane = <usize>(n * inner) * 4;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * plane;
    const oo = out + <usize>(o * inner) * 4;
    if (inner == 1) {
      store<f32>(oo, op == R_SUM ? <f32>rowSum(xo, n) : rowExtreme(xo, n, op == R_MAX));
      continue;
    }
    const row = <usize>inner * 4;
    if (op == R_SUM) {
      memory.fill(acc, 0, <usize>inner * 8);
      for (let j = 0; j < n; j++) {
        const xr = xo + <usize>j * row;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const v = v128.load(xr + <usize>i * 4);
          const pa = acc + <usize>i * 8;
          v128.store(pa, f64x2.add(v128.load(pa), f64x2.promote_low_f32x4(v)));
          v128.store(pa, f64x2.add(v128.load(pa, 16), f64x2.promote_low_f32x4(hi2(v))), 16);
        }
        for (; i < inner; i++) store<f64>(acc + <usize>i * 8, load<f64>(acc + <usize>i * 8) + <f64>load<f32>(xr + <usize>i * 4));
      }
      for (let i = 0; i < inner; i++) store<f32>(oo + <usize>i * 4, <f32>load<f64>(acc + <usize>i * 8));
    } else {
      const max = op == R_MAX;
      memory.copy(oo, xo, row);
      for (let j = 1; j < n; j++) {
        const xr = xo + <usize>j * row;
        let i = 0;
        for (; i + 4 <= inner; i += 4) {
          const po = oo + <usize>i * 4;
          const v = v128.load(xr + <usize>i * 4);
          v128.store(po, max ? f32x4.max(v128.load(po), v) : f32x4.min(v128.load(po), v));
        }
        for (; i < inner; i++) {
          const po = oo + <usize>i * 4;
          const b = load<f32>(po), e = load<f32>(xr + <usize>i * 4);
          if (b != b) continue;
          store<f32>(po, e != e ? e : max ? (e > b ? e : b) : (e < b ? e : b));
        }
      }
    }
  }
}

/**
 * Softmax (or log-softmax) along the middle axis. `acc` is scratch: inner f64 sums and
 * inner f32 maxima (used when inner > 1).
 */
export function softmax(x: usize, out: usize, outer: i32, n: i32, inner: i32, log: bool, acc: usize): void {
  if (n == 0) return;
  const plane = <usize>(n * inner) * 4;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * plane, yo = out + <usize>o * plane;
    if (inner == 1) {
      const m = rowExtreme(xo, n, true);
      const vm = f32x4.splat(m);
      // e = exp(x − m) into out, summed in float64 (padding lanes are excluded from the sum).
      let s0 = f64x2.splat(0), s1 = f64x2.splat(0);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const e = vexp(f32x4.sub(v128.load(xo + <usize>j * 4), vm));
        v128.store(yo + <usize>j * 4, e);
        s0 = f64x2.add(s0, f64x2.promote_low_f32x4(e));
        s1 = f64x2.add(s1, f64x2.promote_low_f32x4(hi2(e)));
      }
      const s2 = f64x2.add(s0, s1);
      let s = f64x2.extract_lane(s2, 0) + f64x2.extract_lane(s2, 1);
      if (j < n) {
        const e = vexp(f32x4.sub(v128.load(xo + <usize>j * 4), vm));
        v128.store(yo + <usize>j * 4, e);
        for (let l = 0; j < n; j++, l++) s += <f64>load<f32>(yo + <usize>j * 4);
      }
      if (log) {
        const lse = f32x4.splat(<f32>(<f64>m + Math.log(s)));
        for (j = 0; j < n; j += 4) v128.store(yo + <usize>j * 4, f32x4.sub(v128.load(xo + <usize>j * 4), lse));
      } else {
        const r = f32x4.splat(<f32>(1.0 / s));
        for (j = 0; j < n; j += 4) v128.store(yo + <usize>j * 4, f32x4.mul(v128.load(yo + <usize>j * 4), r));
      }
      continue;
    }
    // inner > 1: vectorise across inner; maxima in mx (f32), sums in sm (f64).
    const row = <usize>inner * 4;
    const sm = acc, mx = acc + <usize>inner * 8;
    memory.copy(mx, xo, row);
    for (let j = 1; j < n; j++) {
      const xr = xo + <usize>j * row;
      for (let i = 0; i < inner; i++) {
        const pm = mx + <usize>i * 4;
        const b = load<f32>(pm), e = load<f32>(xr + <usize>i * 4);
        if (b != b) continue;
        if (e > b || e != e) store<f32>(pm, e);
      }
    }
    memory.fill(sm, 0, <usize>inner * 8);
    for (let j = 0; j < n; j++) {
      const xr = xo + <usize>j * row, yr = yo + <usize>j * row;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const e = vexp(f32x4.sub(v128.load(xr + <usize>i * 4), v128.load(mx + <usize>i * 4)));
        v128.store(yr + <usize>i * 4, e);
        const ps = sm + <usize>i * 8;
        v128.store(ps, f64x2.add(v128.load(ps), f64x2.promote_low_f32x4(e)));
        v128.store(ps, f64x2.add(v128.load(ps, 16), f64x2.promote_low_f32x4(hi2(e))), 16);
      }
      for (; i < inner; i++) {
        const e = f32x4.extract_lane(vexp(f32x4.splat(load<f32>(xr + <usize>i * 4) - load<f32>(mx + <usize>i * 4))), 0);
        store<f32>(yr + <usize>i * 4, e);
        store<f64>(sm + <usize>i * 8, load<f64>(sm + <usize>i * 8) + <f64>e);
      }
    }
    for (let i = 0; i < inner; i++) {
      const s = load<f64>(sm + <usize>i * 8);
      // reuse sm as the per-column factor (or log-sum-exp) in f32
      store<f32>(sm + <usize>i * 4, log ? <f32>(<f64>load<f32>(mx + <usize>i * 4) + Math.log(s)) : <f32>(1.0 / s));
    }
    for (let j = 0; j < n; j++) {
      const xr = xo + <usize>j * row, yr = yo + <usize>j * row;
      let i = 0;
      for (; i + 4 <= inner; i += 4) {
        const f = v128.load(sm + <usize>i * 4);
        v128.store(yr + <usize>i * 4, log ? f32x4.sub(v128.load(xr + <usize>i * 4), f) : f32x4.mul(v128.load(yr + <usize>i * 4), f));
      }
      for (; i < inner; i++) {
        const f = load<f32>(sm + <usize>i * 4);
        store<f32>(yr + <usize>i * 4, log ? load<f32>(xr + <usize>i * 4) - f : load<f32>(yr + <usize>i * 4) * f);
      }
    }
  }
}
