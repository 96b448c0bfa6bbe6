/**
 * A WebAssembly runtime of the `wasm` backend: one module instance, its linear memory, a
 * scratch arena, and — on a shared memory — the thread pool. The backend keeps two: one on a
 * plain memory for every kernel, one on a shared memory for GEMMs split across threads.
 *
 * Memory layout (bytes):
 *   [0, heapBase)              the module's constant data (math tables)
 *   [ctrl, ctrl + 256)         the thread pool's control block
 *   [scratch, + T·stride)      one GEMM packing area per thread
 *   [arena, …)                 per-call scratch: operands are copied in, results copied out,
 *                              and the arena is reset after every kernel call
 *
 * Tensor storage stays on the JavaScript heap (see docs/architecture.md), so WASM memory
 * holds nothing between calls and its size is the high-water mark of one kernel call.
 * Memory only grows on the calling thread, between calls, while the workers sleep; views
 * are re-made whenever `memory.buffer` changes (the one place stale views are handled).
 */
import { KERNELS_SHARED, KERNELS_SHARED_RELAXED, KERNELS_SINGLE, KERNELS_SINGLE_RELAXED } from "./kernels.generated.js";
import { WorkerPool } from "./pool.js";

/** The module's exports (wasm/assembly/index.ts). Pointers are byte offsets; booleans are 0/1. */
export interface KernelExports {
  heapBase(): number;
  gemmScratchBytes(): number;
  gemmBlock(a: number, lda: number, transA: number, b: number, ldb: number, transB: number, c: number, ldc: number,
    i0: number, j0: number, m: number, n: number, k: number, accumulate: number, scratch: number): void;
  gemmParallel(ctrl: number, mask: number, splitN: number, spin: number, a: number, lda: number, transA: number,
    b: number, ldb: number, transB: number, c: number, ldc: number, m: number, n: number, k: number, accumulate: number): void;
  unary(op: number, x: number, out: number, n: number, p0: number, p1: number): void;
  binary(op: number, nd: number, shape: number, a: number, as: number, b: number, bs: number, out: number, idx: number): void;
  where(nd: number, shape: number, c: number, cs: number, a: number, as: number, b: number, bs: number, out: number, idx: number): void;
  reduce(op: number, x: number, outer: number, n: number, inner: number, out: number, acc: number): void;
  softmax(x: number, out: number, outer: number, n: number, inner: number, log: number, acc: number): void;
  im2col(x: number, col: number, g: number): void;
  col2im(col: number, x: number, g: number): void;
  lstmCell(gates: number, bias: number, cPrev: number, hPrev: number, c: number, h: number, y: number, batch: number, hidden: number, t: number, lengths: number): void;
  lstmCellBackward(act: number, cPrev: number, c: number, dy: number, dh: number, dc: number, dGates: number, dhPrev: number, batch: number, hidden: number, t: number, lengths: number): void;
  gruCell(xg: number, hg: number, bias: number, hPrev: number, act: number, hn: number, h: number, y: number, batch: number, hidden: number, t: number, lengths: number): void;
  gruCellBackward(act: number, hn: number, hPrev: number, dy: number, dh: number, dGx: number, dGh: number, dhPrev: number, batch: number, hidden: number, t: number, lengths: number): void;
  rnnCell(pre: number, bias: number, hPrev: number, h: number, y: number, relu: number, batch: number, hidden: number, t: number, lengths: number): void;
  rnnCellBackward(h: number, dy: number, dh: number, dPre: number, dhPrev: number, relu: number, batch: number, hidden: number, t: number, lengths: number): void;
  adam(p: number, g: number, m: number, v: number, vmax: number, n: number, beta1: number, beta2: number, oneMinusBeta1: number, oneMinusBeta2: number, eps: number,
    weightDecay: number, decay: number, stepSize: number, bc2Sqrt: number, decoupled: number, maximize: number): void;
  workerLoop(ctrl: number, tid: number, spin: number): void;
  shutdown(ctrl: number): void;
}

const PAGE = 65536;
/** 4 GiB less one page: the most a wasm32 memory can hold. */
const MAX_BYTES = 65535 * PAGE;

