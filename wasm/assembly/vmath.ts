// Vector (f32x4) versions of exp, log, tanh, sigmoid, log1p, expm1: Cephes-style
// polynomials, accurate to a few ulp in float32 (the js reference computes in float64 and
// rounds, so the two agree to ~1e-7 relative). IEEE special values follow Math.*.
//
// Speed notes (measured, V8 11.3): a v128.const inside a loop is re-materialised on every
// use (several instructions each), so the coefficients live in a table in memory and are
// read with v128.load32_splat — one broadcast load. pmin/pmax are single instructions where
// min/max must order NaNs (several); with x as the first operand a NaN still passes through.

const K = memory.data<f32>([
  88.72283, -104.0, 1.44269504088896341, 12582912.0, 0.693359375, -2.12194440e-4, // 0-5: exp range, log2e, 1.5·2²³, ln2 hi/lo
  1.9875691500e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1, // 6-11: exp poly
  1.0, 0.5, 2.0, // 12-14
  7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, // 15-19: log poly
  -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1, // 20-23
  1.17549435e-38, 8388608.0, 23.0, 0.707106781186547524, // 24-27: FLT_MIN, 2²³, 23, √½
  -5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1, 0.625, // 28-33: tanh
  1.0 / 5040.0, 1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, // 34-38: expm1 Taylor
  Infinity, // 39
]);

// @ts-ignore: decorator
@inline
export function kc(i: i32): v128 {
  return v128.load32_splat(K + <usize>i * 4);
}

/** e^x, x clamped to [-104, 88.72]; +inf above, NaN stays NaN. 2^n is applied in two halves so denormal results work. */
// @ts-ignore: decorator
@inline
export function vexp(x: v128): v128 {
  const big = f32x4.gt(x, kc(0));
  let xc = f32x4.pmax(f32x4.pmin(x, kc(0)), kc(1));
  // Round x·log2(e) to an integer by adding 1.5·2²³: the sum's low mantissa bits are that
  // integer (cheaper than nearest + trunc_sat).
  const t = f32x4.add(f32x4.mul(xc, kc(2)), kc(3));
  const fx = f32x4.sub(t, kc(3));
  xc = f32x4.sub(xc, f32x4.mul(fx, kc(4)));
  xc = f32x4.sub(xc, f32x4.mul(fx, kc(5)));
  let p = kc(6);
  p = f32x4.add(f32x4.mul(p, xc), kc(7));
  p = f32x4.add(f32x4.mul(p, xc), kc(8));
  p = f32x4.add(f32x4.mul(p, xc), kc(9));
  p = f32x4.add(f32x4.mul(p, xc), kc(10));
  p = f32x4.add(f32x4.mul(p, xc), kc(11));
  const z = f32x4.mul(xc, xc);
  p = f32x4.add(f32x4.add(f32x4.mul(p, z), xc), kc(12));
  const n = i32x4.sub(t, kc(3));
  const n1 = i32x4.shr_s(n, 1);
  const n2 = i32x4.sub(n, n1);
  // 2^k as a float is (k + 127) << 23; 1.0f is 127 << 23, so add k << 23 to the bits of 1.0.
  const s1 = i32x4.add(i32x4.shl(n1, 23), kc(12));
  const s2 = i32x4.add(i32x4.shl(n2, 23), kc(12));
  p = f32x4.mul(f32x4.mul(p, s1), s2);
  // Above the range the clamped result is ~FLT_MAX; doubling it gives +inf.
  return f32x4.mul(p, f32x4.add(kc(12), v128.and(big, kc(12))));
}

