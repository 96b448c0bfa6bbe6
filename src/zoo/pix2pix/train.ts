/**
 * One pix2pix training iteration, shared by the CLI task and the Lab page:
 *
 *   1. the discriminator: real pairs (x, y) → 1, generated pairs (x, G(x)) → 0, G(x) detached;
 *   2. the generator: fool the updated discriminator, and stay λ·L1-close to y;
 *   3. the ablation (when there is one): the same U-Net on λ·L1 alone, on the same batch.
 *
 * All players live in one Adam with a parameter group each; every update starts from null
 * gradients, so `step()` moves only the player whose loss was just backpropagated (Adam skips
 * parameters without a gradient). While the generator learns, the discriminator's weights stop
 * requiring gradients, so its backward pass computes only what flows back to G(x).
 */
import { onesLike, tensor, zerosLike } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { bceWithLogits } from "../../nn/losses.js";
import { clipGradNorm } from "../../nn/utils.js";
import { Adam } from "../../optim/adam.js";
import { Pix2Pix, type Pix2PixOptions } from "./model.js";
import type { Batch, PairSet } from "./pairs.js";

export type Player = "generator" | "discriminator" | "ablation";

export interface Training {
  model: Pix2Pix;
  optimizer: Adam;
  /** Each player's named parameters. */
  players: Record<Player, Array<[string, Tensor]>>;
}

/** The three players for a pair set, and one Adam (pix2pix's β = 0.5, 0.999) with a group per player. */
export function buildTraining(pairs: PairSet, options: Omit<Pix2PixOptions, "inChannels" | "outChannels" | "size"> & { lr: number }): Training {
  const { lr, ...architecture } = options;
  const model = new Pix2Pix({ ...architecture, inChannels: pairs.inChannels, outChannels: pairs.outChannels, size: pairs.size });
  const named = (prefix: string) => model.namedParameters().filter(([name]) => name.startsWith(prefix));
  const players = { generator: named("generator."), discriminator: named("discriminator."), ablation: named("ablation.") };
  const group = (list: Array<[string, Tensor]>) => ({ params: list.map(([, p]) => p) });
  const groups = [group(players.generator), group(players.discriminator), ...(model.ablation ? [group(players.ablation)] : [])];
  return { model, optimizer: new Adam(groups, { lr, betas: [0.5, 0.999] }), players };
}

export interface IterationOptions {
  /** Weight of the L1 term. */
  lambda: number;
  /** Clip each player's gradient norm to this (0: no clipping). */
  clip: number;
  /** Train the generator against the discriminator (default true); false: λ·L1 only, no discriminator step. */
  adversarial?: boolean;
  /** Throws when a loss or a gradient is not finite (the runner's divergence check). */
  assertFinite(step: number, what: string, x: number | Tensor): void;
}

/** Runs fn with the given parameters' gradients switched off. */
function frozen<T>(params: Array<[string, Tensor]>, fn: () => T): T {
  for (const [, p] of params) p.requiresGrad = false;
  try {
    return fn();
  } finally {
    for (const [, p] of params) p.requiresGrad = true;
  }
}

/** Checks, clips and applies one player's gradients (the others' are null, so Adam skips them). */
function update(t: Training, params: Array<[string, Tensor]>, step: number, o: IterationOptions): void {
  for (const [name, p] of params) if (p.grad) o.assertFinite(step, `the gradient of ${name}`, p.grad);
  if (o.clip > 0) clipGradNorm(params.map(([, p]) => p), o.clip);
  t.optimizer.step();
}

export const batchTensors = (pairs: PairSet, b: Batch) => ({
  x: tensor(b.input, { shape: [b.n, pairs.inChannels, pairs.size, pairs.size] }),
  y: tensor(b.target, { shape: [b.n, pairs.outChannels, pairs.size, pairs.size] }),
});

/**
 * One iteration on a batch. Returns the logs: `loss` (the generator's L1, mean |G(x) − y| in
 * [−1, 1] units), `adversarial` (−log D(x, G(x))), `discriminator` (D's loss), `dReal`/`dFake`
 * (D's mean probability of "real" on real and generated pairs), `lossAblation` (the ablation's L1).
 */
export function iterate(t: Training, pairs: PairSet, b: Batch, step: number, o: IterationOptions): { loss: number; [name: string]: number } {
  const { model, optimizer, players } = t;
  const { x, y } = batchTensors(pairs, b);
  const adversarial = o.adversarial ?? true;
  const fake = model.generator.forward(x);
  const logs: { loss: number; [name: string]: number } = { loss: NaN };

  if (adversarial) {
    optimizer.zeroGrad();
    const realLogits = model.judge(x, y);
    const fakeLogits = model.judge(x, fake.detach());
    const lossD = bceWithLogits(realLogits, onesLike(realLogits)).add(bceWithLogits(fakeLogits, zerosLike(fakeLogits))).mul(0.5);
    o.assertFinite(step, "the discriminator's loss", lossD);
    lossD.backward();
    update(t, players.discriminator, step, o);
    logs.discriminator = lossD.item();
    logs.dReal = realLogits.sigmoid().mean().item();
    logs.dFake = fakeLogits.sigmoid().mean().item();
  }

  optimizer.zeroGrad();
  const l1 = fake.sub(y).abs().mean();
  let lossG = l1.mul(o.lambda);
  if (adversarial) {
    const adv = frozen(players.discriminator, () => {
      const logits = model.judge(x, fake);
      return bceWithLogits(logits, onesLike(logits));
    });
    lossG = lossG.add(adv);
    logs.adversarial = adv.item();
  }
  o.assertFinite(step, "the generator's loss", lossG);
  frozen(players.discriminator, () => lossG.backward());
  for (const [, p] of players.discriminator) p.grad = null;
  update(t, players.generator, step, o);
  logs.loss = l1.item();

  if (model.ablation) {
    optimizer.zeroGrad();
    const l1A = model.ablation.forward(x).sub(y).abs().mean();
    o.assertFinite(step, "the L1-only generator's loss", l1A);
    l1A.mul(o.lambda).backward();
    update(t, players.ablation, step, o);
    logs.lossAblation = l1A.item();
  }
  return logs;
}
