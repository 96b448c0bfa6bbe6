/**
 * Engine setup shared by the workloads: nnzoo with a chosen backend and thread count, and
 * TensorFlow.js (devDependencies @tensorflow/tfjs + @tensorflow/tfjs-backend-wasm; never
 * tfjs-node) on its `cpu` or `wasm` backend.
 */
import { setBackend } from "../../src/index.js";
import { tuning, wasmRuntime, wasmThreads } from "../../src/kernels/wasm/index.js";
import { threadBudget } from "../../src/kernels/wasm/runtime.js";
import type { JsEngine } from "../workloads/types.js";

export type TF = typeof import("@tensorflow/tfjs");

/** Selects nnzoo's backend for `engine`; returns a reason string if it cannot run here. */
export async function useNnzoo(engine: JsEngine): Promise<string | null> {
  if (engine === "nnzoo-js") {
    setBackend("js");
    return null;
  }
  setBackend("wasm");
  const rt = wasmRuntime();
  if (!rt) return "wasm backend unavailable";
  if (engine === "nnzoo-wasm-1t") {
    tuning.maxThreads = 1;
    return null;
  }
  tuning.maxThreads = 2;
  // Start from the lowest split threshold; the backend raises it again if threads do not pay.
  tuning.parallelMinMacs = tuning.parallelFloorMacs;
  if (threadBudget() < 2) return `only ${threadBudget()} thread available (NNZOO_THREADS or cores)`;
  for (let i = 0; i < 200 && wasmThreads() < 2; i++) await new Promise((r) => setTimeout(r, 10));
  return wasmThreads() >= 2 ? null : "worker threads did not start";
}

let tfModule: TF | null = null;

/** TensorFlow.js on `backend`, or a reason string if it is not installed or fails to start. */
export async function useTfjs(backend: "cpu" | "wasm"): Promise<TF | string> {
  try {
    if (!tfModule) {
      // tfjs greets Node users with a banner on first use; keep the table readable.
      const log = console.log, warn = console.warn;
      console.log = console.warn = () => {};
      try {
        tfModule = await import("@tensorflow/tfjs");
        await import("@tensorflow/tfjs-backend-wasm");
        await tfModule.setBackend("cpu");
        tfModule.tidy(() => tfModule!.add(1, 1).dataSync());
      } finally {
        console.log = log;
        console.warn = warn;
      }
    }
    if (!(await tfModule.setBackend(backend))) return `tfjs backend ${backend} failed to start`;
    await tfModule.ready();
    return tfModule;
  } catch (e) {
    return `tfjs not available (${(e as Error).message.split("\n")[0]})`;
  }
}
