import { join } from "node:path";
import { NNZooError } from "../../core/errors.js";
import { randint, tensor } from "../../core/ops/creation.js";
import type { Tensor } from "../../core/tensor.js";
import { writePng } from "../../data/png.js";
import { crossEntropy } from "../../nn/losses.js";
import { Linear } from "../../nn/linear.js";
import { Module, Sequential } from "../../nn/module.js";
import { Sigmoid } from "../../nn/activation.js";
import { SGD } from "../../optim/sgd.js";
import type { Metrics, StepLogs, Task, TrainState } from "../task.js";
import { balancedIndices, mnistDigits, PIXELS } from "../rbm/data.js";
import { filterGrid } from "../rbm/images.js";
import { RBM } from "../rbm/model.js";
import { buildRBM, rbmStep } from "../rbm/train.js";

/**
 * dbn — a deep belief network (Hinton, Osindero & Teh 2006; Hinton & Salakhutdinov 2006):
 * greedy layer-wise pretraining of a stack of RBMs on all 8,000 training digits without their
 * labels (layer l + 1 learns from p(h | v) of layer l), then the stack becomes a sigmoid MLP
 * 784 → H → … → H → 10 (each Linear takes its RBM's W [H, V] and hidden bias c; the output
 * layer is new) and is fine-tuned with cross-entropy on only --labels labelled digits (a
 * balanced subset). The same MLP from PyTorch's default initialisation, fine-tuned on the same
 * batches with the same optimizer settings, is the control: `accuracy` vs `accuracyNoPretrain`
 * on the 2,000 held-out digits.
 *
 * Steps: --pretrain-steps CD-1 updates per layer (batch --batch, SGD --lr, momentum 0.5, weight
 * decay 1e-4), then --steps fine-tuning updates (batch min(--batch, --labels), SGD
 * --finetune-lr, momentum 0.9) of both networks. Pixels are greys in [0, 1], read by the first
 * RBM as probabilities of being on. One run, one checkpoint: resuming continues in the phase
 * where it stopped.
 */
export interface DBNState extends TrainState {
  model: DBN;
  optimizer: SGD;
  train: Tensor;
  test: Tensor;
  testLabels: Int32Array;
  labelled: Tensor;
  labels: Tensor;
  pretrainSteps: number;
  batch: number;
  out: string;
}

/** The RBM stack (`rbm0`, `rbm1`, …), the pretrained classifier `net` and the control `scratch`. */
export class DBN extends Module {
  readonly rbms: RBM[] = [];
  readonly net: Sequential;
  readonly scratch: Sequential;

  constructor(readonly sizes: readonly number[], classes: number) {
    super();
    for (let l = 0; l + 1 < sizes.length; l++) this.rbms.push(this.registerModule(`rbm${l}`, new RBM(sizes[l], sizes[l + 1])));
    const mlp = () => {
      const layers: Module[] = [];
      for (let l = 0; l + 1 < sizes.length; l++) layers.push(new Linear(sizes[l], sizes[l + 1]), new Sigmoid());
      layers.push(new Linear(sizes[sizes.length - 1], classes));
      return new Sequential(...layers);
    };
    this.net = this.registerModule("net", mlp());
    this.scratch = this.registerModule("scratch", mlp());
  }

  /** The hidden probabilities of layer `upTo` for input x (the data of RBM `upTo`). */
  propagate(x: Tensor, upTo: number): Tensor {
    let h = x;
    for (let l = 0; l < upTo; l++) h = this.rbms[l].hiddenProbs(h);
    return h;
  }

  /** Copies each RBM's W and hidden bias into the classifier's Linear layers. */
  initialiseFromRBMs(): void {
    this.rbms.forEach((rbm, l) => {
      const linear = this.net.at(2 * l) as Linear;
      linear.weight.data.set(rbm.weight.data);
      linear.bias!.data.set(rbm.hbias.data);
    });
  }

  forward(x: Tensor): Tensor {
    return this.net.forward(x);
  }
}

function accuracy(net: Module, x: Tensor, labels: Int32Array): number {
  const pred = net.forward(x).argmax(-1).data;
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (pred[i] === labels[i]) correct++;
  return correct / labels.length;
}

