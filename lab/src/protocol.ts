/**
 * The contract between a Lab page and its engine worker, shared by every page.
 *
 *   main thread (shell.ts + pages/<route>/view.ts)      worker (worker.ts + pages/<route>/trainer.ts)
 *        init / start / pause / step / reset /   ───▶   runs `Trainer.step()` in time slices of
 *        speed / seed / params                           ≤ SLICE_MS, then posts one Frame and yields
 *        Frame { step, loss, metrics, payload }  ◀───   (≈ 60 frames/s while training)
 *
 * `P` is a page's params (plain data: numbers, strings, typed arrays), `F` its frame payload.
 * Both are declared once in pages/<route>/shared.ts and imported by both sides.
 */

import type { Tensor } from "../../src/index.ts";

/** Messages from the page to its worker. */
export type ToWorker<P = unknown> =
  /** First message: which trainer to load, its params, the seed and the speed. */
  | { type: "init"; route: string; params: P; seed: number; stepsPerFrame: number }
  | { type: "start" }
  | { type: "pause" }
  /** Run `steps` steps now (paused or not) and post a frame. */
  | { type: "step"; steps: number }
  /** Rebuild the trainer from its params and seed: step 0, fresh weights. */
  | { type: "reset" }
  /** At most this many steps per frame (Infinity: as many as fit in a slice). */
  | { type: "speed"; stepsPerFrame: number }
  /** Set the seed and reset. */
  | { type: "seed"; seed: number }
  /** Change some params: applied live if the trainer can (`Trainer.update`), else it is rebuilt. */
  | { type: "params"; params: Partial<P> }
  /** Serialise the trainer's weights as safetensors; answered by a "weights" message with the same id. */
  | { type: "export"; id: number }
  /** Load weights from safetensors bytes (all or nothing); answered by a "loaded" message with the same id. */
  | { type: "import"; id: number; bytes: Uint8Array; source: string };

/** The safetensors metadata format of a Lab model file. */
export const LAB_FORMAT = "nnzoo.lab/1";

/** One picture of the training state, posted after every slice (and after every command). */
export interface Frame<F = unknown> {
  type: "frame";
  /** Frames posted since init. */
  seq: number;
  /** Rebuilds since init (reset, seed, params that need a rebuild): a new run starts a new curve. */
  run: number;
  /** Optimisation steps in this run. */
  step: number;
  /** The loss of the last step (or of the current weights at step 0). */
  loss: number;
  /** Further numbers to show and plot, by name (e.g. accuracy). */
  metrics: Record<string, number>;
  running: boolean;
  /** Steps per wall-clock second over about the last second. */
  stepsPerSecond: number;
  /** Milliseconds the last slice spent training. */
  sliceMs: number;
  /** The engine's kernel backend ("wasm", "js"). */
  backend: string;
  /** The page's own picture data. */
  payload: F;
}

export type FromWorker<F = unknown> =
  | Frame<F>
  | { type: "error"; message: string }
  /** The weights asked for by an "export" (a safetensors file). */
  | { type: "weights"; id: number; bytes: Uint8Array; step: number }
  /** The outcome of an "import": ok, or why nothing was changed. */
  | { type: "loaded"; id: number; ok: boolean; message: string; step: number };

/** The longest stretch of training between two frames, in milliseconds. */
export const SLICE_MS = 12;
/** The frame period the worker aims for: one frame per display refresh at 60 Hz. */
export const FRAME_MS = 1000 / 60;

/** What a page's trainer returns for each frame. Typed arrays listed in `transfer` are moved, not copied. */
export interface FrameData<F> {
  payload: F;
  metrics?: Record<string, number>;
  transfer?: Transferable[];
}

/**
 * The worker side of a page (pages/<route>/trainer.ts, default export). The worker seeds the
 * engine (`manualSeed(seed)`) before `create`, so a trainer built twice with one seed is the
 * same run.
 */
export interface Trainer<P, F> {
  /** One optimisation step; returns its loss. A non-finite loss stops training with an error. */
  step(): number;
  /** The loss of the current weights, without training (for step 0 and after a params change). */
  loss(): number;
  /** The picture for the view, called once per frame after the slice's steps. */
  frame(): FrameData<F>;
  /** Applies a params change live and returns true, or returns false to have the trainer rebuilt. */
  update?(params: Partial<P>): boolean;
  /**
   * The modules whose weights Save/Download write and Load/Upload restore, by name (their
   * state-dict keys are saved as `<name>.<key>`). Without it the page has nothing to save.
   */
  modules?(): Record<string, Persistable>;
}

/** What a page persists: nn.Module's state-dict pair. */
export interface Persistable {
  stateDict(): Record<string, Tensor>;
  loadStateDict(dict: Record<string, Tensor>, options?: { strict?: boolean }): unknown;
}

export interface TrainerModule<P, F> {
  create(params: P, seed: number): Trainer<P, F> | Promise<Trainer<P, F>>;
}

/** Identity helper that checks a trainer module's types. */
export function defineTrainer<P, F>(module: TrainerModule<P, F>): TrainerModule<P, F> {
  return module;
}

/** What the shell gives a page's view. */
export interface ViewContext<P> {
  /** The main area: the page's pictures. Its main canvas carries data-testid="canvas". */
  stage: HTMLElement;
  /** The side panel below the shared controls: the page's own controls. */
  panel: HTMLElement;
  /** Sends a params change to the worker (see ToWorker "params"). */
  setParams(params: Partial<P>): void;
}

/** A mounted view: draws frames and cleans up. */
export interface View<F> {
  /** Draws the newest frame; called at most once per animation frame. */
  draw(frame: Frame<F>): void;
  destroy?(): void;
}

/**
 * The main-thread side of a page (pages/<route>/view.ts, default export). Title, blurb and
 * issue come from catalog.ts; the shell supplies the train/pause/step/reset, speed and seed
 * controls, the loss readout and the loss chart.
 */
export interface PageDefinition<P, F> {
  /** The params the trainer starts with. */
  params: P;
  /** Initial speed in steps per frame (default 10; Infinity: as fast as slices allow). */
  stepsPerFrame?: number;
  /** Builds the page's DOM in ctx.stage / ctx.panel and returns its drawer. */
  mount(ctx: ViewContext<P>): View<F>;
}

export function definePage<P, F>(page: PageDefinition<P, F>): PageDefinition<P, F> {
  return page;
}
