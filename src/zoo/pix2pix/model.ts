/**
 * pix2pix (Isola et al. 2017, "Image-to-Image Translation with Conditional Adversarial
 * Networks"): a U-Net generator G(x) and a PatchGAN discriminator D(x, y) that judges every
 * overlapping patch of the pair (input, output) as real or fake.
 *
 *   D: max  log D(x, y) + log(1 − D(x, G(x)))                    (per patch, averaged)
 *   G: min  −log D(x, G(x)) + λ·‖y − G(x)‖₁                       (non-saturating + L1)
 *
 * The L1 term gets the low frequencies right; the adversary punishes what L1 tolerates —
 * blur, and the washed-out average colour when several colours are plausible.
 * The ablation is the same U-Net trained on λ·L1 alone.
 */
import { cat } from "../../core/ops/slice.js";
import type { Tensor } from "../../core/tensor.js";
import { noGrad } from "../../core/autograd.js";
import { Conv2d, ConvTranspose2d } from "../../nn/conv.js";
import { Dropout } from "../../nn/dropout.js";
import { Identity } from "../../nn/linear.js";
import { LeakyReLU } from "../../nn/activation.js";
import { Module, ModuleList, Sequential } from "../../nn/module.js";
import { BatchNorm2d } from "../../nn/norm.js";
import { normal_, zeros_ } from "../../nn/init.js";

/** pix2pix's initialisation: conv weights N(0, 0.02), batch-norm γ N(1, 0.02), biases 0. */
function initWeights(root: Module): void {
  noGrad(() => {
    for (const m of root.modules()) {
      if (m instanceof Conv2d || m instanceof ConvTranspose2d) {
        normal_(m.weight, 0, 0.02);
        if (m.bias) zeros_(m.bias);
      } else if (m instanceof BatchNorm2d) {
        if (m.weight) normal_(m.weight, 1, 0.02);
        if (m.bias) zeros_(m.bias);
      }
    }
  });
}

export interface UNetOptions {
  inChannels: number;
  outChannels: number;
  /** Input side length: a power of two ≥ 8 (the U-Net halves it down to 2×2). */
  size: number;
  /** Channels of the first level (doubling per level, at most 4×). */
  width: number;
  /** Dropout in the three innermost decoder levels (pix2pix's noise; 0: none). */
  dropout?: number;
}

/**
 * The U-Net generator: an encoder of stride-2 4×4 convolutions down to 2×2 and a decoder of
 * stride-2 4×4 transposed convolutions back up, where each decoder level also sees the encoder
 * level of its size (skip connections: the fine detail and the exact positions of edges need
 * not squeeze through the bottleneck).
 *
 *   down₀ = Conv(x)                          downᵢ = BN(Conv(LReLU₀.₂(downᵢ₋₁)))    innermost: no BN
 *   up_{n−1} = BN(ConvT(ReLU(down_{n−1})))   upᵢ = BN(ConvT(ReLU([upᵢ₊₁, downᵢ])))  G(x) = tanh(up₀)
 *
 * - input `[batch, inChannels, size, size]` in [−1, 1] → output `[batch, outChannels, size, size]` in (−1, 1)
 */
export class UNet extends Module {
  readonly depth: number;
  readonly downs: ModuleList<Conv2d>;
  readonly downNorms: ModuleList<Module>;
  readonly ups: ModuleList<ConvTranspose2d>;
  readonly upNorms: ModuleList<Module>;
  readonly drop: ModuleList<Module>;

