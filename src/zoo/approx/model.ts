/**
 * The universal approximator: a one-hidden-layer tanh MLP fitted to a 1-D function (or a 2-D one).
 *
 *     hᵢ(x) = tanh(aᵢ·x + bᵢ)                i = 1 … H     hidden.weight a [H, 1], hidden.bias b [H]
 *     ŷ(x)  = c + Σᵢ wᵢ·hᵢ(x)                              output.weight w [1, H], output.bias c [1]
 *     loss  = mean over the grid of (ŷ(x) − y(x))²
 *
 * Each term wᵢ·hᵢ(x) is one hidden unit's contribution: a smooth step of height 2wᵢ centred
 * at x = −bᵢ/aᵢ, with steepness aᵢ. Two steps of opposite sign make a bump, and enough bumps
 * make any continuous curve — the universality argument of Nielsen's chapter 4, which the Lab
 * draws live ("the bumps under the sum").
 *
 * The model is `hidden = nn.Linear(1, H)`, tanh, `output = nn.Linear(H, 1)`, so its parameter
 * names and layouts are those of PyTorch's
 * `nn.Sequential(OrderedDict(hidden=nn.Linear(1, H), act=nn.Tanh(), output=nn.Linear(H, 1)))`:
 * `hidden.weight` [H, 1], `hidden.bias` [H], `output.weight` [1, H], `output.bias` [1].
 */
import { manualSeed, nn, noGrad, optim, rand, type Tensor, tensor } from "../../index.js";
import { grid } from "./functions.js";

export interface ApproxOptions {
  /** Hidden units H (default 8). */
  units?: number;
  /** Adam's learning rate (default 0.02). */
  lr?: number;
  /** Seed for the initial weights (default 0). */
  seed?: number;
}

/** One hidden unit, as a learner reads it: ŷ gets wᵢ·tanh(aᵢx + bᵢ). */
export interface HiddenUnit {
  a: number;
  b: number;
  w: number;
}

/** What the Lab (or a CLI export) draws: the fit and every unit's contribution on a grid. */
export interface ApproxSnapshot {
  /** The x positions, [n]. */
  x: Float32Array;
  /** ŷ(x), [n]. */
  fit: Float32Array;
  /** Row-major [H, n]: row i is wᵢ·tanh(aᵢx + bᵢ). Their sum plus `bias` is `fit`. */
  contributions: Float32Array;
  /** The output bias c. */
  bias: number;
  units: HiddenUnit[];
}

/** The one-hidden-layer MLP of the equations above. */
export class ApproxMLP extends nn.Module {
  /** aᵢ and bᵢ: weight [H, 1], bias [H]. */
  readonly hidden: nn.Linear;
  /** wᵢ and c: weight [1, H], bias [1]. */
  readonly output: nn.Linear;

  /**
   * `output` keeps PyTorch's default initialisation. `hidden` is initialised for inputs on
   * [−1, 1]: each unit's centre −bᵢ/aᵢ uniform on [−1, 1] and its steepness |aᵢ| uniform on
   * [1, 6] with alternating signs. (PyTorch's default for a 1-input layer, U(−1, 1), gives
   * slopes so gentle on [−1, 1] that every unit starts as a near-straight line; spreading the
   * steps over the domain is the classic start for 1-D fits and makes the bumps visible from
   * the first frame.)
   *
   * With `inputs` = 2 (functions of (x, y)), unit i is a ridge tanh(aᵢ·p + bᵢ): its direction
   * aᵢ/|aᵢ| is uniform on the circle, its steepness as above, and the line where it is steepest
   * passes through a centre uniform on [−1, 1]².
   */
  constructor(readonly units: number, readonly inputs = 1) {
    super();
    if (!Number.isInteger(units) || units < 1) throw new RangeError(`ApproxMLP: units must be a positive integer, got ${units}`);
    if (inputs !== 1 && inputs !== 2) throw new RangeError(`ApproxMLP: inputs must be 1 or 2, got ${inputs}`);
    this.hidden = this.registerModule("hidden", new nn.Linear(inputs, units));
    this.output = this.registerModule("output", new nn.Linear(units, 1));
    const slope = Float32Array.from(rand([units]).data, (u, i) => (1 + 5 * u) * (i % 2 === 0 ? 1 : -1));
    if (inputs === 1) {
      const centre = Float32Array.from(rand([units]).data, (u) => 2 * u - 1);
      this.hidden.weight.data.set(slope);
      this.hidden.bias!.data.set(centre.map((c, i) => -c * slope[i]));
    } else {
      const angle = rand([units]).data, centre = rand([units, 2]).data;
      for (let i = 0; i < units; i++) {
        const a1 = slope[i] * Math.cos(2 * Math.PI * angle[i]), a2 = slope[i] * Math.sin(2 * Math.PI * angle[i]);
        this.hidden.weight.data[2 * i] = a1;
        this.hidden.weight.data[2 * i + 1] = a2;
        this.hidden.bias!.data[i] = -(a1 * (2 * centre[2 * i] - 1) + a2 * (2 * centre[2 * i + 1] - 1));
      }
    }
  }

