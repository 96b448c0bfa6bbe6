// The thread pool's side in WebAssembly: a control block in shared memory, a worker loop
// (spin, then memory.atomic.wait) and the caller's fork/join for a split GEMM.
//
// Control block (i32 slots at `ctrl`): the caller writes a job, bumps GEN and notifies;
// each participating worker runs its part and decrements PENDING; the caller runs part 0,
// then spins (and finally waits) until PENDING is 0. A worker takes part only if its bit
// is in MASK, which the caller sets only for workers that have flagged READY, so a worker
// that starts late can never be waited for.

import { gemmBlock, MR, NR } from "./gemm";

export const GEN = 0, PENDING = 1, SHUTDOWN = 2, NPARTS = 3, MASK = 4, SCRATCH_BASE = 5, SCRATCH_STRIDE = 6;
const P_A = 8, P_LDA = 9, P_TA = 10, P_B = 11, P_LDB = 12, P_TB = 13, P_C = 14, P_LDC = 15, P_M = 16, P_N = 17, P_K = 18, P_ACC = 19, P_SPLITN = 20;
export const READY = 32; // READY + tid: 1 while worker tid is in its loop
export const CTRL_BYTES = 256;

// @ts-ignore: decorator
@inline
function slot(ctrl: usize, i: i32): usize {
  return ctrl + <usize>i * 4;
}

// @ts-ignore: decorator
@inline
function get(ctrl: usize, i: i32): i32 {
  return load<i32>(slot(ctrl, i));
}

/** Runs part `rank` of `nparts` of the GEMM described in the control block. */
function runPart(ctrl: usize, rank: i32, nparts: i32, tid: i32): void {
  const m = get(ctrl, P_M), n = get(ctrl, P_N), k = get(ctrl, P_K);
  const scratch = <usize>get(ctrl, SCRATCH_BASE) + <usize>tid * <usize>get(ctrl, SCRATCH_STRIDE);
  let i0 = 0, j0 = 0, mm = m, nn = n;
  if (get(ctrl, P_SPLITN)) {
    const chunk = ((n + nparts * NR - 1) / (nparts * NR)) * NR;
    j0 = rank * chunk;
    nn = min(chunk, n - j0);
  } else {
    const chunk = ((m + nparts * MR - 1) / (nparts * MR)) * MR;
    i0 = rank * chunk;
    mm = min(chunk, m - i0);
  }
  if (mm <= 0 || nn <= 0) return;
  gemmBlock(<usize>get(ctrl, P_A), get(ctrl, P_LDA), get(ctrl, P_TA) != 0, <usize>get(ctrl, P_B), get(ctrl, P_LDB), get(ctrl, P_TB) != 0,
    <usize>get(ctrl, P_C), get(ctrl, P_LDC), i0, j0, mm, nn, k, get(ctrl, P_ACC) != 0, scratch);
}

/** A worker's whole life: wait for jobs until SHUTDOWN. `spin` bounds the busy-wait before sleeping. */
export function workerLoop(ctrl: usize, tid: i32, spin: i32): void {
  let seen = atomic.load<i32>(slot(ctrl, GEN));
  atomic.store<i32>(slot(ctrl, READY + tid), 1);
  while (true) {
    let g = atomic.load<i32>(slot(ctrl, GEN));
    let s = 0;
    while (g == seen) {
      if (s < spin) s++;
      else atomic.wait<i32>(slot(ctrl, GEN), seen, -1);
      g = atomic.load<i32>(slot(ctrl, GEN));
    }
    seen = g;
    if (atomic.load<i32>(slot(ctrl, SHUTDOWN)) != 0) break;
    const mask = get(ctrl, MASK);
    if ((mask >>> tid) & 1) {
      runPart(ctrl, popcnt<i32>(mask & ((1 << tid) - 1)) + 1, get(ctrl, NPARTS), tid);
      if (atomic.sub<i32>(slot(ctrl, PENDING), 1) == 1) atomic.notify(slot(ctrl, PENDING), 1);
    }
  }
  atomic.store<i32>(slot(ctrl, READY + tid), 0);
}

/**
 * C (+)= op(A)·op(B), split over the caller (part 0) and the workers in `mask`; splits the
 * columns of C when splitN, else its rows. Blocks until every part is done.
 */
export function gemmParallel(ctrl: usize, mask: i32, splitN: bool, spin: i32,
                             a: usize, lda: i32, transA: bool, b: usize, ldb: i32, transB: bool, c: usize, ldc: i32,
                             m: i32, n: i32, k: i32, accumulate: bool): void {
  const nparts = popcnt<i32>(mask) + 1;
  store<i32>(slot(ctrl, P_A), <i32>a); store<i32>(slot(ctrl, P_LDA), lda); store<i32>(slot(ctrl, P_TA), transA ? 1 : 0);
  store<i32>(slot(ctrl, P_B), <i32>b); store<i32>(slot(ctrl, P_LDB), ldb); store<i32>(slot(ctrl, P_TB), transB ? 1 : 0);
  store<i32>(slot(ctrl, P_C), <i32>c); store<i32>(slot(ctrl, P_LDC), ldc);
  store<i32>(slot(ctrl, P_M), m); store<i32>(slot(ctrl, P_N), n); store<i32>(slot(ctrl, P_K), k);
  store<i32>(slot(ctrl, P_ACC), accumulate ? 1 : 0); store<i32>(slot(ctrl, P_SPLITN), splitN ? 1 : 0);
  store<i32>(slot(ctrl, NPARTS), nparts); store<i32>(slot(ctrl, MASK), mask);
  atomic.store<i32>(slot(ctrl, PENDING), nparts - 1);
  atomic.add<i32>(slot(ctrl, GEN), 1);
  atomic.notify(slot(ctrl, GEN), -1);
  runPart(ctrl, 0, nparts, 0);
  let s = 0;
  let p = atomic.load<i32>(slot(ctrl, PENDING));
  while (p != 0) {
    if (s < spin) s++;
    else atomic.wait<i32>(slot(ctrl, PENDING), p, -1);
    p = atomic.load<i32>(slot(ctrl, PENDING));
  }
}

/** Asks every worker to leave its loop. */
export function shutdown(ctrl: usize): void {
  atomic.store<i32>(slot(ctrl, SHUTDOWN), 1);
  atomic.add<i32>(slot(ctrl, GEN), 1);
  atomic.notify(slot(ctrl, GEN), -1);
}
