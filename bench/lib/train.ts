/**
 * Helpers the training workloads (W1–W5) share: nnzoo engine selection around a model, and a
 * TensorFlow.js training step (optimizer.minimize on a closure, cost read back so the step
 * really finishes, every intermediate released by tf.tidy).
 */
import type { Timed } from "./measure.js";
import { type TF, useNnzoo, useTfjs } from "./engines.js";
import type { JsEngine } from "../workloads/types.js";

/** Selects the nnzoo engine, then builds the case with `build`; the Timed re-selects the engine before each window. */
export async function nnzooTimed(engine: JsEngine, scale: number, build: () => () => void): Promise<Timed | string> {
  const why = await useNnzoo(engine);
  if (why) return why;
  const step = build();
  return { scale, step, activate: async () => void (await useNnzoo(engine)) };
}

export const tfBackendOf = (engine: JsEngine): "cpu" | "wasm" => (engine === "tfjs-cpu" ? "cpu" : "wasm");

/** Loads TensorFlow.js on the engine's backend, then builds the case; `build` returns the step and what to dispose. */
export async function tfjsTimed(engine: JsEngine, scale: number, build: (tf: TF) => { step: () => void; dispose?: () => void; note?: string }): Promise<Timed | string> {
  const backend = tfBackendOf(engine);
  const tf = await useTfjs(backend);
  if (typeof tf === "string") return tf;
  const built = build(tf);
  // One untimed step here, so a model this backend cannot train (a missing gradient kernel)
  // is a reason in the table rather than an exception in the middle of the measurements.
  try {
    built.step();
  } catch (e) {
    built.dispose?.();
    return `tfjs-${backend} cannot train it: ${(e as Error).message.split("\n")[0]}`;
  }
  return { scale, step: built.step, dispose: built.dispose, note: built.note, activate: async () => void (await tf.setBackend(backend)) };
}

/** Trainable variables of tfjs layers models (the varList of optimizer.minimize). */
export function tfVars(tf: TF, ...models: Array<{ trainableWeights: Array<{ read(): unknown }> }>): InstanceType<TF["Variable"]>[] {
  return models.flatMap((m) => m.trainableWeights.map((w) => w.read() as InstanceType<TF["Variable"]>));
}

/** One optimizer step on `loss` over `vars`, its value read back; intermediates released. */
export function tfMinimize(tf: TF, opt: InstanceType<TF["Optimizer"]>, loss: () => InstanceType<TF["Tensor"]>, vars: InstanceType<TF["Variable"]>[]): number {
  return tf.tidy(() => {
    const cost = opt.minimize(loss as () => never, true, vars)!;
    return cost.dataSync()[0];
  });
}
