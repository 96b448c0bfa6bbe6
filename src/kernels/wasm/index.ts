/**
 * The `wasm` backend: float32 kernels in WebAssembly (128-bit SIMD, AssemblyScript sources in
 * wasm/assembly/), GEMM split across worker threads when it pays. Everything it does not
 * accelerate — other dtypes, small inputs, index kernels, pooling, and any kernel appended to
 * the Backend interface later — falls through to the js reference (`{ ...jsBackend, ...fast }`).
 *
 * Each call copies its operands into the runtime's arena, runs, copies the result out and
 * resets the arena (see runtime.ts for why tensors do not live in WASM memory).
 */
import { sameElementType, type TypedArray } from "../../core/dtype.js";
import { NNZooError } from "../../core/errors.js";
import { contiguousStrides } from "../../core/shape.js";
import type { AdamStepArgs, Backend, BinaryOp, ConvBatchArgs, CellStep, ConvGeom, ReduceOp, UnaryOp, UnaryParams } from "../backend.js";
import { jsBackend } from "../js/index.js";
import { coalesce } from "../js/strided.js";
import { ArenaFull, threadBudget, warnOnce, WasmRuntime } from "./runtime.js";
import { gemmOn, type ScanHost, scanBackward, scanForward } from "./scan.js";

let runtime: WasmRuntime | null = null;
let threaded: WasmRuntime | null | undefined;
let failed = false;
const failureHooks: Array<(error: Error) => void> = [];

/**
 * The runtime every kernel uses, on a plain (non-shared) memory, created on first use; null
 * (after one warning) if WebAssembly cannot start here. Copies into a plain memory are ~3×
 * faster than into a shared one (V8 copies shared memory word by word), and copies are most
 * of an element-wise kernel's time.
 */
export function wasmRuntime(): WasmRuntime | null {
  if (runtime || failed) return runtime;
  try {
    runtime = new WasmRuntime(1);
  } catch (e) {
    failed = true;
    const err = e as Error;
    warnOnce(`nnzoo: the wasm backend could not start (${err.message}); using the js backend`);
    for (const hook of failureHooks) hook(err);
  }
  return runtime;
}

/**
 * The second runtime, on a shared memory with the worker pool, used only for GEMMs that are
 * split across threads; null where threads are unavailable (NNZOO_THREADS=1, one core, no
 * SharedArrayBuffer, a page that is not cross-origin isolated).
 */
function threadedRuntime(): WasmRuntime | null {
  if (threaded !== undefined) return threaded;
  threaded = null;
  const n = threadBudget();
  if (n > 1 && wasmRuntime()) {
    try {
      const rt = new WasmRuntime(n);
      if (rt.shared && rt.getPool()) threaded = rt;
    } catch (e) {
      warnOnce(`nnzoo: wasm threads unavailable (${(e as Error).message}); using one thread`);
    }
  }
  return threaded;
}

/** Called (once) if the runtime fails to start; the registry uses it to fall back to js. */
export function onWasmFailure(hook: (error: Error) => void): void {
  failureHooks.push(hook);
}

/** Stops the worker threads (tests; a process exits fine without it). */
export function shutdownWasm(): void {
  threaded?.close();
}

/** Threads GEMM may use now (1 + workers that are up); starts the pool if it is not running. */
export function wasmThreads(): number {
  const pool = threadedRuntime()?.pool;
  return pool ? 1 + popcount(pool.readyMask()) : 1;
}

/**
 * Caps the threads one GEMM may use (like torch.set_num_threads); 1 keeps all work on the
 * calling thread and never starts the pool. The Lab's engine worker leaves a core to the page.
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new NNZooError(`setNumThreads: n must be a positive integer, got ${n}`);
  tuning.maxThreads = n;
}

/** Threads one GEMM may use: the setNumThreads cap within the runtime's budget (NNZOO_THREADS or the cores). */
export function getNumThreads(): number {
  return Math.min(tuning.maxThreads, threadBudget());
}

/** Bytes of WebAssembly memory the backend holds (both runtimes). */
export function wasmMemoryBytes(): number {
  return (runtime?.memoryBytes ?? 0) + (threaded?.memoryBytes ?? 0);
}

