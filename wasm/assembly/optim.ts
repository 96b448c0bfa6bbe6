// Optimizer updates on float32, in place. The loader pads every block by 32+ bytes, so the
// loops run in whole vectors; lanes past n are never copied out.

/**
 * One Adam / AdamW step over n parameters (src/optim/adam.ts has the equations and the
 * reference loop this must match):
 *
 *   g ← −g if maximize;  p ← p·decay (AdamW) or g ← g + λp (Adam, λ ≠ 0)
 *   m ← β1·m + (1 − β1)·g        v ← β2·v + (1 − β2)·g²        v̂ ← max(v̂, v) if amsgrad
 *   p ← p − stepSize·m / (√v̂ / √(1 − β2ᵗ) + ε)
 *
 * `vmax` is 0 without amsgrad. The JS loop rounds only on store; this one rounds each f32 op,
 * as PyTorch's float32 kernels do.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
                     beta1: f32, beta2: f32, oneMinusBeta1: f32, oneMinusBeta2: f32, eps: f32, weightDecay: f32, decay: f32,
                     stepSize: f32, bc2Sqrt: f32, decoupled: bool, maximize: bool): void {
  // 1 − β comes from the caller, computed in double: 1 − f32(0.999) would be 1.3e-5 off.
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2), c1 = f32x4.splat(oneMinusBeta1), c2 = f32x4.splat(oneMinusBeta2);
  const ep = f32x4.splat(eps), wd = f32x4.splat(weightDecay), dc = f32x4.splat(decay), ss = f32x4.splat(stepSize), bc = f32x4.splat(bc2Sqrt);
  const l2 = !decoupled && weightDecay != 0;
  for (let i: usize = 0, end = <usize>n * 4; i < end; i += 16) {
    let gi = v128.load(g + i), pi = v128.load(p + i);
    if (maximize) gi = f32x4.neg(gi);
    if (decoupled) pi = f32x4.mul(pi, dc);
    else if (l2) gi = f32x4.add(gi, f32x4.mul(wd, pi));
    const mi = f32x4.add(f32x4.mul(b1, v128.load(m + i)), f32x4.mul(c1, gi));
    let vi = f32x4.add(f32x4.mul(b2, v128.load(v + i)), f32x4.mul(f32x4.mul(c2, gi), gi));
    v128.store(m + i, mi);
    v128.store(v + i, vi);
    if (vmax != 0) {
      vi = f32x4.max(v128.load(vmax + i), vi);
      v128.store(vmax + i, vi);
    }
    const denom = f32x4.add(f32x4.div(f32x4.sqrt(vi), bc), ep);
    v128.store(p + i, f32x4.sub(pi, f32x4.div(f32x4.mul(ss, mi), denom)));
  }
}
