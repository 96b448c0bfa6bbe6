/**
 * The workloads `npm run bench` knows, in order (DESIGN.md §6). Add one file per workload
 * and list it here.
 */
import type { Workload } from "./types.js";
import { w0 } from "./w0-gemm.js";
import { w1 } from "./w1-char-lstm.js";
import { w2 } from "./w2-char-gru.js";
import { w3 } from "./w3-mlp.js";
import { w4 } from "./w4-mlp-gan.js";
import { w5 } from "./w5-dcgan.js";

export const WORKLOADS: Workload[] = [w0, w1, w2, w3, w4, w5];
