/**
 * The workloads `npm run bench` knows, in order. W1–W5 (DESIGN.md §6) need nn/optim and are
 * still to be written: see bench/README.md. Add one file per workload and list it here.
 */
import type { Workload } from "./types.js";
import { w0 } from "./w0-gemm.js";

export const WORKLOADS: Workload[] = [w0];