/** A kernel call needs more WebAssembly memory than can be had; the backend then uses js. */
export class ArenaFull extends Error {
  constructor(bytes: number) {
    super(`a kernel call needs ${bytes} bytes of WebAssembly memory`);
  }
}
const CTRL_BYTES = 256;
/** Busy-wait iterations before a thread sleeps (~0.1 ms): small GEMMs in a row never sleep. */
export const SPIN = 200_000;

function decodeBase64(s: string): Uint8Array {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (B) return B.from(s, "base64");
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Each build's bytes, decoded once (relaxedSimd validates the build a runtime then compiles). */
const decoded = new Map<string, Uint8Array<ArrayBuffer>>();
function moduleBytes(code: string): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(code);
  if (!bytes) decoded.set(code, (bytes = decodeBase64(code) as Uint8Array<ArrayBuffer>));
  return bytes;
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

/** How many threads to use: NNZOO_THREADS caps it; the default is the number of cores (≤ 8). */
export function threadBudget(): number {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NNZOO_THREADS;
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  const cores = os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
  const want = env !== undefined && env !== "" ? Number(env) : Math.min(cores, 8);
  return Number.isInteger(want) && want >= 1 ? Math.min(want, 31) : 1;
}

type NodeGlobal = { process?: { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown } };

let relaxed: boolean | undefined;

/**
 * Whether the kernels built with relaxed SIMD run here (their GEMM micro-kernel uses fused
 * multiply-add: ~1.25–1.35× on x64 with FMA3). Off with NNZOO_RELAXED_SIMD=0, which gives
 * the same bits on every machine (relaxed_madd is fused or not depending on the hardware, so
 * results may differ in the last bit between machines, never by more).
 *
 * Chromium (from 114) and Node 22 validate relaxed SIMD by default. Node 20's V8 (11.3) has
 * it behind --experimental-wasm-relaxed-simd, a flag that only admits the proposal's
 * instructions into validation, so on Node we set it before compiling (V8 reads it then).
 */
export function relaxedSimd(): boolean {
  if (relaxed !== undefined) return relaxed;
  const g = globalThis as NodeGlobal;
  const env = g.process?.env?.NNZOO_RELAXED_SIMD;
  if (env === "0" || env === "false") return (relaxed = false);
  const bytes = moduleBytes(KERNELS_SINGLE_RELAXED);
  relaxed = WebAssembly.validate(bytes);
  if (!relaxed) {
    const v8 = g.process?.getBuiltinModule?.("node:v8") as { setFlagsFromString?: (flags: string) => void } | undefined;
    if (v8?.setFlagsFromString) {
      v8.setFlagsFromString("--experimental-wasm-relaxed-simd");
      relaxed = WebAssembly.validate(bytes);
    }
  }
  return relaxed;
}

export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  readonly k: KernelExports;
  readonly module: WebAssembly.Module;
  readonly shared: boolean;
  /** Whether this instance runs the relaxed-SIMD build (see relaxedSimd). */
  readonly relaxed: boolean;
  readonly ctrl: number;
  readonly scratch: number;
  readonly scratchStride: number;
  readonly threads: number;
  readonly arenaBase: number;
  private top: number;
  private cap = 0;
  private buf: ArrayBufferLike | null = null;
  f32!: Float32Array;
  i32!: Int32Array;
  u8!: Uint8Array;
  pool: WorkerPool | null = null;
  private poolTried = false;

  /** `relaxed` picks the build (tests run both); by default relaxedSimd() decides. */
  constructor(threads: number, opts: { relaxed?: boolean } = {}) {
    const canShare = threads > 1 && typeof SharedArrayBuffer !== "undefined" && WorkerPool.supported();
    this.shared = canShare;
    this.threads = canShare ? threads : 1;
    this.relaxed = opts.relaxed ?? relaxedSimd();
    // relaxedSimd() also turns the engine's support on where it is behind a flag (Node 20).
    if (this.relaxed && !relaxedSimd()) throw new Error("WasmRuntime: relaxed SIMD was asked for, but this engine does not validate it (or NNZOO_RELAXED_SIMD=0)");
    const code = this.relaxed ? (canShare ? KERNELS_SHARED_RELAXED : KERNELS_SINGLE_RELAXED) : canShare ? KERNELS_SHARED : KERNELS_SINGLE;
    this.module = new WebAssembly.Module(moduleBytes(code));
    this.memory = new WebAssembly.Memory({ initial: 64, maximum: 65536, shared: canShare } as WebAssembly.MemoryDescriptor);
    const instance = new WebAssembly.Instance(this.module, { env: { memory: this.memory, abort: () => { throw new Error("wasm abort"); } } });
    this.k = instance.exports as unknown as KernelExports;
    this.ctrl = align(this.k.heapBase(), 64);
    this.scratch = this.ctrl + CTRL_BYTES;
    this.scratchStride = align(this.k.gemmScratchBytes(), 64);
    this.arenaBase = align(this.scratch + this.threads * this.scratchStride, 64);
    this.top = this.arenaBase;
    this.ensure(this.arenaBase + (1 << 20));
    this.refresh();
    this.i32[(this.ctrl >> 2) + 5] = this.scratch; // SCRATCH_BASE
    this.i32[(this.ctrl >> 2) + 6] = this.scratchStride; // SCRATCH_STRIDE
  }

  /** Grows memory to hold `end` bytes; throws ArenaFull past what WebAssembly can address. */
  private ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // Grow geometrically so a sequence of slightly larger calls does not grow every time.
      const want = Math.min(Math.max(end, Math.min(have * 1.5, have + (256 << 20))), MAX_BYTES);
      if (end > MAX_BYTES) throw new ArenaFull(end);
      try {
        this.memory.grow(Math.ceil((want - have) / PAGE));
      } catch {
        throw new ArenaFull(end);
      }
    }
    this.cap = this.memory.buffer.byteLength;
  }

  /** Re-makes the typed-array views if memory grew (the only place stale views are dealt with). */
  refresh(): void {
    if (this.buf === this.memory.buffer) return;
    this.buf = this.memory.buffer;
    this.f32 = new Float32Array(this.buf);
    this.i32 = new Int32Array(this.buf);
    this.u8 = new Uint8Array(this.buf);
  }

  /**
   * Reserves `bytes` in the arena and returns its address: 16-byte aligned, with at least
   * 48 bytes of slack after it, so kernels may run whole vectors (or pairs) past the end.
   */
  alloc(bytes: number): number {
    const p = this.top;
    this.top = p + align(bytes, 16) + 48;
    if (this.top > this.cap) {
      this.ensure(this.top);
      this.refresh();
    }
    return p;
  }

  /** Copies a float32 array into a fresh arena block. */
  put(src: Float32Array): number {
    const p = this.alloc(src.length * 4);
    this.f32.set(src, p >> 2);
    return p;
  }

  /** Copies `rows` rows of `cols` floats (row-major from `off`) into a block with row stride `stride`. */
  putRows(src: Float32Array, off: number, rows: number, cols: number, stride: number): number {
    const p = this.alloc(rows * stride * 4);
    const f32 = this.f32;
    for (let r = 0, d = p >> 2, s = off; r < rows; r++, d += stride, s += cols) f32.set(src.subarray(s, s + cols), d);
    return p;
  }

  /** Copies an Int32Array into a fresh arena block. */
  putInt32(src: Int32Array): number {
    const p = this.alloc(src.length * 4);
    this.i32.set(src, p >> 2);
    return p;
  }

  /** Copies int32 values into a fresh arena block. */
  putInts(values: readonly number[]): number {
    const p = this.alloc(values.length * 4);
    for (let i = 0; i < values.length; i++) this.i32[(p >> 2) + i] = values[i];
    return p;
  }

  /** Copies n float32s from the arena at p into dst[off…]. */
  get(p: number, dst: Float32Array, off: number, n: number): void {
    dst.set(this.f32.subarray(p >> 2, (p >> 2) + n), off);
  }

  /** Frees everything the current call reserved. */
  reset(): void {
    this.top = this.arenaBase;
  }

  /** Bytes of linear memory in use by the module (its high-water mark). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** The worker pool, started on first use; null when threads are unavailable. */
  getPool(): WorkerPool | null {
    if (!this.poolTried) {
      this.poolTried = true;
      if (this.shared && this.threads > 1) {
        try {
          this.pool = new WorkerPool(this, this.threads - 1);
        } catch (e) {
          warnOnce(`nnzoo: wasm threads unavailable (${(e as Error).message}); using one thread`);
        }
      }
    }
    return this.pool;
  }

  /** Stops the workers (they also never keep the process alive). */
  close(): void {
    this.pool?.close();
    this.pool = null;
  }
}

const warned = new Set<string>();
export function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(message);
}