  constructor(readonly config: UNetOptions) {
    super();
    const { inChannels, outChannels, size, width } = config;
    const depth = Math.log2(size);
    if (!Number.isInteger(depth) || size < 8) throw new Error(`UNet: size must be a power of two ≥ 8, got ${size}`);
    this.depth = depth - 1; // down to 2×2
    const ch = Array.from({ length: this.depth }, (_, i) => width * Math.min(2 ** i, 4));
    const n = this.depth;
    this.downs = this.registerModule("downs", new ModuleList(ch.map((c, i) => new Conv2d(i === 0 ? inChannels : ch[i - 1], c, 4, { stride: 2, padding: 1, bias: i === 0 || i === n - 1 }))));
    this.downNorms = this.registerModule("downNorms", new ModuleList(ch.map((c, i) => (i === 0 || i === n - 1 ? new Identity() : new BatchNorm2d(c)))));
    this.ups = this.registerModule("ups", new ModuleList(ch.map((c, i) => new ConvTranspose2d(i === n - 1 ? c : 2 * c, i === 0 ? outChannels : ch[i - 1], 4, { stride: 2, padding: 1, bias: i === 0 }))));
    this.upNorms = this.registerModule("upNorms", new ModuleList(ch.map((_, i) => (i === 0 ? new Identity() : new BatchNorm2d(ch[i - 1])))));
    const p = config.dropout ?? 0;
    this.drop = this.registerModule("drop", new ModuleList(ch.map((_, i) => (p > 0 && i > 0 && i >= n - 3 ? new Dropout(p) : new Identity()))));
    initWeights(this);
  }

  forward(x: Tensor): Tensor {
    const skips: Tensor[] = [];
    let h = x;
    for (let i = 0; i < this.depth; i++) {
      if (i > 0) h = h.leakyRelu(0.2);
      h = this.downNorms.at(i).forward(this.downs.at(i).forward(h));
      skips.push(h);
    }
    for (let i = this.depth - 1; i >= 0; i--) {
      const input = i === this.depth - 1 ? skips[i] : cat([h, skips[i]], 1);
      h = this.upNorms.at(i).forward(this.ups.at(i).forward(input.relu()));
      h = this.drop.at(i).forward(h);
    }
    return h.tanh();
  }
}

/**
 * The PatchGAN discriminator: a small fully convolutional net on the pair [x, y] (channels
 * concatenated) whose output is a map of logits, one per overlapping patch (receptive field
 * 34×34 with `layers` = 2, 70×70 with 3 as in pix2pix).
 *
 *   Conv4×4/2 → LReLU, (Conv4×4/2 → BN → LReLU) × (layers − 1), Conv4×4/1 → BN → LReLU, Conv4×4/1 → logits
 */
export class PatchGAN extends Sequential {
  constructor(inChannels: number, width: number, layers = 2) {
    const mods: Module[] = [new Conv2d(inChannels, width, 4, { stride: 2, padding: 1 }), new LeakyReLU(0.2)];
    let c = width;
    for (let k = 1; k < layers; k++) {
      const next = width * Math.min(2 ** k, 8);
      mods.push(new Conv2d(c, next, 4, { stride: 2, padding: 1, bias: false }), new BatchNorm2d(next), new LeakyReLU(0.2));
      c = next;
    }
    const last = width * Math.min(2 ** layers, 8);
    mods.push(new Conv2d(c, last, 4, { stride: 1, padding: 1, bias: false }), new BatchNorm2d(last), new LeakyReLU(0.2));
    mods.push(new Conv2d(last, 1, 4, { stride: 1, padding: 1 }));
    super(...mods);
    initWeights(this);
  }
}

export interface Pix2PixOptions extends UNetOptions {
  /** The discriminator's first-layer channels. */
  discWidth: number;
  /** Stride-2 layers of the discriminator (2: 34×34 patches). */
  discLayers: number;
  /** Also keep the L1-only generator (the ablation). */
  ablation: boolean;
}

/** The three players of a run, in one module so one checkpoint holds them: generator, discriminator, ablation. */
export class Pix2Pix extends Module {
  readonly generator: UNet;
  readonly discriminator: PatchGAN;
  readonly ablation: UNet | null;

  constructor(readonly options: Pix2PixOptions) {
    super();
    this.generator = this.registerModule("generator", new UNet(options));
    this.discriminator = this.registerModule("discriminator", new PatchGAN(options.inChannels + options.outChannels, options.discWidth, options.discLayers));
    // The ablation starts from the same weights as the generator: only the loss differs.
    this.ablation = options.ablation ? this.registerModule("ablation", new UNet(options)) : null;
    if (this.ablation) this.ablation.loadStateDict(this.generator.stateDict());
  }

  /** D's logits for a pair. */
  judge(input: Tensor, output: Tensor): Tensor {
    return this.discriminator.forward(cat([input, output], 1));
  }

  forward(x: Tensor): Tensor {
    return this.generator.forward(x);
  }
}
