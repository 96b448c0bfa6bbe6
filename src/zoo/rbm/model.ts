/**
 * The restricted Boltzmann machine: V visible units v and H hidden units h, no connections
 * within a layer, and the energy
 *
 *     Bernoulli visible (v ∈ {0,1}ⱽ):       E(v, h) = −bᵀv − cᵀh − hᵀWv
 *     Gaussian visible (v ∈ ℝⱽ, σ = 1):     E(v, h) = ½‖v − b‖² − cᵀh − hᵀWv
 *
 * with p(v, h) = exp(−E(v, h)) / Z. Because the layers are bipartite, each conditional factorises:
 *
 *     p(hⱼ = 1 | v) = σ(cⱼ + Wⱼ·v)
 *     p(vᵢ = 1 | h) = σ(bᵢ + W·ᵢᵀh)             (Bernoulli)     v | h ~ N(b + Wᵀh, I)   (Gaussian)
 *
 * and summing h out gives the free energy, p(v) = exp(−F(v)) / Z:
 *
 *     F(v) = −bᵀv − Σⱼ softplus(cⱼ + Wⱼ·v)         (Bernoulli)
 *     F(v) = ½‖v − b‖² − Σⱼ softplus(cⱼ + Wⱼ·v)     (Gaussian)
 *
 * The log-likelihood gradient is a difference of two expectations, −∂F/∂θ under the data minus
 * the same under the model, e.g. ∂ log p(v)/∂W = E[h vᵀ | v] − E_model[h vᵀ]. Contrastive
 * divergence (CD-k, Hinton 2002) replaces the model expectation by k steps of block Gibbs
 * sampling started at the data; persistent CD (PCD, Tieleman 2008) keeps the chains running
 * from one update to the next. Parameters: `weight` W [H, V] (the layout of nn.Linear(V, H)),
 * `vbias` b [V], `hbias` c [H].
 */
import { noGrad } from "../../core/autograd.js";
import { randn, tensor, zeros } from "../../core/ops/creation.js";
import { mm } from "../../core/ops/matmul.js";
import { defaultGenerator, type Generator } from "../../core/random.js";
import type { Tensor } from "../../core/tensor.js";
import { linear } from "../../nn/linear.js";
import { type FloatDType, Module } from "../../nn/module.js";

export type VisibleType = "bernoulli" | "gaussian";

export interface RBMOptions {
  /** Binary (default) or real-valued, unit-variance visible units. */
  visibleType?: VisibleType;
  /** Standard deviation of the initial weights (default 0.01, Hinton's guide). */
  initStd?: number;
  dtype?: FloatDType;
}

/** One contrastive-divergence estimate: the ascent direction of every parameter, and the chain's end. */
export interface CDResult {
  /** Estimates of ∂ log-likelihood / ∂θ averaged over the batch (ascend them). */
  grads: { weight: Tensor; vbias: Tensor; hbias: Tensor };
  /** The visible state at the end of the Gibbs chains [chains, V] (PCD's next start). */
  chains: Tensor;
  /** p(h = 1 | v₀) for the data [B, H]. */
  positiveHidden: Tensor;
  /** E[v | h₀] with h₀ ~ p(h | v₀): the data's one-step reconstruction [B, V] (for the reconstruction error). */
  reconstruction: Tensor;
}

export interface CDOptions {
  /** Gibbs steps (the k of CD-k; default 1). */
  k?: number;
  /**
   * Visible states to continue the chains from (persistent CD); without it the chains start at
   * the data (CD). Its row count may differ from the batch's.
   */
  chains?: Tensor;
  /**
   * Sample the visible units in the chain (default true). With false, the chain carries the
   * visible means ("noise-free reconstructions", the usual choice for Gaussian units in CD).
   */
  sampleVisible?: boolean;
  generator?: Generator;
}

export class RBM extends Module {
  /** W [H, V]. */
  weight: Tensor;
  /** b [V]. */
  vbias: Tensor;
  /** c [H]. */
  hbias: Tensor;
  readonly visibleType: VisibleType;

  constructor(readonly visible: number, readonly hidden: number, options: RBMOptions = {}) {
    super();
    const dtype = options.dtype ?? "float32";
    this.visibleType = options.visibleType ?? "bernoulli";
    this.weight = this.registerParameter("weight", randn([hidden, visible], { dtype }).mul(options.initStd ?? 0.01).detach());
    this.vbias = this.registerParameter("vbias", zeros([visible], { dtype }));
    this.hbias = this.registerParameter("hbias", zeros([hidden], { dtype }));
  }

