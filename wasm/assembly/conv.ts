// im2col / col2im for one image. `g` points at 13 i32s: c h w kh kw sh sw ph pw dh dw oh ow.
// col[(c·kh + ki)·kw + kj, oy·ow + ox] = x[c, oy·sh − ph + ki·dh, ox·sw − pw + kj·dw] (0 outside).

// @ts-ignore: decorator
@inline
function gi(g: usize, i: i32): i32 {
  return load<i32>(g + <usize>i * 4);
}

/** The ox range [lo, hi) whose input column ix = ox·sw − pw + off lies inside [0, w). */
// @ts-ignore: decorator
@inline
function validLo(off: i32, sw: i32, pw: i32): i32 {
  const d = pw - off; // need ox·sw ≥ d
  return d <= 0 ? 0 : (d + sw - 1) / sw;
}
// @ts-ignore: decorator
@inline
function validHi(off: i32, sw: i32, pw: i32, w: i32, ow: i32): i32 {
  const d = w + pw - off; // need ox·sw < d
  if (d <= 0) return 0;
  return min(ow, (d + sw - 1) / sw);
}

export function im2col(x: usize, col: usize, g: usize): void {
  const C = gi(g, 0), h = gi(g, 1), w = gi(g, 2), kh = gi(g, 3), kw = gi(g, 4), sh = gi(g, 5), sw = gi(g, 6);
  const ph = gi(g, 7), pw = gi(g, 8), dh = gi(g, 9), dw = gi(g, 10), oh = gi(g, 11), ow = gi(g, 12);
  const plane = oh * ow;
  const rowBytes = <usize>ow * 4;
  for (let c = 0; c < C; c++)
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++) {
        const rowBase = col + <usize>(((c * kh + ki) * kw + kj) * plane) * 4;
        const off = kj * dw;
        const lo = min(validLo(off, sw, pw), ow);
        const hi = max(validHi(off, sw, pw, w, ow), lo);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          const dst = rowBase + <usize>(oy * ow) * 4;
          if (iy < 0 || iy >= h) { memory.fill(dst, 0, rowBytes); continue; }
          const src = x + <usize>((c * h + iy) * w) * 4;
          if (lo > 0) memory.fill(dst, 0, <usize>lo * 4);
          if (sw == 1) {
            if (hi > lo) memory.copy(dst + <usize>lo * 4, src + <usize>(lo - pw + off) * 4, <usize>(hi - lo) * 4);
          } else {
            for (let ox = lo; ox < hi; ox++) store<f32>(dst + <usize>ox * 4, load<f32>(src + <usize>(ox * sw - pw + off) * 4));
          }
          if (hi < ow) memory.fill(dst + <usize>hi * 4, 0, <usize>(ow - hi) * 4);
        }
      }
}

/** The adjoint: x[c, iy, ix] += col[…] for every in-bounds window entry. */
export function col2im(col: usize, x: usize, g: usize): void {
  const C = gi(g, 0), h = gi(g, 1), w = gi(g, 2), kh = gi(g, 3), kw = gi(g, 4), sh = gi(g, 5), sw = gi(g, 6);
  const ph = gi(g, 7), pw = gi(g, 8), dh = gi(g, 9), dw = gi(g, 10), oh = gi(g, 11), ow = gi(g, 12);
  const plane = oh * ow;
  for (let c = 0; c < C; c++)
    for (let ki = 0; ki < kh; ki++)
      for (let kj = 0; kj < kw; kj++) {
        const rowBase = col + <usize>(((c * kh + ki) * kw + kj) * plane) * 4;
        const off = kj * dw;
        const lo = min(validLo(off, sw, pw), ow);
        const hi = max(validHi(off, sw, pw, w, ow), lo);
        for (let oy = 0; oy < oh; oy++) {
          const iy = oy * sh - ph + ki * dh;
          if (iy < 0 || iy >= h) continue;
          const src = rowBase + <usize>(oy * ow) * 4;
          const dst = x + <usize>((c * h + iy) * w) * 4;
          if (sw == 1) {
            const d = dst + <usize>(lo - pw + off) * 4;
            const s = src + <usize>lo * 4;
            const L = hi - lo;
            let j = 0;
            for (; j + 4 <= L; j += 4) {
              const p = d + <usize>j * 4;
              v128.store(p, f32x4.add(v128.load(p), v128.load(s + <usize>j * 4)));
            }
            for (; j < L; j++) store<f32>(d + <usize>j * 4, load<f32>(d + <usize>j * 4) + load<f32>(s + <usize>j * 4));
          } else {
            for (let ox = lo; ox < hi; ox++) {
              const p = dst + <usize>(ox * sw - pw + off) * 4;
              store<f32>(p, load<f32>(p) + load<f32>(src + <usize>ox * 4));
            }
          }
        }
      }
}
