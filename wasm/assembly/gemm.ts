// GEMM: C[m,n] (+)= op(A)[m,k] · op(B)[k,n], float32, BLIS-style.
//
//   for jc (NC columns of C) · for pc (KC of the depth): pack B[pc.., jc..] into NR-wide strips
//     for ic (MC rows): pack A[ic.., pc..] into MR-tall strips
//       for each NR strip · for each MR strip: the register-tiled micro-kernel (MR×NR in v128s)
//
// Transposition is absorbed by the packing routines, so all four variants run the same
// micro-kernel and no transpose is ever materialised. Pointers are byte addresses in linear
// memory; lda/ldb/ldc are row strides in elements of the operands as stored.

export const MR: i32 = 4;
export const NR: i32 = 8;
export const KC: i32 = 256;
export const MC: i32 = 128;
export const NC: i32 = 2048;
/** Up to this many rows (per thread), B is read in place instead of packed (see gemmBlock). */
export const DIRECT_B_MAX_M: i32 = 64;

/** Bytes of scratch one thread needs for packing (A block, B panel, an edge tile). */
export function gemmScratchBytes(): i32 {
  return (MC * KC + KC * NC + MR * NR) * 4 + 64;
}

// ---- packing -------------------------------------------------------------------------

/** Packs rows [i0, i0+mc) × depth [p0, p0+kc) of op(A) into MR-tall strips (zero padded). */
function packA(a: usize, lda: i32, transA: bool, i0: i32, p0: i32, mc: i32, kc: i32, dst: usize): void {
  for (let s = 0; s < mc; s += MR) {
    const rows = min(MR, mc - s);
    const out = dst + <usize>(s * kc) * 4;
    if (transA) {
      // A stored [k, m]: op(A)(i, p) = a[p*lda + i]; MR consecutive i are contiguous.
      const base = a + <usize>(p0 * lda + i0 + s) * 4;
      if (rows == MR) {
        for (let p = 0; p < kc; p++) v128.store(out + <usize>(p * MR) * 4, v128.load(base + <usize>(p * lda) * 4));
      } else {
        for (let p = 0; p < kc; p++) {
          const o = out + <usize>(p * MR) * 4;
          const src = base + <usize>(p * lda) * 4;
          for (let r = 0; r < MR; r++) store<f32>(o + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0);
        }
      }
    } else {
      // A stored [m, k]: rows contiguous over p; transpose 4×4 blocks into the strip.
      const base = a + <usize>((i0 + s) * lda + p0) * 4;
      if (rows == MR) {
        const r0 = base, r1 = base + <usize>lda * 4, r2 = base + <usize>(2 * lda) * 4, r3 = base + <usize>(3 * lda) * 4;
        let p = 0;
        for (; p + 4 <= kc; p += 4) {
          const off = <usize>p * 4;
          const x0 = v128.load(r0 + off), x1 = v128.load(r1 + off), x2 = v128.load(r2 + off), x3 = v128.load(r3 + off);
          const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5); // a0 b0 a1 b1
          const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5); // c0 d0 c1 d1
          const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7); // a2 b2 a3 b3
          const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7); // c2 d2 c3 d3
          const o = out + <usize>(p * MR) * 4;
          v128.store(o, i64x2.shuffle(t0, t1, 0, 2));
          v128.store(o, i64x2.shuffle(t0, t1, 1, 3), 16);
          v128.store(o, i64x2.shuffle(t2, t3, 0, 2), 32);
          v128.store(o, i64x2.shuffle(t2, t3, 1, 3), 48);
        }
        for (; p < kc; p++) {
          const o = out + <usize>(p * MR) * 4;
          const off = <usize>p * 4;
          store<f32>(o, load<f32>(r0 + off));
          store<f32>(o, load<f32>(r1 + off), 4);
          store<f32>(o, load<f32>(r2 + off), 8);
          store<f32>(o, load<f32>(r3 + off), 12);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = out + <usize>(p * MR) * 4;
          for (let r = 0; r < MR; r++) store<f32>(o + <usize>r * 4, r < rows ? load<f32>(base + <usize>(r * lda + p) * 4) : 0);
        }
      }
    }
  }
}