/** Keeps the lowest `n` set bits of x. */
function limitBits(x: number, n: number): number {
  let out = 0;
  for (let i = 0; i < n && x; i++) {
    const low = x & -x;
    out |= low;
    x &= x - 1;
  }
  return out;
}

function popcount(x: number): number {
  let c = 0;
  for (; x; x &= x - 1) c++;
  return c;
}

const isF32 = (a: TypedArray): a is Float32Array => a instanceof Float32Array;

// ---- tuning ------------------------------------------------------------------------------

export const tuning = {
  /** At most this many threads per GEMM (the runtime's budget is NNZOO_THREADS or the core count). */
  maxThreads: Infinity,
  /**
   * GEMMs with fewer multiply-adds stay on one thread. It adapts (see `adaptThreads`):
   * on an idle machine the spin handshake costs a few µs and splitting pays from ~2^18
   * multiply-adds; when other processes hold the cores, waking a worker can take ~0.3 ms.
   */
  parallelMinMacs: 1 << 18,
  /** The adaptive threshold never goes below this. */
  parallelFloorMacs: 1 << 18,
  /** Element-wise/unary work below this many elements stays in js (call + copy overhead). */
  minElements: 64,
  /** GEMMs below this many multiply-adds stay in js. */
  gemmMinMacs: 512,
};

// ---- GEMM ----------------------------------------------------------------------------------

/** Counters for tests and benchmarks. */
export const stats = { parallelGemms: 0, adamSteps: 0, convBatches: 0 };

/** Rows of B up to which the GEMM reads B in place (DIRECT_B_MAX_M in wasm/assembly/gemm.ts). */
const DIRECT_B_MAX_M = 64;

/** A row stride ≥ n that is an odd multiple of 16 floats (64-byte lines). */
function directStride(n: number): number {
  const s = Math.ceil(n / 16) * 16;
  return (s / 16) % 2 === 1 ? s : s + 16;
}

/** Time per multiply-add on one thread (ms), a running average over calls big enough to time. */
let msPerMac1 = 0;
let probe = 0;

/** Whether to split a GEMM of `macs` multiply-adds across threads. */
function wantParallel(macs: number): boolean {
  if (tuning.maxThreads <= 1 || macs < tuning.parallelFloorMacs) return false;
  if (macs >= tuning.parallelMinMacs) return true;
  // Now and then, try threads below the current threshold to notice the machine got quieter.
  return (++probe & 63) === 0;
}

/**
 * Keeps the threshold honest: a split call that was not clearly faster than one thread would
 * have been (by the running single-thread rate) raises it past that size; one that paid
 * lowers it below that size.
 */
function adaptThreads(macs: number, parallel: boolean, ms: number): void {
  if (!parallel) {
    const rate = ms / macs;
    msPerMac1 = msPerMac1 === 0 ? rate : 0.9 * msPerMac1 + 0.1 * rate;
    return;
  }
  if (msPerMac1 === 0) return;
  const single = msPerMac1 * macs;
  // Sizes at least this big did not pay: raise the bar past them. This size paid: let it (and a bit less) in.
  if (ms > 0.8 * single) tuning.parallelMinMacs = Math.min(Math.max(tuning.parallelMinMacs, 2 * macs), 1 << 28);
  else tuning.parallelMinMacs = Math.max(Math.min(tuning.parallelMinMacs, macs) / 1.25, tuning.parallelFloorMacs);
}

/**
 * Where GEMMs of `macs` multiply-adds run: split across threads (on the shared runtime, with
 * the workers in `mask`) only when it pays and workers are up, else on the plain runtime.
 */
function pickRuntime(macs: number): { rt: WasmRuntime; mask: number } | null {
  const base = wasmRuntime();
  if (!base) return null;
  if (wantParallel(macs)) {
    const t = threadedRuntime();
    const mask = t?.pool ? limitBits(t.pool.readyMask(), tuning.maxThreads - 1) : 0;
    if (mask !== 0) return { rt: t!, mask };
  }
  return { rt: base, mask: 0 };
}

