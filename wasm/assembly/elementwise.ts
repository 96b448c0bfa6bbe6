// Element-wise kernels on float32. Every buffer the loader hands in is 16-byte aligned and
// followed by at least 32 bytes of slack, so loops run in whole vectors (or pairs of them):
// the last ones may read and write a few elements past the end, which the loader never
// copies out.

import { vexp, vexpm1, vlog, vlog1p, vsigmoid, vtanh } from "./vmath";

// Unary op codes (the loader's table in src/kernels/wasm/backend.ts must match).
export const U_NEG = 0, U_ABS = 1, U_SIGN = 2, U_EXP = 3, U_LOG = 4, U_LOG1P = 5, U_SQRT = 6, U_RSQRT = 7,
  U_SQUARE = 8, U_RECIPROCAL = 9, U_TANH = 10, U_SIGMOID = 11, U_RELU = 12, U_LEAKY_RELU = 13, U_ELU = 14,
  U_SOFTPLUS = 15, U_CLAMP = 16;

// Binary op codes.
export const B_ADD = 0, B_SUB = 1, B_MUL = 2, B_DIV = 3, B_POW = 4, B_MAX = 5, B_MIN = 6,
  B_EQ = 7, B_NE = 8, B_LT = 9, B_LE = 10, B_GT = 11, B_GE = 12;

// @ts-ignore: decorator
@inline
function uop(op: i32, x: v128, p0: v128, p1: v128): v128 {
  const zero = f32x4.splat(0), one = f32x4.splat(1);
  switch (op) {
    case U_NEG: return f32x4.neg(x);
    case U_ABS: return f32x4.abs(x);
    case U_SIGN: {
      const r = v128.or(v128.and(f32x4.gt(x, zero), one), v128.and(f32x4.lt(x, zero), f32x4.splat(-1)));
      return v128.bitselect(x, r, f32x4.ne(x, x));
    }
    case U_EXP: return vexp(x);
    case U_LOG: return vlog(x);
    case U_LOG1P: return vlog1p(x);
    case U_SQRT: return f32x4.sqrt(x);
    case U_RSQRT: return f32x4.div(one, f32x4.sqrt(x));
    case U_SQUARE: return f32x4.mul(x, x);
    case U_RECIPROCAL: return f32x4.div(one, x);
    case U_TANH: return vtanh(x);
    case U_SIGMOID: return vsigmoid(x);
    case U_RELU: return f32x4.max(x, zero);
    case U_LEAKY_RELU: return v128.bitselect(x, f32x4.mul(x, p0), f32x4.gt(x, zero));
    case U_ELU: return v128.bitselect(x, f32x4.mul(p0, vexpm1(x)), f32x4.gt(x, zero));
    case U_SOFTPLUS: {
      // p0 = beta, p1 = threshold
      const bx = f32x4.mul(x, p0);
      return v128.bitselect(x, f32x4.div(vlog1p(vexp(bx)), p0), f32x4.gt(bx, p1));
    }
    case U_CLAMP: return v128.bitselect(p0, v128.bitselect(p1, x, f32x4.gt(x, p1)), f32x4.lt(x, p0));
  }
  return x;
}

// @ts-ignore: decorator
@inline
function unaryRun(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  const v0 = f32x4.splat(p0), v1 = f32x4.splat(p1);
  const end = x + <usize>n * 4;
  // Two vectors per iteration: the math functions are latency-bound chains, and two
  // independent ones in flight run ~1.5× faster (the loader pads blocks by 32+ bytes).
  for (; x < end; x += 32, out += 32) {
    const a = uop(op, v128.load(x), v0, v1), b = uop(op, v128.load(x, 16), v0, v1);
    v128.store(out, a);
    v128.store(out, b, 16);
  }
}

/** out[i] = op(x[i]) for i < n; p0/p1 are the op's parameters (alpha, beta/threshold, min/max). */
export function unary(op: i32, x: usize, out: usize, n: i32, p0: f32, p1: f32): void {
  switch (op) {
    case U_NEG: unaryRun(U_NEG, x, out, n, p0, p1); break;
    case U_ABS: unaryRun(U_ABS, x, out, n, p0, p1); break;
    case U_SIGN: unaryRun(U_SIGN, x, out, n, p0, p1); break;
    case U_EXP: unaryRun(U_EXP, x, out, n, p0, p1); break;
    case U_LOG: unaryRun(U_LOG, x, out, n, p0, p1); break;
    case U_LOG1P: unaryRun(U_LOG1P, x, out, n, p0, p1); break;
    case U_SQRT: unaryRun(U_SQRT, x, out, n, p0, p1); break;
    case U_RSQRT: unaryRun(U_RSQRT, x, out, n, p0, p1); break;
    case U_SQUARE: unaryRun(U_SQUARE, x, out, n, p0, p1); break;
    case U_RECIPROCAL: unaryRun(U_RECIPROCAL, x, out, n, p0, p1); break;
    case U_TANH: unaryRun(U_TANH, x, out, n, p0, p1); break;
    case U_SIGMOID: unaryRun(U_SIGMOID, x, out, n, p0, p1); break;
    case U_RELU: unaryRun(U_RELU, x, out, n, p0, p1); break;
    case U_LEAKY_RELU: unaryRun(U_LEAKY_RELU, x, out, n, p0, p1); break;
    case U_ELU: unaryRun(U_ELU, x, out, n, p0, p1); break;
    case U_SOFTPLUS: unaryRun(U_SOFTPLUS, x, out, n, p0, p1); break;
    case U_CLAMP: unaryRun(U_CLAMP, x, out, n, p0, p1); break;
  }
}