/** Packs depth [p0, p0+kc) × columns [j0, j0+nc) of op(B) into NR-wide strips (zero padded). */
function packB(b: usize, ldb: i32, transB: bool, p0: i32, j0: i32, kc: i32, nc: i32, dst: usize): void {
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const out = dst + <usize>(s * kc) * 4;
    if (!transB) {
      // B stored [k, n]: NR consecutive columns are contiguous.
      const base = b + <usize>(p0 * ldb + j0 + s) * 4;
      if (cols == NR) {
        for (let p = 0; p < kc; p++) {
          const src = base + <usize>(p * ldb) * 4;
          const o = out + <usize>(p * NR) * 4;
          v128.store(o, v128.load(src));
          v128.store(o, v128.load(src, 16), 16);
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const src = base + <usize>(p * ldb) * 4;
          const o = out + <usize>(p * NR) * 4;
          for (let c = 0; c < NR; c++) store<f32>(o + <usize>c * 4, c < cols ? load<f32>(src + <usize>c * 4) : 0);
        }
      }
    } else {
      // B stored [n, k]: op(B)(p, j) = b[j*ldb + p]; transpose 4×4 blocks, two per strip.
      const base = b + <usize>((j0 + s) * ldb + p0) * 4;
      if (cols == NR) {
        for (let h = 0; h < 2; h++) {
          const rb = base + <usize>(h * 4 * ldb) * 4;
          const r0 = rb, r1 = rb + <usize>ldb * 4, r2 = rb + <usize>(2 * ldb) * 4, r3 = rb + <usize>(3 * ldb) * 4;
          const oh = out + <usize>(h * 16);
          let p = 0;
          for (; p + 4 <= kc; p += 4) {
            const off = <usize>p * 4;
            const x0 = v128.load(r0 + off), x1 = v128.load(r1 + off), x2 = v128.load(r2 + off), x3 = v128.load(r3 + off);
            const t0 = i32x4.shuffle(x0, x1, 0, 4, 1, 5);
            const t1 = i32x4.shuffle(x2, x3, 0, 4, 1, 5);
            const t2 = i32x4.shuffle(x0, x1, 2, 6, 3, 7);
            const t3 = i32x4.shuffle(x2, x3, 2, 6, 3, 7);
            const o = oh + <usize>(p * NR) * 4;
            v128.store(o, i64x2.shuffle(t0, t1, 0, 2));
            v128.store(o, i64x2.shuffle(t0, t1, 1, 3), NR * 4);
            v128.store(o, i64x2.shuffle(t2, t3, 0, 2), NR * 8);
            v128.store(o, i64x2.shuffle(t2, t3, 1, 3), NR * 12);
          }
          for (; p < kc; p++) {
            const o = oh + <usize>(p * NR) * 4;
            const off = <usize>p * 4;
            store<f32>(o, load<f32>(r0 + off));
            store<f32>(o, load<f32>(r1 + off), 4);
            store<f32>(o, load<f32>(r2 + off), 8);
            store<f32>(o, load<f32>(r3 + off), 12);
          }
        }
      } else {
        for (let p = 0; p < kc; p++) {
          const o = out + <usize>(p * NR) * 4;
          for (let c = 0; c < NR; c++) store<f32>(o + <usize>c * 4, c < cols ? load<f32>(base + <usize>(c * ldb + p) * 4) : 0);
        }
      }
    }
  }
}

// ---- micro-kernel --------------------------------------------------------------------

/**
 * acc + a·b. With relaxed SIMD this is one fused multiply-add where the machine has FMA
 * (x64 FMA3, arm64): half the instructions of mul + add, which is what bounds the 4×8 tile
 * (front end, not arithmetic). Rounding then differs from mul + add in the last bit.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, acc: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, acc);
  return f32x4.add(acc, f32x4.mul(a, b));
}

/**
 * The 4×8 register tile: eight v128 accumulators; per depth step two B vectors and four
 * broadcast A values (v128.load32_splat is a plain broadcast load). B rows are `bs` bytes
 * apart (32 when packed, the row stride of B when read in place). C (ldc elements per row)
 * is overwritten when `add` is false, else added to.
 */
