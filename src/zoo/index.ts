import { approx } from "./approx/task.js";
import { autoencoder } from "./autoencoder/task.js";
import { caption } from "./caption/task.js";
import { charlm } from "./charlm/task.js";
import { dbn } from "./dbn/task.js";
import { detectFakes } from "./detect-fakes/task.js";
import { g2p } from "./g2p/task.js";
import { ganMnist } from "./gan-mnist/task.js";
import { gan2d } from "./gan2d/task.js";
import { memory } from "./memory/task.js";
import { pix2pix } from "./pix2pix/task.js";
import { rbf } from "./rbf/task.js";
import { rbm } from "./rbm/task.js";
import { sentiment } from "./sentiment/task.js";
import { sketch } from "./sketch/task.js";
import type { Task, TrainState } from "./task.js";

/** Every zoo task by name (the CLI's `nnzoo tasks`). */
export const TASKS: Record<string, Task<TrainState>> = {
  approx: approx as unknown as Task<TrainState>,
  autoencoder: autoencoder as unknown as Task<TrainState>,
  caption: caption as unknown as Task<TrainState>,
  charlm: charlm as unknown as Task<TrainState>,
  dbn: dbn as unknown as Task<TrainState>,
  "detect-fakes": detectFakes as unknown as Task<TrainState>,
  g2p: g2p as unknown as Task<TrainState>,
  "gan-mnist": ganMnist as unknown as Task<TrainState>,
  gan2d: gan2d as unknown as Task<TrainState>,
  memory: memory as unknown as Task<TrainState>,
  pix2pix: pix2pix as unknown as Task<TrainState>,
  rbf: rbf as unknown as Task<TrainState>,
  rbm: rbm as unknown as Task<TrainState>,
  sentiment: sentiment as unknown as Task<TrainState>,
  sketch: sketch as unknown as Task<TrainState>,
};

export type { Task, Config, Metrics, OptionSpec, TaskContext, TrainState } from "./task.js";
export { train, evaluateRun, loadRun, DivergenceError, type RunSummary } from "./runner.js";