function gemm(a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number, m: number, n: number, k: number, transA: boolean, transB: boolean, accumulate: boolean): void {
  const macs = m * n * k;
  const picked = isF32(a) && isF32(b) && isF32(c) && macs >= tuning.gemmMinMacs ? pickRuntime(macs) : null;
  if (!picked) return jsBackend.gemm(a, aOff, b, bOff, c, cOff, m, n, k, transA, transB, accumulate);
  const { rt, mask } = picked;
  try {
    const pa = rt.put((a as Float32Array).subarray(aOff, aOff + m * k));
    // With few rows the kernel reads B in place (no packing); its rows then get a stride of an
    // odd number of cache lines so they do not all fall into one L1 set (wasm/assembly/gemm.ts).
    // The row-by-row copy costs ~0.1 µs a row, so only long rows pay (W1's profile: 1,024 rows
    // of 256 cost more to copy than to pack).
    const direct = !transB && m <= DIRECT_B_MAX_M && n >= 512;
    const ldb = transB ? k : direct ? directStride(n) : n;
    const pb = direct ? rt.putRows(b as Float32Array, bOff, k, n, ldb) : rt.put((b as Float32Array).subarray(bOff, bOff + k * n));
    const pc = accumulate ? rt.put((c as Float32Array).subarray(cOff, cOff + m * n)) : rt.alloc(m * n * 4);
    gemmOn(gemmHost, rt, mask, pa, transA ? m : k, transA, pb, ldb, transB, pc, m, n, k, accumulate);
    rt.get(pc, c as Float32Array, cOff, m * n);
  } finally {
    rt.reset();
  }
}

/** The GEMM machinery gemm, convBatch and the fused recurrent scan (scan.ts) run on. */
const gemmHost: ScanHost = {
  pick: pickRuntime,
  timed: adaptThreads,
  directStride,
  timeMinMacs: () => tuning.parallelFloorMacs / 4,
  countParallel: () => void stats.parallelGemms++,
};

// ---- element-wise ----------------------------------------------------------------------------

const UNARY: Partial<Record<UnaryOp, number>> = {
  neg: 0, abs: 1, sign: 2, exp: 3, log: 4, log1p: 5, sqrt: 6, rsqrt: 7, square: 8, reciprocal: 9,
  tanh: 10, sigmoid: 11, relu: 12, leakyRelu: 13, elu: 14, softplus: 15, clamp: 16,
};

function unary(op: UnaryOp, x: TypedArray, out: TypedArray, p: UnaryParams = {}): void {
  if (op === "powScalar" && p.exponent === 2) op = "square";
  const code = UNARY[op];
  const rt = code !== undefined && isF32(x) && isF32(out) && x.length >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) {
    if (op === "cast" && sameElementType(x, out)) return void out.set(x as never);
    return jsBackend.unary(op, x, out, p);
  }
  let p0 = 0, p1 = 0;
  if (op === "leakyRelu") p0 = p.alpha ?? 0.01;
  else if (op === "elu") p0 = p.alpha ?? 1;
  else if (op === "softplus") { p0 = p.beta ?? 1; p1 = p.threshold ?? 20; }
  else if (op === "clamp") { p0 = p.min ?? -Infinity; p1 = p.max ?? Infinity; }
  try {
    const px = rt.put(x as Float32Array);
    const po = rt.alloc(x.length * 4);
    rt.k.unary(code!, px, po, x.length, p0, p1);
    rt.get(po, out as Float32Array, 0, x.length);
  } finally {
    rt.reset();
  }
}

const BINARY: Record<BinaryOp, number> = {
  add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6, eq: 7, ne: 8, lt: 9, le: 10, gt: 11, ge: 12,
};

function binary(op: BinaryOp, a: TypedArray, aStrides: readonly number[], b: TypedArray, bStrides: readonly number[], out: TypedArray, shape: readonly number[]): void {
  const rt = isF32(a) && isF32(b) && isF32(out) && out.length >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.binary(op, a, aStrides, b, bStrides, out, shape);
  const c = coalesce(shape, [aStrides, bStrides, contiguousStrides(shape)]);
  try {
    const pa = rt.put(a as Float32Array);
    const pb = a === b ? pa : rt.put(b as Float32Array);
    const po = rt.alloc(out.length * 4);
    const nd = c.shape.length;
    const meta = rt.putInts([...c.shape, ...c.strides[0], ...c.strides[1], ...c.shape]);
    rt.k.binary(BINARY[op], nd, meta, pa, meta + 4 * nd, pb, meta + 8 * nd, po, meta + 12 * nd);
    rt.get(po, out as Float32Array, 0, out.length);
  } finally {
    rt.reset();
  }
}

