/**
 * The two-player machinery every GAN task shares (gan2d, gan-mnist): the pair of players as
 * one module (so checkpoints hold both), one optimizer per player behind one face (so the
 * runner saves and restores both), the two adversarial losses, and one player's update.
 *
 *   D step: L_D = ℓ(D(x), real) + ℓ(D(G(z)).detach, fake)      only D's weights move
 *   G step: L_G = ℓ(D(G(z)), real)  (non-saturating)           only G's weights move
 *
 * Losses on D's raw output s (a logit for the log loss):
 *   nonsaturating  L_D = −log σ(s_real) − log(1 − σ(s_fake)),   L_G = −log σ(s_fake)
 *   lsgan          L_D = ½(s_real − 1)² + ½ s_fake²,            L_G = ½(s_fake − 1)²
 */
import { onesLike, zerosLike } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { bceWithLogits, mse } from "../../nn/losses.js";
import { Module } from "../../nn/module.js";
import { Adam } from "../../optim/adam.js";
import type { Optimizer } from "../../optim/optimizer.js";
import { RMSprop } from "../../optim/rmsprop.js";
import { SGD } from "../../optim/sgd.js";
import type { TaskContext } from "../task.js";

export const GAN_LOSSES = ["nonsaturating", "lsgan"] as const;
export type GanLoss = (typeof GAN_LOSSES)[number];

export const OPTIMIZERS = ["adam", "sgd", "rmsprop"] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/** A generator and a discriminator as one module: state-dict names `generator.*`, `discriminator.*`. */
export class GanPair<G extends Module = Module, D extends Module = Module> extends Module {
  readonly generator: G;
  readonly discriminator: D;

  constructor(generator: G, discriminator: D) {
    super();
    this.generator = this.registerModule("generator", generator);
    this.discriminator = this.registerModule("discriminator", discriminator);
  }

  forward(): never {
    throw new Error("GanPair: call generator.forward or discriminator.forward");
  }
}

export interface PlayerOptimizerOptions {
  optimizer: OptimizerName;
  lr: number;
  /** Adam's β1 (GANs like 0.5); SGD's momentum is β1 too. */
  beta1: number;
}

/** One player's optimizer: Adam (betas β1, 0.999), SGD (momentum β1) or RMSprop. */
export function playerOptimizer(params: Tensor[], o: PlayerOptimizerOptions): Optimizer {
  switch (o.optimizer) {
    case "adam":
      return new Adam(params, { lr: o.lr, betas: [o.beta1, 0.999] });
    case "sgd":
      return new SGD(params, { lr: o.lr, momentum: o.beta1 });
    case "rmsprop":
      return new RMSprop(params, { lr: o.lr });
  }
}

/**
 * The two players' optimizers behind the one face the runner checkpoints: `stateDict()` is
 * `{ generator, discriminator }`, each the player's own optimizer state.
 */
export class PlayerOptimizers {
  constructor(readonly generator: Optimizer, readonly discriminator: Optimizer) {}

  zeroGrad(): void {
    this.generator.zeroGrad();
    this.discriminator.zeroGrad();
  }

  step(): void {
    throw new Error("PlayerOptimizers: step one player (generator.step() or discriminator.step())");
  }

  stateDict() {
    return { generator: this.generator.stateDict(), discriminator: this.discriminator.stateDict() };
  }

  loadStateDict(state: { generator?: unknown; discriminator?: unknown }): void {
    if (!state || typeof state !== "object" || !state.generator || !state.discriminator) {
      throw new Error("PlayerOptimizers.loadStateDict: expected { generator, discriminator } optimizer states (is this a GAN checkpoint?)");
    }
    this.generator.loadStateDict(state.generator as never);
    this.discriminator.loadStateDict(state.discriminator as never);
  }

  /**
   * The runner's TrainState wants an Optimizer; the runner only zeroes, steps (never, with a
   * custom step()) and checkpoints it, which this object does for both players.
   */
  asOptimizer(): Optimizer {
    return this as unknown as Optimizer;
  }
}

/** D's loss: real scores pushed to "real", fake scores to "fake". */
export function discriminatorLoss(kind: GanLoss, real: Tensor, fake: Tensor): Tensor {
  if (kind === "lsgan") return mse(real, onesLike(real)).add(mse(fake, zerosLike(fake))).mul(0.5);
  return bceWithLogits(real, onesLike(real)).add(bceWithLogits(fake, zerosLike(fake)));
}

/** G's loss: its samples' scores pushed to "real" (the non-saturating form of the log loss). */
export function generatorLoss(kind: GanLoss, fake: Tensor): Tensor {
  if (kind === "lsgan") return mse(fake, onesLike(fake)).mul(0.5);
  return bceWithLogits(fake, onesLike(fake));
}

/** D's belief that a score is real: σ(s) for the log loss, s itself (clamped to [0, 1]) for least squares. */
export function realProbability(kind: GanLoss, score: number): number {
  return kind === "lsgan" ? Math.min(1, Math.max(0, score)) : 1 / (1 + Math.exp(-score));
}

/** Runs fn with `module`'s parameters frozen (no weight gradients: the other player's step). */
export function frozen<T>(module: Module, fn: () => T): T {
  const params = module.parameters();
  for (const p of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    for (const p of params) p.requiresGrad = true;
  }
}

type FiniteCheck = TaskContext["assertFinite"];

/**
 * One player's update: zero its gradients, backward, check the loss and every gradient are
 * finite (naming the tensor), then step. Returns the loss value.
 */
export function updatePlayer(opt: Optimizer, player: Module, name: string, loss: Tensor, step: number, assertFinite: FiniteCheck): number {
  assertFinite(step, `the ${name} loss`, loss);
  opt.zeroGrad();
  loss.backward();
  for (const [p, t] of player.namedParameters()) if (t.grad) assertFinite(step, `the gradient of ${name}.${p}`, t.grad);
  opt.step();
  return loss.item();
}

/** A finite check for code outside the runner (the Lab's workers). */
export const throwIfNotFinite: FiniteCheck = (step, what, x) => {
  const data = typeof x === "number" ? [x] : x.data;
  for (let i = 0; i < data.length; i++) if (!Number.isFinite(data[i])) throw new Error(`step ${step}: ${what} is ${data[i]}`);
};