  /** The up-pass p(h = 1 | v) [B, H]: the features an RBM gives a classifier or the next RBM. */
  forward(v: Tensor): Tensor {
    return this.hiddenProbs(v);
  }

  /** p(h = 1 | v) [B, H] for v [B, V]. */
  hiddenProbs(v: Tensor): Tensor {
    return linear(v, this.weight, this.hbias).sigmoid();
  }

  /** E[v | h] [B, V] for h [B, H]: σ(b + Wᵀh) (Bernoulli) or b + Wᵀh (Gaussian). */
  visibleMean(h: Tensor): Tensor {
    const pre = mm(h, this.weight, false, false).add(this.vbias);
    return this.visibleType === "bernoulli" ? pre.sigmoid() : pre;
  }

  /** A sample of h | v with its probabilities. */
  sampleHidden(v: Tensor, generator?: Generator): { probs: Tensor; sample: Tensor } {
    const probs = this.hiddenProbs(v);
    return { probs, sample: bernoulli(probs, generator) };
  }

  /** A sample of v | h with its mean. */
  sampleVisible(h: Tensor, generator?: Generator): { mean: Tensor; sample: Tensor } {
    const mean = this.visibleMean(h);
    const sample = this.visibleType === "bernoulli" ? bernoulli(mean, generator) : mean.add(randn(mean.shape, { dtype: mean.dtype, generator }));
    return { mean, sample };
  }

  /** F(v) [B] for v [B, V] (see the header); differentiable. */
  freeEnergy(v: Tensor): Tensor {
    const hiddenTerm = linear(v, this.weight, this.hbias).softplus().sum(-1);
    const visibleTerm = this.visibleType === "bernoulli" ? v.mul(this.vbias).sum(-1).neg() : v.sub(this.vbias).square().sum(-1).mul(0.5);
    return visibleTerm.sub(hiddenTerm);
  }

  /** E(v, h) [B] for v [B, V] and h [B, H] (see the header); differentiable. */
  energy(v: Tensor, h: Tensor): Tensor {
    const visibleTerm = this.visibleType === "bernoulli" ? v.mul(this.vbias).sum(-1).neg() : v.sub(this.vbias).square().sum(-1).mul(0.5);
    return visibleTerm.sub(h.mul(linear(v, this.weight, this.hbias)).sum(-1));
  }

  /** The mean-field reconstruction E[v | h = p(h | v)] [B, V]: one deterministic up-down pass. */
  reconstruct(v: Tensor): Tensor {
    return noGrad(() => this.visibleMean(this.hiddenProbs(v)));
  }

  /**
   * Contrastive divergence: the k-step estimate of ∂ log p(v)/∂θ averaged over the batch v₀ [B, V],
   *
   *     ∂/∂W ≈ ⟨p(h|v₀) v₀ᵀ⟩ − ⟨p(h|v_k) v_kᵀ⟩,   ∂/∂b ≈ ⟨v₀⟩ − ⟨v_k⟩,   ∂/∂c ≈ ⟨p(h|v₀)⟩ − ⟨p(h|v_k)⟩,
   *
   * where v_k ends a chain v → h ~ p(h|v) → v ~ p(v|h) → … of k steps, started at v₀ (CD) or at
   * `options.chains` (PCD). The negative phase uses the hidden probabilities at v_k (not a
   * sample), which has the same expectation and less noise. No autograd graph is recorded.
   */
  contrastiveDivergence(v0: Tensor, options: CDOptions = {}): CDResult {
    const k = options.k ?? 1;
    if (!Number.isInteger(k) || k < 1) throw new RangeError(`RBM.contrastiveDivergence: k must be a positive integer, got ${k}`);
    const sampleV = options.sampleVisible ?? true;
    const g = options.generator;
    return noGrad(() => {
      const positiveHidden = this.hiddenProbs(v0);
      const h0 = bernoulli(positiveHidden, g);
      const first = this.sampleVisible(h0, g);
      const reconstruction = first.mean;
      let h = h0;
      let v = v0;
      let hk = positiveHidden;
      for (let step = 0; step < k; step++) {
        // PCD's chains continue from their own state; CD's start at the data (whose first step is above).
        if (step === 0 && options.chains) h = this.sampleHidden(options.chains, g).sample;
        const s = step === 0 && !options.chains ? first : this.sampleVisible(h, g);
        v = sampleV ? s.sample : s.mean;
        hk = this.hiddenProbs(v);
        if (step < k - 1) h = bernoulli(hk, g);
      }
      const B = v0.shape[0], C = v.shape[0];
      const weight = mm(positiveHidden, v0, true, false).div(B).sub(mm(hk, v, true, false).div(C));
      const vbias = v0.mean(0).sub(v.mean(0));
      const hbias = positiveHidden.mean(0).sub(hk.mean(0));
      return { grads: { weight, vbias, hbias }, chains: v, positiveHidden, reconstruction };
    });
  }