// @ts-ignore: decorator
@inline
function bop(op: i32, a: v128, b: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case B_ADD: return f32x4.add(a, b);
    case B_SUB: return f32x4.sub(a, b);
    case B_MUL: return f32x4.mul(a, b);
    case B_DIV: return f32x4.div(a, b);
    case B_MAX: return f32x4.max(a, b);
    case B_MIN: return f32x4.min(a, b);
    case B_EQ: return v128.and(f32x4.eq(a, b), one);
    case B_NE: return v128.and(f32x4.ne(a, b), one);
    case B_LT: return v128.and(f32x4.lt(a, b), one);
    case B_LE: return v128.and(f32x4.le(a, b), one);
    case B_GT: return v128.and(f32x4.gt(a, b), one);
    case B_GE: return v128.and(f32x4.ge(a, b), one);
  }
  return a;
}

// @ts-ignore: decorator
@inline
function sop(op: i32, a: f32, b: f32): f32 {
  switch (op) {
    case B_ADD: return a + b;
    case B_SUB: return a - b;
    case B_MUL: return a * b;
    case B_DIV: return a / b;
    case B_POW: return <f32>Math.pow(<f64>a, <f64>b);
    case B_MAX: return a > b || a != a ? a : b;
    case B_MIN: return a < b || a != a ? a : b;
    case B_EQ: return a == b ? 1 : 0;
    case B_NE: return a != b ? 1 : 0;
    case B_LT: return a < b ? 1 : 0;
    case B_LE: return a <= b ? 1 : 0;
    case B_GT: return a > b ? 1 : 0;
    case B_GE: return a >= b ? 1 : 0;
  }
  return a;
}

/** One innermost run of L outputs; a and b advance by sa and sb elements. */
// @ts-ignore: decorator
@inline
function binaryRun(op: i32, a: usize, sa: i32, b: usize, sb: i32, out: usize, L: i32): void {
  const end = out + <usize>L * 4;
  if (op == B_POW) {
    for (; out < end; out += 4, a += <usize>sa * 4, b += <usize>sb * 4) store<f32>(out, sop(op, load<f32>(a), load<f32>(b)));
  } else if (sa == 1 && sb == 1) {
    for (; out < end; out += 16, a += 16, b += 16) v128.store(out, bop(op, v128.load(a), v128.load(b)));
  } else if (sa == 1 && sb == 0) {
    const vb = v128.load32_splat(b);
    for (; out < end; out += 16, a += 16) v128.store(out, bop(op, v128.load(a), vb));
  } else if (sa == 0 && sb == 1) {
    const va = v128.load32_splat(a);
    for (; out < end; out += 16, b += 16) v128.store(out, bop(op, va, v128.load(b)));
  } else {
    for (; out < end; out += 4, a += <usize>sa * 4, b += <usize>sb * 4) store<f32>(out, sop(op, load<f32>(a), load<f32>(b)));
  }
}

// @ts-ignore: decorator
@inline
function binaryND(op: i32, nd: i32, shape: usize, a: usize, as: usize, b: usize, bs: usize, out: usize, idx: usize): void {
  const L = load<i32>(shape + <usize>(nd - 1) * 4);
  const sa = load<i32>(as + <usize>(nd - 1) * 4), sb = load<i32>(bs + <usize>(nd - 1) * 4);
  let outer = 1;
  for (let d = 0; d < nd - 1; d++) { outer *= load<i32>(shape + <usize>d * 4); store<i32>(idx + <usize>d * 4, 0); }
  let ia = 0, ib = 0;
  for (let o = 0; o < outer; o++) {
    binaryRun(op, a + <usize>ia * 4, sa, b + <usize>ib * 4, sb, out + <usize>(o * L) * 4, L);
    for (let d = nd - 2; d >= 0; d--) {
      const p = idx + <usize>d * 4;
      const i = load<i32>(p) + 1;
      const s = load<i32>(shape + <usize>d * 4);
      const dA = load<i32>(as + <usize>d * 4), dB = load<i32>(bs + <usize>d * 4);
      ia += dA; ib += dB;
      if (i < s) { store<i32>(p, i); break; }
      ia -= dA * s; ib -= dB * s;
      store<i32>(p, 0);
    }
  }
}