function where(cond: TypedArray, cs: readonly number[], a: TypedArray, as: readonly number[], b: TypedArray, bs: readonly number[], out: TypedArray, shape: readonly number[]): void {
  const rt = isF32(cond) && isF32(a) && isF32(b) && isF32(out) && out.length >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.where(cond, cs, a, as, b, bs, out, shape);
  const c = coalesce(shape, [cs, as, bs, contiguousStrides(shape)]);
  try {
    const pc = rt.put(cond as Float32Array);
    const pa = rt.put(a as Float32Array);
    const pb = rt.put(b as Float32Array);
    const po = rt.alloc(out.length * 4);
    const nd = c.shape.length;
    const meta = rt.putInts([...c.shape, ...c.strides[0], ...c.strides[1], ...c.strides[2], ...c.shape]);
    rt.k.where(nd, meta, pc, meta + 4 * nd, pa, meta + 8 * nd, pb, meta + 12 * nd, po, meta + 16 * nd);
    rt.get(po, out as Float32Array, 0, out.length);
  } finally {
    rt.reset();
  }
}

// ---- reductions and softmax --------------------------------------------------------------------

const REDUCE: Partial<Record<ReduceOp, number>> = { sum: 0, max: 1, min: 2 };

function reduce(op: ReduceOp, x: TypedArray, outer: number, n: number, inner: number, out: TypedArray): void {
  const code = REDUCE[op];
  const rt = code !== undefined && isF32(x) && isF32(out) && n > 0 && x.length >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.reduce(op, x, outer, n, inner, out);
  try {
    const px = rt.put(x as Float32Array);
    const po = rt.alloc(outer * inner * 4);
    const acc = rt.alloc(inner * 8);
    rt.k.reduce(code!, px, outer, n, inner, po, acc);
    rt.get(po, out as Float32Array, 0, outer * inner);
  } finally {
    rt.reset();
  }
}

function softmax(x: TypedArray, out: TypedArray, outer: number, n: number, inner: number, log: boolean): void {
  const rt = isF32(x) && isF32(out) && x.length >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.softmax(x, out, outer, n, inner, log);
  try {
    const px = rt.put(x as Float32Array);
    const po = rt.alloc(x.length * 4);
    const acc = rt.alloc(inner * 12);
    rt.k.softmax(px, po, outer, n, inner, log ? 1 : 0, acc);
    rt.get(po, out as Float32Array, 0, x.length);
  } finally {
    rt.reset();
  }
}

// ---- convolution helpers ---------------------------------------------------------------------

const geomInts = (g: ConvGeom): number[] => [g.c, g.h, g.w, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow];

function im2col(x: TypedArray, xOff: number, col: TypedArray, colOff: number, g: ConvGeom): void {
  const colSize = g.c * g.kh * g.kw * g.oh * g.ow;
  const rt = isF32(x) && isF32(col) && colSize >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.im2col(x, xOff, col, colOff, g);
  try {
    const px = rt.put((x as Float32Array).subarray(xOff, xOff + g.c * g.h * g.w));
    const pc = rt.alloc(colSize * 4);
    rt.k.im2col(px, pc, rt.putInts(geomInts(g)));
    rt.get(pc, col as Float32Array, colOff, colSize);
  } finally {
    rt.reset();
  }
}

function col2im(col: TypedArray, colOff: number, x: TypedArray, xOff: number, g: ConvGeom): void {
  const colSize = g.c * g.kh * g.kw * g.oh * g.ow;
  const xSize = g.c * g.h * g.w;
  const rt = isF32(x) && isF32(col) && colSize >= tuning.minElements ? wasmRuntime() : null;
  if (!rt) return jsBackend.col2im(col, colOff, x, xOff, g);
  try {
    const pc = rt.put((col as Float32Array).subarray(colOff, colOff + colSize));
    const px = rt.put((x as Float32Array).subarray(xOff, xOff + xSize));
    rt.k.col2im(pc, px, rt.putInts(geomInts(g)));
    rt.get(px, x as Float32Array, xOff, xSize);
  } finally {
    rt.reset();
  }
}

