import { fail } from "../core/errors.js";
import type { Backend } from "./backend.js";
import { jsBackend } from "./js/index.js";

const backends = new Map<string, Backend>([["js", jsBackend]]);
let current: Backend = jsBackend;

/** Makes a backend selectable by name (the wasm backend registers itself when loaded). */
export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

/** Selects the backend every op uses from now on. */
export function setBackend(name: string): void {
  current = backends.get(name) ?? fail("setBackend", `unknown backend "${name}"; available: ${[...backends.keys()].join(", ")}`);
}

export function getBackend(): Backend {
  return current;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}
