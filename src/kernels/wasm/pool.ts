/**
 * Worker threads for the wasm backend. Each worker instantiates the same module on the same
 * shared memory and runs `workerLoop` (wasm/assembly/threads.ts) for its whole life: it spins
 * briefly, then sleeps in memory.atomic.wait until the caller posts a job in the control
 * block. The caller blocks synchronously (ops are synchronous) while the parts run.
 *
 * Node: worker_threads, unref'd so they never keep the process alive. Browser: Web Workers
 * from a Blob URL, only inside a worker of a cross-origin-isolated page (the main thread may
 * not block). Elsewhere there is no pool and everything runs on one thread.
 */
import type { WasmRuntime } from "./runtime.js";
import { SPIN } from "./runtime.js";

interface NodeWorker { unref(): void; terminate(): Promise<number>; on(event: string, fn: (e: unknown) => void): void }
interface NodeWorkerThreads { Worker: new (code: string, opts: object) => NodeWorker }

function nodeWorkerThreads(): NodeWorkerThreads | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown; versions?: { node?: string } } }).process;
  if (!proc?.versions?.node || typeof proc.getBuiltinModule !== "function") return null;
  return (proc.getBuiltinModule("node:worker_threads") as NodeWorkerThreads | undefined) ?? null;
}

// The worker's whole program. It never returns to its event loop until shutdown.
const NODE_WORKER = `
const { workerData } = require("node:worker_threads");
const { module, memory, ctrl, tid, spin } = workerData;
const inst = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm abort"); } } });
inst.exports.workerLoop(ctrl, tid, spin);
`;

const BROWSER_WORKER = `
onmessage = (e) => {
  const { module, memory, ctrl, tid, spin } = e.data;
  const inst = new WebAssembly.Instance(module, { env: { memory, abort() { throw new Error("wasm abort"); } } });
  inst.exports.workerLoop(ctrl, tid, spin);
  close();
};
`;

export class WorkerPool {
  private readonly workers: Array<{ terminate(): unknown }> = [];
  private readonly rt: WasmRuntime;
  readonly size: number;
  private closed = false;

  /** Whether this environment can run a pool at all. */
  static supported(): boolean {
    if (typeof SharedArrayBuffer === "undefined") return false;
    if (nodeWorkerThreads()) return true;
    const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; WorkerGlobalScope?: unknown; Blob?: unknown };
    // Blocking with Atomics.wait is only allowed off the browser's main thread.
    return g.crossOriginIsolated === true && typeof g.Worker === "function" && typeof g.WorkerGlobalScope !== "undefined" && typeof g.Blob === "function";
  }

  constructor(rt: WasmRuntime, size: number) {
    this.rt = rt;
    this.size = size;
    const nwt = nodeWorkerThreads();
    for (let tid = 1; tid <= size; tid++) {
      const data = { module: rt.module, memory: rt.memory, ctrl: rt.ctrl, tid, spin: SPIN };
      if (nwt) {
        const w = new nwt.Worker(NODE_WORKER, { eval: true, workerData: data });
        w.unref();
        w.on("error", (e) => console.warn(`nnzoo: wasm worker ${tid} failed: ${(e as Error).message}`));
        this.workers.push(w);
      } else {
        const url = URL.createObjectURL(new Blob([BROWSER_WORKER], { type: "text/javascript" }));
        const w = new Worker(url);
        w.postMessage(data);
        this.workers.push(w);
      }
    }
  }

  /** Bit mask of the workers that are in their loop (only they are given parts). */
  readyMask(): number {
    const i32 = this.rt.i32;
    const base = (this.rt.ctrl >> 2) + 32; // READY
    let mask = 0;
    for (let tid = 1; tid <= this.size; tid++) if (Atomics.load(i32, base + tid) === 1) mask |= 1 << tid;
    return mask;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.rt.k.shutdown(this.rt.ctrl);
    for (const w of this.workers) void w.terminate();
  }
}