/** Natural log; log(0) = -inf, log(<0) = NaN, log(inf) = inf, denormals handled. */
// @ts-ignore: decorator
@inline
export function vlog(x0: v128): v128 {
  // Scale denormals into the normal range first.
  const tiny = f32x4.lt(x0, kc(24));
  const x = v128.bitselect(f32x4.mul(x0, kc(25)), x0, tiny);
  let e = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(x, 23), i32x4.shr_u(kc(12), 23)));
  // exponent relative to [0.5, 1): bits>>23 − 126 = (bits>>23 − 127) + 1
  e = f32x4.add(e, kc(12));
  e = f32x4.sub(e, v128.and(tiny, kc(26)));
  // mantissa into [0.5, 1): keep the fraction bits, set the exponent of 0.5
  let m = v128.or(v128.andnot(x, v128.or(kc(12), kc(25))), kc(13));
  const small = f32x4.lt(m, kc(27));
  // m < √½: m = 2m − 1, e −= 1; else m = m − 1
  m = f32x4.sub(f32x4.add(m, v128.and(small, m)), kc(12));
  e = f32x4.sub(e, v128.and(small, kc(12)));
  const z = f32x4.mul(m, m);
  let y = kc(15);
  y = f32x4.add(f32x4.mul(y, m), kc(16));
  y = f32x4.add(f32x4.mul(y, m), kc(17));
  y = f32x4.add(f32x4.mul(y, m), kc(18));
  y = f32x4.add(f32x4.mul(y, m), kc(19));
  y = f32x4.add(f32x4.mul(y, m), kc(20));
  y = f32x4.add(f32x4.mul(y, m), kc(21));
  y = f32x4.add(f32x4.mul(y, m), kc(22));
  y = f32x4.add(f32x4.mul(y, m), kc(23));
  y = f32x4.mul(f32x4.mul(y, m), z);
  y = f32x4.add(y, f32x4.mul(e, kc(5)));
  y = f32x4.sub(y, f32x4.mul(z, kc(13)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(e, kc(4)));
  // Special values: 0 → -inf, +inf → +inf, negative or NaN → NaN.
  const zero = f32x4.splat(0);
  const inf = kc(39);
  r = v128.bitselect(f32x4.neg(inf), r, f32x4.eq(x0, zero));
  r = v128.bitselect(inf, r, f32x4.eq(x0, inf));
  r = v128.bitselect(f32x4.sub(inf, inf), r, v128.not(f32x4.ge(x0, zero)));
  return r;
}

/** log(1+x) without the cancellation: log(u)·x/(u−1) with u = 1+x. */
// @ts-ignore: decorator
@inline
export function vlog1p(x: v128): v128 {
  const u = f32x4.add(x, kc(12));
  const d = f32x4.sub(u, kc(12));
  let r = f32x4.mul(vlog(u), f32x4.div(x, d));
  r = v128.bitselect(x, r, f32x4.eq(d, f32x4.splat(0)));
  // x = +inf: log(u)·(inf/inf) would be NaN
  return v128.bitselect(x, r, f32x4.eq(x, kc(39)));
}

/** e^x − 1: a Taylor polynomial for |x| < 0.5 (no cancellation), exp(x) − 1 elsewhere. */
// @ts-ignore: decorator
@inline
export function vexpm1(x: v128): v128 {
  let p = kc(34);
  p = f32x4.add(f32x4.mul(p, x), kc(35));
  p = f32x4.add(f32x4.mul(p, x), kc(36));
  p = f32x4.add(f32x4.mul(p, x), kc(37));
  p = f32x4.add(f32x4.mul(p, x), kc(38));
  p = f32x4.add(f32x4.mul(p, x), kc(13));
  p = f32x4.add(f32x4.mul(f32x4.mul(p, x), x), x);
  const small = f32x4.lt(f32x4.abs(x), kc(13));
  return v128.bitselect(p, f32x4.sub(vexp(x), kc(12)), small);
}

/** tanh: an odd polynomial for |x| < 0.625, else sign(x)·(1 − 2/(e^{2|x|}+1)). */
// @ts-ignore: decorator
@inline
export function vtanh(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = kc(28);
  p = f32x4.add(f32x4.mul(p, z), kc(29));
  p = f32x4.add(f32x4.mul(p, z), kc(30));
  p = f32x4.add(f32x4.mul(p, z), kc(31));
  p = f32x4.add(f32x4.mul(p, z), kc(32));
  p = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = vexp(f32x4.add(ax, ax));
  let q = f32x4.sub(kc(12), f32x4.div(kc(14), f32x4.add(e, kc(12))));
  q = v128.or(q, v128.andnot(x, ax)); // copy x's sign bit (q ≥ 0)
  return v128.bitselect(p, q, f32x4.lt(ax, kc(33)));
}

/** 1/(1+e^{−x}). */
// @ts-ignore: decorator
@inline
export function vsigmoid(x: v128): v128 {
  return f32x4.div(kc(12), f32x4.add(kc(12), vexp(f32x4.neg(x))));
}