export const dbn: Task<DBNState> = {
  name: "dbn",
  summary: "deep belief network: greedy RBM pretraining, then fine-tuning with few labels; accuracy vs the same MLP without pretraining",
  models: ["dbn"],
  options: {
    hidden: { default: 256, help: "units of each hidden layer", max: 10_000 },
    layers: { default: 2, help: "stacked RBMs (hidden layers)", max: 4 },
    steps: { default: 1000, help: "fine-tuning steps (after pretraining)" },
    batch: { default: 32 },
    lr: { default: 0.05, help: "pretraining (CD-1) learning rate" },
    logEvery: { default: 100 },
    checkpointEvery: { default: 1000 },
    data: { help: "not used: MNIST from the mnist package" },
    pretrainSteps: { type: "int", help: "CD-1 updates per RBM layer (0: no pretraining phase)", default: 2000, min: 0 },
    finetuneLr: { type: "number", help: "fine-tuning learning rate (SGD, momentum 0.9), both networks", default: 0.1, min: 0 },
    labels: { type: "int", help: "labelled training digits for fine-tuning (balanced over the classes)", default: 100, min: 10, max: 8000 },
    momentum: { type: "number", help: "pretraining momentum", default: 0.5, min: 0, max: 0.999 },
    weightDecay: { type: "number", help: "pretraining L2 weight decay on W", default: 1e-4, min: 0 },
  },

  setup(config, ctx) {
    if (config.data !== undefined) throw new NNZooError("--data: the dbn task trains on MNIST from the mnist package; there is no data file to give");
    const digits = mnistDigits(false);
    const labelCount = config.labels as number;
    if (labelCount > digits.nTrain) throw new NNZooError(`--labels ${labelCount}: there are only ${digits.nTrain} training digits`);
    const sizes = [PIXELS, ...Array(config.layers).fill(config.hidden)];
    const model = new DBN(sizes, 10);
    // The first RBM gets Hinton's visible-bias start from the pixel rates; the others start at zero.
    model.rbms[0].vbias.data.set(buildRBM("bernoulli", 1, digits.train, digits.nTrain).vbias.data);
    const rbmWeights = model.rbms.map((r) => r.weight), rbmBiases = model.rbms.flatMap((r) => [r.vbias, r.hbias]);
    const optimizer = new SGD([
      { params: rbmWeights, weightDecay: config.weightDecay as number },
      { params: rbmBiases, weightDecay: 0 },
      { params: [...model.net.parameters(), ...model.scratch.parameters()], lr: config.finetuneLr as number, momentum: 0.9 },
    ], { lr: config.lr, momentum: config.momentum as number });
    const picked = balancedIndices(digits.trainLabels, labelCount);
    const train = tensor(digits.train, { shape: [digits.nTrain, PIXELS] });
    const index = tensor(Int32Array.from(picked), { shape: [picked.length] });
    ctx.log(`dbn: ${sizes.join("-")}-10, ${config.pretrainSteps} CD-1 steps per layer on ${digits.nTrain} unlabelled digits, then ${config.steps} fine-tuning steps on ${picked.length} labelled`);
    return {
      model, optimizer, train,
      test: tensor(digits.test, { shape: [digits.nTest, PIXELS] }),
      testLabels: digits.testLabels,
      labelled: train.indexSelect(0, index),
      labels: tensor(Int32Array.from(picked, (i) => digits.trainLabels[i]), { shape: [picked.length] }),
      pretrainSteps: config.pretrainSteps as number, batch: config.batch, out: ctx.out,
    };
  },

  totalSteps(state, config) {
    return state.model.rbms.length * state.pretrainSteps + config.steps;
  },

  step(state, step, ctx): StepLogs {
    const { model, optimizer } = state;
    const pretrain = model.rbms.length * state.pretrainSteps;
    optimizer.zeroGrad();
    if (step <= pretrain) {
      const layer = Math.floor((step - 1) / state.pretrainSteps);
      const v0 = model.propagate(state.train.indexSelect(0, randint(0, state.train.shape[0], [state.batch])), layer);
      const { reconError } = rbmStep(model.rbms[layer], optimizer, v0, { k: 1, step, ctx });
      return { loss: reconError, layer };
    }
    if (step === pretrain + 1) model.initialiseFromRBMs();
    const n = state.labels.shape[0];
    const idx = randint(0, n, [Math.min(state.batch, n)]);
    const x = state.labelled.indexSelect(0, idx), y = state.labels.indexSelect(0, idx);
    const loss = crossEntropy(model.net.forward(x), y);
    const lossNoPretrain = crossEntropy(model.scratch.forward(x), y);
    ctx.assertFinite(step, "the fine-tuning loss", loss);
    ctx.assertFinite(step, "the fine-tuning loss without pretraining", lossNoPretrain);
    loss.add(lossNoPretrain).backward();
    optimizer.step();
    return { loss: loss.item(), lossNoPretrain: lossNoPretrain.item() };
  },

  evaluate(state) {
    const { model } = state;
    const metrics: Metrics = {
      accuracy: accuracy(model.net, state.test, state.testLabels),
      accuracyNoPretrain: accuracy(model.scratch, state.test, state.testLabels),
      labels: state.labels.shape[0],
      trainAccuracy: accuracy(model.net, state.labelled, Int32Array.from(state.labels.data)),
      trainAccuracyNoPretrain: accuracy(model.scratch, state.labelled, Int32Array.from(state.labels.data)),
    };
    // How well each RBM reconstructs its own input on the test digits (after pretraining).
    metrics.layerReconError = model.rbms.map((rbm, l) => {
      const v = model.propagate(state.test, l);
      const r = rbm.reconstruct(v).data;
      let s = 0;
      for (let i = 0; i < r.length; i++) s += (r[i] - v.data[i]) ** 2;
      return s / r.length;
    });
    const file = join(state.out, "filters.png");
    writePng(file, filterGrid(model.rbms[0].weight, 100, 10));
    metrics.filters = file;
    return metrics;
  },
};