/**
 * A batch's convolution product in one call (Backend.convBatch): the batch and the weights are
 * copied in once, and each image's im2col/col2im and GEMM run on them in place. The per-image
 * path copied the weights and every column matrix in and out for each image: W5's profile had
 * those copies at 35% of a step, against 24% in GEMMs.
 */
function convBatch(cb: ConvBatchArgs): boolean {
  const { kind, a, b, out, n: N, c: C, o: O, groups, g } = cb;
  if (!isF32(a) || !isF32(b) || !isF32(out)) return false;
  const cg = C / groups, og = O / groups, ckk = cg * g.kh * g.kw, P = g.oh * g.ow, HW = g.h * g.w;
  const macs = og * P * ckk;
  const picked = macs >= tuning.gemmMinMacs ? pickRuntime(macs) : null;
  if (!picked) return false;
  const { rt, mask } = picked;
  // op(A)[m,k]·op(B)[k,n] of packed operands on the runtime.
  const mm = (pa: number, transA: boolean, pb: number, transB: boolean, pc: number, m: number, n: number, k: number, acc: boolean) =>
    gemmOn(gemmHost, rt, mask, pa, transA ? m : k, transA, pb, transB ? k : n, transB, pc, m, n, k, acc);
  try {
    const pa = rt.put(a as Float32Array), pb = rt.put(b as Float32Array);
    const po = rt.alloc(out.length * 4), col = rt.alloc(ckk * P * 4), pg = rt.putInts(geomInts(g));
    if (kind !== "forward") rt.u8.fill(0, po, po + out.length * 4); // col2im and the weight sum add into it
    stats.convBatches++;
    for (let n = 0; n < N; n++)
      for (let k = 0; k < groups; k++) {
        const xAt = 4 * (n * C + k * cg) * HW, yAt = 4 * (n * O + k * og) * P, wAt = 4 * k * og * ckk;
        if (kind === "forward") {
          rt.k.im2col(pa + xAt, col, pg);
          mm(pb + wAt, false, col, false, po + yAt, og, P, ckk, false);
        } else if (kind === "inputGrad") {
          mm(pb + wAt, true, pa + yAt, false, col, ckk, P, og, false);
          rt.k.col2im(col, po + xAt, pg);
        } else {
          rt.k.im2col(pa + xAt, col, pg);
          mm(pb + yAt, false, col, true, po + wAt, og, ckk, P, true);
        }
      }
    rt.get(po, out as Float32Array, 0, out.length);
    return true;
  } catch (e) {
    if (e instanceof ArenaFull) return false; // nothing written to `out` yet: the per-image path runs
    throw e;
  } finally {
    rt.reset();
  }
}

// ---- fused recurrent cells --------------------------------------------------------------------

/** The runtime if every array is float32 (null entries are optional biases) and the step is big enough. */
function cellRuntime(s: CellStep, arrays: Array<TypedArray | null>): WasmRuntime | null {
  for (const a of arrays) if (a !== null && !isF32(a)) return null;
  return s.batch * s.hidden >= 16 ? wasmRuntime() : null;
}

/** Copies the arrays in (null → address 0); `lengths` too. */
function putAll(rt: WasmRuntime, arrays: Array<TypedArray | null>): number[] {
  return arrays.map((a) => (a === null ? 0 : rt.put(a as Float32Array)));
}

const lengthsPtr = (rt: WasmRuntime, s: CellStep): number => (s.lengths === null ? 0 : rt.putInt32(s.lengths));

/** Copies results back out of the arena: pairs of [address, destination]. */
function getAll(rt: WasmRuntime, outs: Array<[number, TypedArray]>): void {
  for (const [p, a] of outs) rt.get(p, a as Float32Array, 0, a.length);
}

