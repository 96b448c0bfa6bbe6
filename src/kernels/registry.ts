import { fail } from "../core/errors.js";
import type { Backend } from "./backend.js";
import { jsBackend } from "./js/index.js";
import { onWasmFailure, wasmBackend } from "./wasm/index.js";

/**
 * Backend selection. `wasm` (SIMD kernels + threads) is the default; it starts lazily on the
 * first kernel call and, if WebAssembly cannot start here, warns once and hands over to `js`.
 * NNZOO_BACKEND=js|wasm (Node) or setBackend() choose explicitly.
 */
const backends = new Map<string, Backend>([["js", jsBackend], ["wasm", wasmBackend]]);

function initialBackend(): Backend {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.NNZOO_BACKEND;
  if (env === undefined || env === "") return wasmBackend;
  const b = backends.get(env);
  if (!b) {
    console.warn(`nnzoo: NNZOO_BACKEND="${env}" is not a backend (${[...backends.keys()].join(", ")}); using wasm`);
    return wasmBackend;
  }
  return b;
}

let current: Backend = initialBackend();

onWasmFailure(() => {
  if (current === wasmBackend) current = jsBackend;
});

/** Makes a backend selectable by name. */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Selects the backend every op uses from now on ("js" or "wasm", or a registered one). */
export function setBackend(name: string): void {
  current = backends.get(name) ?? fail("setBackend", `unknown backend "${name}"; available: ${[...backends.keys()].join(", ")}`);
}

export function getBackend(): Backend {
  return current;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}