/**
 * out = a (op) b over an nd-dimensional shape (already coalesced by the loader); a and b are
 * read through element strides (0 where broadcast), out is contiguous. `idx` is nd i32s of scratch.
 */
export function binary(op: i32, nd: i32, shape: usize, a: usize, as: usize, b: usize, bs: usize, out: usize, idx: usize): void {
  switch (op) {
    case B_ADD: binaryND(B_ADD, nd, shape, a, as, b, bs, out, idx); break;
    case B_SUB: binaryND(B_SUB, nd, shape, a, as, b, bs, out, idx); break;
    case B_MUL: binaryND(B_MUL, nd, shape, a, as, b, bs, out, idx); break;
    case B_DIV: binaryND(B_DIV, nd, shape, a, as, b, bs, out, idx); break;
    case B_POW: binaryND(B_POW, nd, shape, a, as, b, bs, out, idx); break;
    case B_MAX: binaryND(B_MAX, nd, shape, a, as, b, bs, out, idx); break;
    case B_MIN: binaryND(B_MIN, nd, shape, a, as, b, bs, out, idx); break;
    case B_EQ: binaryND(B_EQ, nd, shape, a, as, b, bs, out, idx); break;
    case B_NE: binaryND(B_NE, nd, shape, a, as, b, bs, out, idx); break;
    case B_LT: binaryND(B_LT, nd, shape, a, as, b, bs, out, idx); break;
    case B_LE: binaryND(B_LE, nd, shape, a, as, b, bs, out, idx); break;
    case B_GT: binaryND(B_GT, nd, shape, a, as, b, bs, out, idx); break;
    case B_GE: binaryND(B_GE, nd, shape, a, as, b, bs, out, idx); break;
  }
}

// @ts-ignore: decorator
@inline
function ldv(p: usize, s: i32): v128 {
  return s == 1 ? v128.load(p) : v128.load32_splat(p);
}

/** out = cond != 0 ? a : b over a coalesced shape; strides as in binary (cond, a, b). */
export function where(nd: i32, shape: usize, c: usize, cs: usize, a: usize, as: usize, b: usize, bs: usize, out: usize, idx: usize): void {
  const last = <usize>(nd - 1) * 4;
  const L = load<i32>(shape + last);
  const sc = load<i32>(cs + last), sa = load<i32>(as + last), sb = load<i32>(bs + last);
  const vec = (sc == 0 || sc == 1) && (sa == 0 || sa == 1) && (sb == 0 || sb == 1);
  let outer = 1;
  for (let d = 0; d < nd - 1; d++) { outer *= load<i32>(shape + <usize>d * 4); store<i32>(idx + <usize>d * 4, 0); }
  let ic = 0, ia = 0, ib = 0;
  const zero = f32x4.splat(0);
  for (let o = 0; o < outer; o++) {
    let pc = c + <usize>ic * 4, pa = a + <usize>ia * 4, pb = b + <usize>ib * 4;
    let po = out + <usize>(o * L) * 4;
    const end = po + <usize>L * 4;
    if (vec) {
      const dc = <usize>sc * 16, da = <usize>sa * 16, db = <usize>sb * 16;
      for (; po < end; po += 16, pc += dc, pa += da, pb += db)
        v128.store(po, v128.bitselect(ldv(pa, sa), ldv(pb, sb), f32x4.ne(ldv(pc, sc), zero)));
    } else {
      for (; po < end; po += 4, pc += <usize>sc * 4, pa += <usize>sa * 4, pb += <usize>sb * 4)
        store<f32>(po, load<f32>(pc) != 0 ? load<f32>(pa) : load<f32>(pb));
    }
    for (let d = nd - 2; d >= 0; d--) {
      const p = idx + <usize>d * 4;
      const i = load<i32>(p) + 1;
      const s = load<i32>(shape + <usize>d * 4);
      const dC = load<i32>(cs + <usize>d * 4), dA = load<i32>(as + <usize>d * 4), dB = load<i32>(bs + <usize>d * 4);
      ic += dC; ia += dA; ib += dB;
      if (i < s) { store<i32>(p, i); break; }
      ic -= dC * s; ia -= dA * s; ib -= dB * s;
      store<i32>(p, 0);
    }
  }
}