function lstmCell(gates: TypedArray, bias: TypedArray | null, cPrev: TypedArray, hPrev: TypedArray, c: TypedArray, h: TypedArray, y: TypedArray, s: CellStep): void {
  const rt = cellRuntime(s, [gates, bias, cPrev, hPrev, c, h, y]);
  if (!rt) return jsBackend.lstmCell(gates, bias, cPrev, hPrev, c, h, y, s);
  try {
    const [pg, pb, pcp, php] = putAll(rt, [gates, bias, cPrev, hPrev]);
    const pc = rt.alloc(c.length * 4), ph = rt.alloc(h.length * 4), py = rt.alloc(y.length * 4);
    rt.k.lstmCell(pg, pb, pcp, php, pc, ph, py, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[pg, gates], [pc, c], [ph, h], [py, y]]);
  } finally {
    rt.reset();
  }
}

function lstmCellBackward(act: TypedArray, cPrev: TypedArray, c: TypedArray, dy: TypedArray, dh: TypedArray, dc: TypedArray, dGates: TypedArray, dhPrev: TypedArray, s: CellStep): void {
  const rt = cellRuntime(s, [act, cPrev, c, dy, dh, dc, dGates, dhPrev]);
  if (!rt) return jsBackend.lstmCellBackward(act, cPrev, c, dy, dh, dc, dGates, dhPrev, s);
  try {
    const [pa, pcp, pc, pdy, pdh, pdc] = putAll(rt, [act, cPrev, c, dy, dh, dc]);
    const pdg = rt.alloc(dGates.length * 4), pdhp = rt.alloc(dhPrev.length * 4);
    rt.k.lstmCellBackward(pa, pcp, pc, pdy, pdh, pdc, pdg, pdhp, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[pdg, dGates], [pdh, dh], [pdc, dc], [pdhp, dhPrev]]);
  } finally {
    rt.reset();
  }
}

function gruCell(xg: TypedArray, hg: TypedArray, bias: TypedArray | null, hPrev: TypedArray, act: TypedArray, hn: TypedArray, h: TypedArray, y: TypedArray, s: CellStep): void {
  const rt = cellRuntime(s, [xg, hg, bias, hPrev, act, hn, h, y]);
  if (!rt) return jsBackend.gruCell(xg, hg, bias, hPrev, act, hn, h, y, s);
  try {
    const [px, phg, pb, php] = putAll(rt, [xg, hg, bias, hPrev]);
    const pa = rt.alloc(act.length * 4), phn = rt.alloc(hn.length * 4), ph = rt.alloc(h.length * 4), py = rt.alloc(y.length * 4);
    rt.k.gruCell(px, phg, pb, php, pa, phn, ph, py, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[pa, act], [phn, hn], [ph, h], [py, y]]);
  } finally {
    rt.reset();
  }
}

function gruCellBackward(act: TypedArray, hn: TypedArray, hPrev: TypedArray, dy: TypedArray, dh: TypedArray, dGx: TypedArray, dGh: TypedArray, dhPrev: TypedArray, s: CellStep): void {
  const rt = cellRuntime(s, [act, hn, hPrev, dy, dh, dGx, dGh, dhPrev]);
  if (!rt) return jsBackend.gruCellBackward(act, hn, hPrev, dy, dh, dGx, dGh, dhPrev, s);
  try {
    const [pa, phn, php, pdy, pdh] = putAll(rt, [act, hn, hPrev, dy, dh]);
    const pgx = rt.alloc(dGx.length * 4), pgh = rt.alloc(dGh.length * 4), pdhp = rt.alloc(dhPrev.length * 4);
    rt.k.gruCellBackward(pa, phn, php, pdy, pdh, pgx, pgh, pdhp, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[pgx, dGx], [pgh, dGh], [pdh, dh], [pdhp, dhPrev]]);
  } finally {
    rt.reset();
  }
}

function rnnCell(pre: TypedArray, bias: TypedArray | null, hPrev: TypedArray, h: TypedArray, y: TypedArray, relu: boolean, s: CellStep): void {
  const rt = cellRuntime(s, [pre, bias, hPrev, h, y]);
  if (!rt) return jsBackend.rnnCell(pre, bias, hPrev, h, y, relu, s);
  try {
    const [pp, pb, php] = putAll(rt, [pre, bias, hPrev]);
    const ph = rt.alloc(h.length * 4), py = rt.alloc(y.length * 4);
    rt.k.rnnCell(pp, pb, php, ph, py, relu ? 1 : 0, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[ph, h], [py, y]]);
  } finally {
    rt.reset();
  }
}

