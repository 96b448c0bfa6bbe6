import { describe, expect, it } from "vitest";
import { manualSeed, nn, noGrad, randn, tensor, zeros, type Tensor } from "../../src/index.js";
import { fixture } from "./helpers.js";

/** The model of tools/gen_nn_fixtures.py's Net, built with nnzoo. */
class Net extends nn.Module {
  emb = this.registerModule("emb", new nn.Embedding(10, 4, { paddingIdx: 0 }));
  lstm = this.registerModule("lstm", new nn.LSTM({ inputSize: 4, hiddenSize: 5, numLayers: 2, bidirectional: true, batchFirst: true }));
  convs = this.registerModule("convs", new nn.Sequential(new nn.Conv2d(1, 2, 3, { bias: false }), new nn.BatchNorm2d(2), new nn.ReLU(), new nn.Flatten(), new nn.Linear(8, 3)));
  heads = this.registerModule("heads", new nn.ModuleList<nn.Module>([new nn.Linear(10, 2), new nn.LayerNorm(2), new nn.Sequential(new nn.GRU(2, 3), new nn.Dropout(0.1))]));
  bn = this.registerModule("bn", new nn.BatchNorm1d(3, { affine: false }));
  cell = this.registerModule("cell", new nn.GRUCell(3, 2, { bias: false }));
  deconv = this.registerModule("deconv", new nn.ConvTranspose2d(2, 1, 2));
  rnn = this.registerModule("rnn", new nn.RNN(2, 2, { nonlinearity: "relu", bias: false }));
  forward(x: Tensor): Tensor {
    return x;
  }
}

class MLP extends nn.Module {
  fc1 = this.registerModule("fc1", new nn.Linear(3, 8));
  drop = this.registerModule("drop", new nn.Dropout(0.5));
  fc2 = this.registerModule("fc2", new nn.Linear(8, 2));
  forward(x: Tensor): Tensor {
    return this.fc2.forward(this.drop.forward(this.fc1.forward(x).tanh()));
  }
}

const shapes = (entries: Array<[string, Tensor]>) => entries.map(([n, t]) => [n, t.shape.slice()]);

describe("Module: names and order match PyTorch", () => {
  const want = fixture("modules.json").names;
  const net = new Net();
  it("namedParameters", () => expect(shapes(net.namedParameters())).toEqual(want.namedParameters));
  it("stateDict (parameters, persistent buffers, children)", () => expect(shapes(Object.entries(net.stateDict()))).toEqual(want.stateDict));
  it("namedBuffers", () => expect(shapes(net.namedBuffers())).toEqual(want.namedBuffers));
  it("namedModules", () => expect(net.namedModules().map(([n, m]) => [n, m.typeName])).toEqual(want.namedModules));
  it("children and parameters()", () => {
    expect(net.namedChildren().map((e) => e[0])).toEqual(["emb", "lstm", "convs", "heads", "bn", "cell", "deconv", "rnn"]);
    expect(net.parameters().length).toBe(want.namedParameters.length);
  });
});