  /** hᵢ(x) = tanh(aᵢ·x + bᵢ) for x of shape [N, inputs]: [N, H]. */
  activations(x: Tensor): Tensor {
    return this.hidden.forward(x).tanh();
  }

  /** ŷ(x) = c + Σᵢ wᵢ·hᵢ(x) for x of shape [N, inputs]: [N, 1]. */
  forward(x: Tensor): Tensor {
    return this.output.forward(this.activations(x));
  }

  /** The fit and each unit's contribution wᵢ·hᵢ(x) on the points `xs` (1-D models; no graph recorded). */
  snapshot(xs: Float32Array): ApproxSnapshot {
    if (this.inputs !== 1) throw new RangeError(`ApproxMLP.snapshot: a ${this.inputs}-input model needs contributionsAt(points)`);
    const { fit, contributions, bias } = this.contributionsAt(xs);
    const [a, b, w] = [this.hidden.weight.data, this.hidden.bias!.data, this.output.weight.data];
    const units = Array.from({ length: this.units }, (_, i) => ({ a: a[i], b: b[i], w: w[i] }));
    return { x: xs, fit, contributions, bias, units };
  }

  /**
   * Each unit's contribution wᵢ·hᵢ(p) at N points given row-major as [N, inputs] (flat), and
   * the fit: `contributions` is [H, N] row-major, and its column sums plus `bias` are `fit`.
   */
  contributionsAt(points: Float32Array): { fit: Float32Array; contributions: Float32Array; bias: number } {
    const n = points.length / this.inputs;
    if (!Number.isInteger(n)) throw new RangeError(`ApproxMLP.contributionsAt: ${points.length} values are not whole points of ${this.inputs} coordinates`);
    return noGrad(() => {
      const x = tensor(points, { shape: [n, this.inputs] });
      const parts = this.activations(x).mul(this.output.weight).t(); // [H, n]: row i = wᵢ·hᵢ(x)
      const bias = this.output.bias!.item();
      const fit = parts.sum(0).add(bias);
      return { fit: Float32Array.from(fit.data), contributions: Float32Array.from(parts.data), bias };
    });
  }
}

/**
 * Fits an ApproxMLP to a target sampled on a fixed grid of [−1, 1], full batch, with Adam.
 * The target can change between steps (the Lab's user drawing); the weights carry on.
 */
export class ApproxFit {
  readonly model: ApproxMLP;
  readonly x: Float32Array;
  steps = 0;
  private readonly input: Tensor;
  private target: Tensor;
  private readonly optimizer: optim.Adam;

  /** `target` holds y on `grid(target.length)`. */
  constructor(target: Float32Array, options: ApproxOptions = {}) {
    if (options.seed !== undefined) manualSeed(options.seed);
    this.model = new ApproxMLP(options.units ?? 8);
    this.x = grid(target.length);
    this.input = tensor(this.x, { shape: [this.x.length, 1] });
    this.target = this.checkTarget(target);
    this.optimizer = new optim.Adam(this.model.parameters(), { lr: options.lr ?? 0.02 });
  }

  /** Adam's learning rate; can change between steps. */
  get lr(): number {
    return this.optimizer.paramGroups[0].lr;
  }

  set lr(value: number) {
    this.optimizer.paramGroups[0].lr = value;
  }

  /** Replaces the target (same number of points); training continues from the current weights. */
  setTarget(target: Float32Array): void {
    this.target = this.checkTarget(target);
  }

  /** The mean squared error now, without training. */
  loss(): number {
    return noGrad(() => this.model.forward(this.input).sub(this.target).square().mean().item());
  }

  /** The largest |ŷ(x) − y(x)| on the grid: the ε of "within ε everywhere". */
  maxError(): number {
    return noGrad(() => this.model.forward(this.input).sub(this.target).abs().max().item());
  }

  /** One full-batch Adam step; returns the loss before the update. Throws if it is not finite. */
  step(): number {
    const loss = this.model.forward(this.input).sub(this.target).square().mean();
    this.optimizer.zeroGrad();
    loss.backward();
    const value = loss.item();
    if (!Number.isFinite(value)) throw new Error(`approx: the loss became ${value} at step ${this.steps + 1}; lower the learning rate`);
    this.optimizer.step();
    this.steps++;
    return value;
  }

  private checkTarget(target: Float32Array): Tensor {
    if (target.length !== this.x.length) throw new RangeError(`approx: target has ${target.length} points, the grid has ${this.x.length}`);
    if (!target.every(Number.isFinite)) throw new RangeError("approx: target values must be finite numbers");
    return tensor(Float32Array.from(target), { shape: [target.length, 1] });
  }
}