// @ts-ignore: decorator
@inline
function kernel4x8(kc: i32, pa: usize, pb: usize, bs: usize, c: usize, ldc: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb), b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00); c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10); c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20); c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30); c31 = madd(a, b1, c31);
    pa += 16; pb += bs;
  }
  const r = <usize>ldc * 4;
  let o = c;
  if (add) {
    v128.store(o, f32x4.add(v128.load(o), c00)); v128.store(o, f32x4.add(v128.load(o, 16), c01), 16); o += r;
    v128.store(o, f32x4.add(v128.load(o), c10)); v128.store(o, f32x4.add(v128.load(o, 16), c11), 16); o += r;
    v128.store(o, f32x4.add(v128.load(o), c20)); v128.store(o, f32x4.add(v128.load(o, 16), c21), 16); o += r;
    v128.store(o, f32x4.add(v128.load(o), c30)); v128.store(o, f32x4.add(v128.load(o, 16), c31), 16);
  } else {
    v128.store(o, c00); v128.store(o, c01, 16); o += r;
    v128.store(o, c10); v128.store(o, c11, 16); o += r;
    v128.store(o, c20); v128.store(o, c21, 16); o += r;
    v128.store(o, c30); v128.store(o, c31, 16);
  }
}

/** A partial tile: computed into `tile` (MR×NR) and then the valid rows×cols go to C. */
function kernelEdge(kc: i32, pa: usize, pb: usize, bs: usize, c: usize, ldc: i32, add: bool, rows: i32, cols: i32, tile: usize): void {
  kernel4x8(kc, pa, pb, bs, tile, NR, false);
  for (let i = 0; i < rows; i++) {
    const o = c + <usize>(i * ldc) * 4;
    const t = tile + <usize>(i * NR) * 4;
    if (add) for (let j = 0; j < cols; j++) store<f32>(o + <usize>j * 4, load<f32>(o + <usize>j * 4) + load<f32>(t + <usize>j * 4));
    else for (let j = 0; j < cols; j++) store<f32>(o + <usize>j * 4, load<f32>(t + <usize>j * 4));
  }
}

// ---- driver ---------------------------------------------------------------------------

/**
 * C[i0.., j0..] over an m×n sub-block of the full product (rows [i0, i0+m), cols [j0, j0+n)).
 * A is stored [M, K] (lda = K) or [K, M] when transA (lda = M); B is [K, N] (ldb = N) or
 * [N, K] when transB (ldb = K); C is [M, N] with ldc = N. `scratch` is this thread's
 * packing area (gemmScratchBytes()).
 */
export function gemmBlock(a: usize, lda: i32, transA: bool, b: usize, ldb: i32, transB: bool, c: usize, ldc: i32,
                          i0: i32, j0: i32, m: i32, n: i32, k: i32, accumulate: bool, scratch: usize): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + <usize>((i0 + i) * ldc + j0) * 4, 0, <usize>n * 4);
    return;
  }
  const pA = (scratch + 63) & ~(<usize>63);
  const pB = pA + <usize>(MC * KC) * 4;
  const tile = pB + <usize>(KC * NC) * 4;
  // With few rows, packing B costs more than it saves (it is reused only m/MR times): the
  // micro-kernel then reads whole NR-column strips of B in place and only the ragged last
  // strip is packed. That needs a row stride that spreads B's rows over the L1 sets (an odd
  // number of 64-byte lines; the loader pads B's rows so): with a stride of 4 KB every row
  // lands in the same set and the in-place reads are 2× slower than packing.
  const direct = (!transB && m <= DIRECT_B_MAX_M && (ldb & 15) == 0 && ((ldb >> 4) & 1) == 1) || (!transB && m <= 4);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    const ncFull = direct ? nc - nc % NR : 0;
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      if (direct) {
        if (ncFull < nc) packB(b, ldb, transB, pc, j0 + jc + ncFull, kc, nc - ncFull, pB + <usize>(ncFull * kc) * 4);
      } else packB(b, ldb, transB, pc, j0 + jc, kc, nc, pB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA(a, lda, transA, i0 + ic, pc, mc, kc, pA);
        for (let jr = 0; jr < nc; jr += NR) {
          const cols = min(NR, nc - jr);
          const inPlace = jr < ncFull;
          const pb = inPlace ? b + <usize>(pc * ldb + j0 + jc + jr) * 4 : pB + <usize>(jr * kc) * 4;
          const bs: usize = inPlace ? <usize>ldb * 4 : NR * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const rows = min(MR, mc - ir);
            const pa = pA + <usize>(ir * kc) * 4;
            const cp = c + <usize>((i0 + ic + ir) * ldc + j0 + jc + jr) * 4;
            if (rows == MR && cols == NR) kernel4x8(kc, pa, pb, bs, cp, ldc, add);
            else kernelEdge(kc, pa, pb, bs, cp, ldc, add, rows, cols, tile);
          }
        }
      }
    }
  }
}
