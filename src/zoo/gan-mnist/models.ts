/**
 * gan-mnist's three GANs. Generators map noise z ~ N(0, I) (and, conditioned, a digit) to a
 * 28×28 image in [−1, 1] (tanh); discriminators map an image (and the digit) to one logit.
 *
 *   mlp          G: z → [Linear → LeakyReLU(.2)] × layers → Linear(784) → tanh
 *                D: x → [Linear → LeakyReLU(.2)] × layers → Linear(1)          (DESIGN W4 at layers 1)
 *   dcgan        G: z → ConvT(z→2c, 7) BN ReLU → ConvT(2c→c, 4, s2, p1) BN ReLU → ConvT(c→1, 4, s2, p1) tanh
 *                D: x → Conv(1→c, 4, s2, p1) LReLU → Conv(c→2c, 4, s2, p1) BN LReLU → Linear(2c·7·7 → 1)
 *                (DESIGN W5 at c = 64), with DCGAN's N(0, 0.02) initialisation
 *   conditional  G: the mlp generator with the digit's one-hot vector y concatenated to z
 *                (Mirza & Osindero); D: the mlp body φ(x) with a projection read-out
 *                D(x, y) = w·φ(x) + b + E[y]·φ(x) (Miyato & Koyama 2018) — concatenating y to
 *                x instead left the digit ignored here (class accuracy at chance after 3,000 iterations)
 */
import { oneHot } from "../../core/ops/indexing.js";
import { cat } from "../../core/ops/slice.js";
import type { Tensor } from "../../core/tensor.js";
import { LeakyReLU, ReLU, Tanh } from "../../nn/activation.js";
import { Conv2d, ConvTranspose2d } from "../../nn/conv.js";
import { constant_, normal_ } from "../../nn/init.js";
import { Flatten, Linear } from "../../nn/linear.js";
import { Embedding } from "../../nn/embedding.js";
import { uniform_ } from "../../nn/init.js";
import { Module, Sequential } from "../../nn/module.js";
import { BatchNorm2d } from "../../nn/norm.js";

export const GAN_MODELS = ["mlp", "dcgan", "conditional"] as const;
export type GanModel = (typeof GAN_MODELS)[number];

export const IMAGE = 28;
export const PIXELS = IMAGE * IMAGE;
export const CLASSES = 10;

/** A generator: noise [batch, zDim] (+ digits int32 [batch] when conditional) → images [batch, 1, 28, 28] in [−1, 1]. */
export abstract class ImageGenerator extends Module {
  abstract readonly zDim: number;
  abstract readonly conditional: boolean;
  abstract override forward(z: Tensor, digits?: Tensor | null): Tensor;
}

/** A discriminator: images [batch, 1, 28, 28] (+ digits) → logits [batch, 1]. */
export abstract class ImageDiscriminator extends Module {
  abstract override forward(x: Tensor, digits?: Tensor | null): Tensor;
}

/** [Linear → LeakyReLU(.2)] × layers, then Linear(outputs) unless outputs is 0. */
function mlpLayers(inputs: number, hidden: number, layers: number, outputs: number): Sequential {
  const net = new Sequential();
  let width = inputs;
  for (let l = 0; l < layers; l++) {
    net.append(new Linear(width, hidden)).append(new LeakyReLU(0.2));
    width = hidden;
  }
  return outputs > 0 ? net.append(new Linear(width, outputs)) : net;
}

function withDigits(x: Tensor, digits: Tensor | null | undefined, conditional: boolean, who: string): Tensor {
  if (!conditional) return x;
  if (!digits) throw new Error(`${who}: a conditional GAN needs the digits`);
  return cat([x, oneHot(digits, CLASSES, { dtype: "float32" })], 1);
}

export class MlpGenerator extends ImageGenerator {
  readonly net: Sequential;

  constructor(readonly zDim: number, hidden: number, layers: number, readonly conditional = false) {
    super();
    this.net = this.registerModule("net", mlpLayers(zDim + (conditional ? CLASSES : 0), hidden, layers, PIXELS).append(new Tanh()));
  }

  forward(z: Tensor, digits?: Tensor | null): Tensor {
    return this.net.forward(withDigits(z, digits, this.conditional, "MlpGenerator")).reshape([-1, 1, IMAGE, IMAGE]);
  }
}

export class MlpDiscriminator extends ImageDiscriminator {
  readonly net: Sequential;

  constructor(hidden: number, layers: number, readonly conditional = false) {
    super();
    this.net = this.registerModule("net", mlpLayers(PIXELS + (conditional ? CLASSES : 0), hidden, layers, 1));
  }

