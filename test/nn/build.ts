import { nn, type Tensor } from "../../src/index.js";

type Module = nn.Module;
import { dec, type FTensor } from "./helpers.js";

/** Builds the nnzoo module a fixture case describes (PyTorch's config, our option names). */
export function buildModule(kind: string, config: any, dtype: "float32" | "float64"): Module {
  const c = config;
  const a = c.args ?? [];
  switch (kind) {
    case "LSTM": return new nn.LSTM({ ...pick(c, "inputSize", "hiddenSize", "numLayers", "bias", "batchFirst", "bidirectional"), dtype });
    case "GRU": return new nn.GRU({ ...pick(c, "inputSize", "hiddenSize", "numLayers", "bias", "batchFirst", "bidirectional"), dtype });
    case "RNN": return new nn.RNN({ ...pick(c, "inputSize", "hiddenSize", "numLayers", "bias", "batchFirst", "bidirectional", "nonlinearity"), dtype });
    case "LSTMCell": return new nn.LSTMCell(c.inputSize, c.hiddenSize, { bias: c.bias, dtype });
    case "GRUCell": return new nn.GRUCell(c.inputSize, c.hiddenSize, { bias: c.bias, dtype });
    case "RNNCell": return new nn.RNNCell(c.inputSize, c.hiddenSize, { bias: c.bias, nonlinearity: c.nonlinearity, dtype });
    case "Linear": return new nn.Linear(a[0], a[1], { bias: c.bias, dtype });
    case "Conv2d": return new nn.Conv2d(a[0], a[1], a[2], { ...pick(c, "stride", "padding", "dilation", "groups", "bias", "paddingMode"), dtype });
    case "ConvTranspose2d": return new nn.ConvTranspose2d(a[0], a[1], a[2], { ...pick(c, "stride", "padding", "outputPadding", "dilation", "groups", "bias"), dtype });
    case "Embedding": return new nn.Embedding(a[0], a[1], { paddingIdx: c.paddingIdx, dtype });
    case "LayerNorm": return new nn.LayerNorm(a[0], { ...pick(c, "eps", "elementwiseAffine"), dtype });
    case "BatchNorm1d": return new nn.BatchNorm1d(a[0], { ...pick(c, "eps", "momentum", "affine", "trackRunningStats"), dtype });
    case "BatchNorm2d": return new nn.BatchNorm2d(a[0], { ...pick(c, "eps", "momentum", "affine", "trackRunningStats"), dtype });
    case "ReLU": return new nn.ReLU();
    case "LeakyReLU": return new nn.LeakyReLU(a[0]);
    case "ELU": return new nn.ELU(a[0]);
    case "GELU": return new nn.GELU(a[0]);
    case "Tanh": return new nn.Tanh();
    case "Sigmoid": return new nn.Sigmoid();
    case "Softplus": return new nn.Softplus(a[0], a[1]);
    case "Softmax": return new nn.Softmax(a[0]);
    case "LogSoftmax": return new nn.LogSoftmax(a[0]);
    case "Flatten": return new nn.Flatten();
    case "Identity": return new nn.Identity();
    case "MaxPool2d": return new nn.MaxPool2d(a[0], pick(c, "stride", "padding"));
    case "AvgPool2d": return new nn.AvgPool2d(a[0], pick(c, "stride", "padding"));
    default: throw new Error(`no builder for ${kind}`);
  }
}

function pick(o: any, ...keys: string[]): any {
  const out: any = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  return out;
}

/** Runs the module on the case's inputs; returns named outputs as the fixture names them, and the input leaves. */
export function runCase(kind: string, m: Module, inputs: Record<string, FTensor | number[]>): { outputs: Record<string, Tensor>; leaves: Record<string, Tensor> } {
  const leaves: Record<string, Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (Array.isArray(v) || v === null) continue;
    leaves[k] = dec(v, v.dtype !== "int32");
  }
  const lengths = inputs.lengths as number[] | undefined;
  switch (kind) {
    case "LSTM": {
      const state = leaves.h0 ? ([leaves.h0, leaves.c0] as [Tensor, Tensor]) : null;
      const [out, [hn, cn]] = (m as InstanceType<typeof nn.LSTM>).forward(leaves.x, state, { lengths });
      return { outputs: { out, hn, cn }, leaves };
    }
    case "GRU":
    case "RNN": {
      const [out, hn] = (m as InstanceType<typeof nn.GRU>).forward(leaves.x, leaves.h0 ?? null, { lengths });
      return { outputs: { out, hn }, leaves };
    }
    case "LSTMCell": {
      const [h, c] = (m as InstanceType<typeof nn.LSTMCell>).forward(leaves.x, leaves.h ? [leaves.h, leaves.c] : null);
      return { outputs: { h, c }, leaves };
    }
    case "GRUCell":
    case "RNNCell":
      return { outputs: { h: (m as InstanceType<typeof nn.GRUCell>).forward(leaves.x, leaves.h ?? null) }, leaves };
    default:
      return { outputs: { y: m.forward(leaves.x) }, leaves };
  }
}
