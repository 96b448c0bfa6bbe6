/**
 * nnzoo — the neural-network zoo in TypeScript.
 *
 *   import { tensor, randn, manualSeed, noGrad } from "nnzoo";
 */
export * from "./core/index.js";
export { setBackend, getBackend, listBackends, registerBackend } from "./kernels/registry.js";
export type { Backend } from "./kernels/backend.js";
export { getNumThreads, setNumThreads } from "./kernels/wasm/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as io from "./io/index.js";