  /**
   * Runs `steps` of block Gibbs sampling from v [B, V] and returns the last visible sample and
   * its mean E[v | h] (the smoother picture to show).
   */
  gibbs(v: Tensor, steps: number, generator?: Generator): { sample: Tensor; mean: Tensor } {
    return noGrad(() => {
      let sample = v, mean = v;
      for (let t = 0; t < steps; t++) {
        const h = this.sampleHidden(sample, generator).sample;
        ({ sample, mean } = this.sampleVisible(h, generator));
      }
      return { sample, mean };
    });
  }

  /**
   * The pseudo-log-likelihood of binary v [B, V] (Besag 1975), exactly: for each image,
   * Σᵢ log p(vᵢ | v₋ᵢ) = Σᵢ log σ(F(ṽ⁽ⁱ⁾) − F(v)), ṽ⁽ⁱ⁾ being v with bit i flipped; returned
   * per image [B] (nats). Flipping bit i changes the hidden pre-activation by ±W·ᵢ, so all V
   * flips of an image cost one [V, H] softplus.
   */
  pseudoLogLikelihood(v: Tensor): Float64Array {
    if (this.visibleType !== "bernoulli") throw new RangeError("RBM.pseudoLogLikelihood: defined here for binary (Bernoulli) visible units");
    return noGrad(() => {
      const B = v.shape[0], V = this.visible;
      const out = new Float64Array(B);
      const Wt = this.weight.t(); // [V, H]
      const pre = linear(v, this.weight, this.hbias); // [B, H]: c + Wv
      const hiddenSum = pre.softplus().sum(-1).data; // Σⱼ softplus(c + Wv) [B]
      const b = this.vbias.data;
      for (let n = 0; n < B; n++) {
        const row = v.select(0, n);
        const sign = row.mul(-2).add(1); // sᵢ = +1 where vᵢ = 0 (the flip turns it on), −1 where vᵢ = 1
        const flipped = Wt.mul(sign.unsqueeze(1)).add(pre.select(0, n)).softplus().sum(1).data; // Σⱼ softplus(c + Wv + sᵢW·ᵢ) [V]
        const s = sign.data;
        let total = 0;
        for (let i = 0; i < V; i++) {
          // F(ṽ⁽ⁱ⁾) − F(v) = −sᵢbᵢ − Σⱼ softplus(c + Wṽ⁽ⁱ⁾) + Σⱼ softplus(c + Wv)
          total += logSigmoid(-s[i] * b[i] - flipped[i] + hiddenSum[n]);
        }
        out[n] = total;
      }
      return out;
    });
  }
}

/** log σ(t), stable for large |t|. */
export function logSigmoid(t: number): number {
  return t >= 0 ? -Math.log1p(Math.exp(-t)) : t - Math.log1p(Math.exp(t));
}

/**
 * Independent Bernoulli samples with the given probabilities (a float 0/1 tensor of the same
 * shape): uᵢ < pᵢ with uᵢ uniform, drawn as `rand` draws them (24 random bits for float32).
 */
export function bernoulli(p: Tensor, generator?: Generator): Tensor {
  const g = generator ?? defaultGenerator;
  const src = p.data, n = src.length;
  if (p.dtype === "float64") {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = g.random() < src[i] ? 1 : 0;
    return tensor(out, { shape: p.shape, dtype: "float64" });
  }
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.random24() < src[i] ? 1 : 0;
  return tensor(out, { shape: p.shape });
}