describe("Module: state dict", () => {
  it("round-trips: another model loads the values (copies, not shared storage)", () => {
    manualSeed(1);
    const a = new MLP().eval();
    const b = new MLP().eval();
    const x = randn([4, 3]);
    expect(a.forward(x).toArray()).not.toEqual(b.forward(x).toArray());
    const weightBefore = b.fc1.weight;
    expect(b.loadStateDict(a.stateDict())).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    expect(b.fc1.weight).toBe(weightBefore); // loaded in place: optimizers keep their references
    a.fc1.weight.data[0] += 1;
    expect(b.fc1.weight.data[0]).not.toBe(a.fc1.weight.data[0]);
  });

  it("strict load lists missing, unexpected and mis-shaped keys, and copies nothing", () => {
    const m = new MLP();
    const sd = m.stateDict();
    const before = Array.from(m.fc1.weight.data);
    const bad = { "fc1.weight": zeros([8, 3]), "fc1.bias": zeros([7]), "fc2.weight": zeros([3, 8]), "extra.weight": zeros([1]) };
    let message = "";
    try {
      m.loadStateDict(bad);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      "MLP.loadStateDict: cannot load the state dict into MLP:\n" +
      '  missing keys: "fc2.bias"\n' +
      '  unexpected keys: "extra.weight"\n' +
      '  size mismatch for "fc1.bias": the dict has [7], the module has [8]\n' +
      '  size mismatch for "fc2.weight": the dict has [3,8], the module has [2,8]',
    );
    expect(Array.from(m.fc1.weight.data)).toEqual(before);
    expect(Object.keys(sd)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
  });

  it("non-strict load returns missing and unexpected keys, but still rejects mis-shaped ones", () => {
    const m = new MLP();
    const res = m.loadStateDict({ "fc1.weight": zeros([8, 3]), "other": zeros([2]) }, { strict: false });
    expect(res).toEqual({ missingKeys: ["fc1.bias", "fc2.weight", "fc2.bias"], unexpectedKeys: ["other"] });
    expect(Array.from(m.fc1.weight.data).every((v) => v === 0)).toBe(true);
    expect(() => m.loadStateDict({ "fc1.weight": zeros([3, 8]) }, { strict: false })).toThrow('size mismatch for "fc1.weight": the dict has [3,8], the module has [8,3]');
  });

  it("accepts a Map, converts dtypes, and loads BatchNorm buffers including num_batches_tracked", () => {
    const bn = new nn.BatchNorm1d(2);
    bn.loadStateDict(new Map<string, Tensor>([
      ["weight", tensor([1, 2], { dtype: "float64" })], ["bias", tensor([0, 1])],
      ["running_mean", tensor([0.5, -0.5])], ["running_var", tensor([2, 3])], ["num_batches_tracked", tensor(7, { dtype: "int32" })],
    ]));
    expect(Array.from(bn.running_var!.data)).toEqual([2, 3]);
    expect(bn.num_batches_tracked!.item()).toBe(7);
    expect(bn.weight!.dtype).toBe("float32");
  });

  it("non-persistent buffers stay out of the state dict", () => {
    class WithCache extends nn.Module {
      constructor() {
        super();
        this.registerBuffer("table", zeros([3]), { persistent: false });
        this.registerBuffer("stats", zeros([2]));
      }
      forward() {}
    }
    const m = new WithCache();
    expect(Object.keys(m.stateDict())).toEqual(["stats"]);
    expect(m.namedBuffers().map((e) => e[0])).toEqual(["table", "stats"]);
  });
});

describe("Module: modes, gradients, dtype", () => {
  it("train()/eval() switch every descendant, and Dropout follows", () => {
    const net = new Net();
    expect(net.modules().every((m) => m.training)).toBe(true);
    net.eval();
    expect(net.modules().some((m) => m.training)).toBe(false);
    net.train();
    expect(net.heads.at(2).training).toBe(true);
    const mlp = new MLP();
    const x = randn([64, 3]);
    expect(mlp.forward(x).toArray()).not.toEqual(mlp.forward(x).toArray()); // dropout draws anew
    mlp.eval();
    expect(mlp.forward(x).toArray()).toEqual(mlp.forward(x).toArray());
  });

  it("zeroGrad sets every gradient to null", () => {
    const m = new MLP();
    m.forward(randn([2, 3])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("to('float64') converts parameters and buffers, keeps names, and updates the fields", () => {
    const net = new Net();
    const names = net.namedParameters().map((e) => e[0]);
    net.to("float64");
    expect(net.namedParameters().map((e) => e[0])).toEqual(names);
    expect(net.parameters().every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    expect(net.convs.at(1) instanceof nn.BatchNorm2d && (net.convs.at(1) as nn.BatchNorm2d).running_mean!.dtype).toBe("float64");
    expect((net.convs.at(1) as nn.BatchNorm2d).num_batches_tracked!.dtype).toBe("int32");
    const fc = net.convs.at(4) as nn.Linear;
    expect(fc.weight).toBe(fc.getParameter("weight"));
    expect(fc.weight.dtype).toBe("float64");
    const [out] = net.lstm.forward(randn([2, 3, 4], { dtype: "float64" }));
    expect(out.dtype).toBe("float64");
    net.float();
    expect(fc.weight.dtype).toBe("float32");
  });

  it("each layer takes a dtype option", () => {
    expect(new nn.Linear(2, 3, { dtype: "float64" }).weight.dtype).toBe("float64");
    expect(new nn.GRU({ inputSize: 2, hiddenSize: 3, dtype: "float64" }).parameters().every((p) => p.dtype === "float64")).toBe(true);
  });
});

describe("Module: registration", () => {
  it("validates names and values", () => {
    class M extends nn.Module {
      forward() {}
    }
    const m = new M();
    expect(() => m.registerParameter("a.b", zeros([1]))).toThrow('M.registerParameter: name must be a non-empty string without dots, got "a.b"');
    expect(() => m.registerParameter("w", zeros([1], { dtype: "int32" }))).toThrow('M.registerParameter: parameter "w" must be float32 or float64, got int32');
    const leaf = zeros([2], { requiresGrad: true });
    expect(() => m.registerParameter("w", leaf.mul(2))).toThrow('parameter "w" must be a leaf tensor');
    m.registerBuffer("b", zeros([1]));
    expect(() => m.registerParameter("b", zeros([1]))).toThrow('"b" is already registered as a buffer');
    const p = m.registerParameter("w", zeros([2]));
    expect(p.requiresGrad).toBe(true);
  });

  it("a parameter shared by two modules is listed once, but saved under both names", () => {
    const enc = new nn.Embedding(5, 3);
    const dec = new nn.Linear(3, 5, { bias: false });
    dec.weight = dec.registerParameter("weight", enc.weight); // weight tying
    const both = new nn.Sequential(enc, dec);
    expect(both.namedParameters().map((e) => e[0])).toEqual(["0.weight"]);
    expect(Object.keys(both.stateDict())).toEqual(["0.weight", "1.weight"]);
  });

  it("absent parameters (bias: false) are listed nowhere", () => {
    const fc = new nn.Linear(3, 2, { bias: false });
    expect(fc.bias).toBe(null);
    expect(Object.keys(fc.stateDict())).toEqual(["weight"]);
  });

  it("getSubmodule, getParameter and getBuffer follow dotted paths", () => {
    const net = new Net();
    expect(net.getSubmodule("heads.2.0")).toBeInstanceOf(nn.GRU);
    expect(net.getParameter("lstm.weight_hh_l1_reverse").shape).toEqual([20, 5]);
    expect(net.getBuffer("convs.1.running_var").shape).toEqual([2]);
    expect(() => net.getSubmodule("heads.7")).toThrow('Net.getSubmodule: ModuleList has no child "7" (in "heads.7")');
  });
});

describe("Sequential and ModuleList", () => {
  it("Sequential runs its modules in order and indexes like a list", () => {
    const seq = new nn.Sequential(new nn.Linear(2, 4), new nn.ReLU());
    seq.append(new nn.Linear(4, 1));
    expect(seq.length).toBe(3);
    expect(seq.at(-1)).toBeInstanceOf(nn.Linear);
    expect([...seq].map((m) => m.typeName)).toEqual(["Linear", "ReLU", "Linear"]);
    const x = randn([5, 2]);
    const manual = (seq.at(2) as nn.Linear).forward((seq.at(0) as nn.Linear).forward(x).relu());
    expect(seq.forward(x).toArray()).toEqual(manual.toArray());
    expect(Object.keys(seq.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(String(seq)).toBe("Sequential(\n  (0): Linear(2, 4, bias=true)\n  (1): ReLU()\n  (2): Linear(4, 1, bias=true)\n)");
  });

  it("ModuleList registers but has no forward", () => {
    const list = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
    expect(list.parameters().length).toBe(4);
    expect(() => list.forward()).toThrow("ModuleList.forward: a ModuleList has no forward");
  });
});

describe("Embedding.fromPretrained", () => {
  it("copies the weights and freezes them by default", () => {
    const w = tensor([[1, 2], [3, 4], [5, 6]]);
    const emb = nn.Embedding.fromPretrained(w);
    expect(emb.weight.requiresGrad).toBe(false);
    expect(emb.forward(tensor([2, 0], { dtype: "int32" })).toArray()).toEqual([[5, 6], [1, 2]]);
    expect(nn.Embedding.fromPretrained(w, { freeze: false }).weight.requiresGrad).toBe(true);
    noGrad(() => expect(emb.weight.data).not.toBe(w.data));
  });
});