  forward(x: Tensor, digits?: Tensor | null): Tensor {
    return this.net.forward(withDigits(x.reshape([-1, PIXELS]), digits, this.conditional, "MlpDiscriminator"));
  }
}

/**
 * A class-conditioned discriminator by projection: φ(x) = [Linear → LeakyReLU(.2)] × layers,
 * D(x, y) = w·φ(x) + b + ⟨E[y], φ(x)⟩ with a learned embedding E of each digit (initialised
 * like a linear layer's weights, U(±1/√hidden), so the projection starts small).
 */
export class ProjectionDiscriminator extends ImageDiscriminator {
  readonly body: Sequential;
  readonly head: Linear;
  readonly embed: Embedding;

  constructor(hidden: number, layers: number) {
    super();
    const width = layers > 0 ? hidden : PIXELS;
    this.body = this.registerModule("body", mlpLayers(PIXELS, hidden, layers, 0));
    this.head = this.registerModule("head", new Linear(width, 1));
    this.embed = this.registerModule("embed", new Embedding(CLASSES, width));
    uniform_(this.embed.weight, -1 / Math.sqrt(width), 1 / Math.sqrt(width));
  }

  forward(x: Tensor, digits?: Tensor | null): Tensor {
    if (!digits) throw new Error("ProjectionDiscriminator: a conditional GAN needs the digits");
    const h = this.body.forward(x.reshape([-1, PIXELS]));
    return this.head.forward(h).add(this.embed.forward(digits).mul(h).sum(1, true));
  }
}

/** DCGAN's initialisation: conv weights N(0, 0.02), batch-norm weights N(1, 0.02) and biases 0. */
function dcganInit(module: Module): void {
  module.apply((m) => {
    if (m instanceof Conv2d || m instanceof ConvTranspose2d) normal_(m.weight, 0, 0.02);
    if (m instanceof BatchNorm2d && m.weight && m.bias) {
      normal_(m.weight, 1, 0.02);
      constant_(m.bias, 0);
    }
  });
}

export class DcganGenerator extends ImageGenerator {
  readonly conditional = false;
  readonly net: Sequential;

  constructor(readonly zDim: number, channels: number) {
    super();
    const c = channels;
    this.net = this.registerModule("net", new Sequential(
      new ConvTranspose2d(zDim, 2 * c, 7), new BatchNorm2d(2 * c), new ReLU(),
      new ConvTranspose2d(2 * c, c, 4, { stride: 2, padding: 1 }), new BatchNorm2d(c), new ReLU(),
      new ConvTranspose2d(c, 1, 4, { stride: 2, padding: 1 }), new Tanh(),
    ));
    dcganInit(this);
  }

  forward(z: Tensor): Tensor {
    return this.net.forward(z.reshape([z.shape[0], this.zDim, 1, 1]));
  }
}

export class DcganDiscriminator extends ImageDiscriminator {
  readonly net: Sequential;

  constructor(channels: number) {
    super();
    const c = channels;
    this.net = this.registerModule("net", new Sequential(
      new Conv2d(1, c, 4, { stride: 2, padding: 1 }), new LeakyReLU(0.2),
      new Conv2d(c, 2 * c, 4, { stride: 2, padding: 1 }), new BatchNorm2d(2 * c), new LeakyReLU(0.2),
      new Flatten(), new Linear(2 * c * 7 * 7, 1),
    ));
    dcganInit(this);
  }

  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

export interface GanArchitecture {
  model: GanModel;
  zDim: number;
  /** MLP width. */
  hidden: number;
  /** MLP hidden layers. */
  layers: number;
  /** DCGAN base channels c. */
  channels: number;
}

/** The default noise size of each model (DESIGN: W4 uses 64, W5 100). */
export function defaultZDim(model: GanModel): number {
  return model === "dcgan" ? 100 : 64;
}

export function buildPlayers(a: GanArchitecture): { generator: ImageGenerator; discriminator: ImageDiscriminator } {
  switch (a.model) {
    case "mlp":
      return { generator: new MlpGenerator(a.zDim, a.hidden, a.layers), discriminator: new MlpDiscriminator(a.hidden, a.layers) };
    case "conditional":
      return { generator: new MlpGenerator(a.zDim, a.hidden, a.layers, true), discriminator: new ProjectionDiscriminator(a.hidden, a.layers) };
    case "dcgan":
      return { generator: new DcganGenerator(a.zDim, a.channels), discriminator: new DcganDiscriminator(a.channels) };
  }
}