function rnnCellBackward(h: TypedArray, dy: TypedArray, dh: TypedArray, dPre: TypedArray, dhPrev: TypedArray, relu: boolean, s: CellStep): void {
  const rt = cellRuntime(s, [h, dy, dh, dPre, dhPrev]);
  if (!rt) return jsBackend.rnnCellBackward(h, dy, dh, dPre, dhPrev, relu, s);
  try {
    const [ph, pdy, pdh] = putAll(rt, [h, dy, dh]);
    const pdp = rt.alloc(dPre.length * 4), pdhp = rt.alloc(dhPrev.length * 4);
    rt.k.rnnCellBackward(ph, pdy, pdh, pdp, pdhp, relu ? 1 : 0, s.batch, s.hidden, s.t, lengthsPtr(rt, s));
    getAll(rt, [[pdp, dPre], [pdh, dh], [pdhp, dhPrev]]);
  } finally {
    rt.reset();
  }
}

/**
 * Adam in wasm SIMD: the JS loop spends ~7 ns a parameter on f64 sqrt and division (W3's
 * profile: 18% of a step); four-wide f32 is ~3× faster with the copies in and out counted.
 */
function adamStep(s: AdamStepArgs): boolean {
  const { param, grad, expAvg, expAvgSq, maxExpAvgSq: vmax } = s;
  const arrays = vmax ? [param, grad, expAvg, expAvgSq, vmax] : [param, grad, expAvg, expAvgSq];
  if (param.length < tuning.minElements || !arrays.every(isF32)) return false;
  const rt = wasmRuntime();
  if (!rt) return false;
  try {
    const [pp, pg, pm, pv, pmax] = arrays.map((x) => rt.put(x as Float32Array));
    stats.adamSteps++;
    rt.k.adam(pp, pg, pm, pv, pmax ?? 0, param.length, s.beta1, s.beta2, 1 - s.beta1, 1 - s.beta2, s.eps, s.weightDecay, s.decay, s.stepSize, s.bc2Sqrt, s.decay !== 1 ? 1 : 0, s.maximize ? 1 : 0);
    rt.get(pp, param as Float32Array, 0, param.length);
    rt.get(pm, expAvg as Float32Array, 0, param.length);
    rt.get(pv, expAvgSq as Float32Array, 0, param.length);
    if (vmax) rt.get(pmax, vmax as Float32Array, 0, param.length);
    return true;
  } catch (e) {
    if (e instanceof ArenaFull) return false; // nothing was written yet
    throw e;
  } finally {
    rt.reset();
  }
}

/** The accelerated kernels; everything else is the js reference's. */
const fast = {
  gemm, unary, binary, where, reduce, softmax, im2col, col2im,
  lstmCell, lstmCellBackward, gruCell, gruCellBackward, rnnCell, rnnCellBackward,
} satisfies Partial<Backend>;

/**
 * Operands too large for WebAssembly memory (4 GiB) run on the js kernel instead. ArenaFull is
 * thrown while copying in, before any output is written, so the fallback starts clean.
 */
function orJs<K extends keyof typeof fast>(name: K, kernel: (typeof fast)[K]): (typeof fast)[K] {
  const run = kernel as (...args: unknown[]) => void;
  const ref = jsBackend[name] as (...args: unknown[]) => void;
  return ((...args: unknown[]) => {
    try {
      run(...args);
    } catch (e) {
      if (!(e instanceof ArenaFull)) throw e;
      ref(...args);
    }
  }) as (typeof fast)[K];
}

const guarded = Object.fromEntries(Object.entries(fast).map(([k, f]) => [k, orJs(k as keyof typeof fast, f as never)]));

export const wasmBackend: Backend = {
  ...jsBackend,
  ...guarded,
  scanForward: (s) => scanForward(gemmHost, s),
  scanBackward: (s) => scanBackward(gemmHost, s),
  adamStep,
  convBatch,
  name: "wasm",
};
