import type { Timed } from "../lib/measure.js";

/** One benchmark workload (DESIGN.md §6): a file in bench/workloads/, listed in index.ts. */
export interface Workload {
  /** "W0" … "W5". */
  id: string;
  title: string;
  /** Throughput unit, higher is better ("GFLOP/s", "tokens/s", …). */
  unit: string;
  /** Case names (e.g. GEMM shapes); one table row each. */
  cases: string[];
  /**
   * Sets up one JavaScript engine on one case and returns the timed step, or a string
   * saying why this engine cannot run it. Engines: see ENGINES in bench/run.ts.
   */
  setup(engine: JsEngine, caseName: string): Promise<Timed | string>;
  /** Whether bench/torch_bench.py implements this workload (its PyTorch/numpy twin). */
  python: boolean;
  /** Which python twins apply (default all: torch-1t, numpy-1t, numpy-2t); numpy has no autograd, so training workloads list torch only. */
  pythonEngines?: string[];
}

/** The JavaScript engines every workload is offered. */
export type JsEngine = "nnzoo-js" | "nnzoo-wasm-1t" | "nnzoo-wasm-2t" | "tfjs-cpu" | "tfjs-wasm";
