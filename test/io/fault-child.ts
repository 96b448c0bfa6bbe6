/**
 * The training process that test/io/fault.test.ts kills. Usage:
 *
 *   node --import tsx test/io/fault-child.ts <dir> [--crash=<phase>:<k>]
 *
 * Trains a linear regression with SGD + momentum for TOTAL_STEPS steps on minibatches drawn with
 * the global RNG (plus input noise from randn, so the generator's spare normal matters too),
 * checkpointing to <dir>/ckpt.safetensors every SAVE_EVERY steps; resumes from that checkpoint
 * when it exists; writes the final weights to <dir>/final.safetensors. Prints one line per event
 * on stdout: `resumed <step>`, `saved <step>`, `done <ms>`.
 *
 * `--crash=<phase>:<k>` kills the process with SIGKILL inside its k-th checkpoint save, at
 * <phase>, by wrapping node:fs (nothing in the library knows about it):
 *   write-half     after writing half of the temp file
 *   fsync          after writing the temp file, before fsyncing it
 *   before-link    after removing the old backup, before linking the current file to it
 *   rename         after the backup link, before renaming the temp file over the checkpoint
 *   after-rename   after the rename, before fsyncing the directory
 *
 * The model and optimizer are small stand-ins with the nn.Module / optim.Optimizer interfaces
 * (stateDict/loadStateDict, parameters, zeroGrad, step); when nn and optim land, replace
 * `new TinyLinear(IN, OUT)` with `new nn.Linear(IN, OUT)` and `new MomentumSGD(...)` with
 * `new optim.SGD(...)`.
 */
import fs from "node:fs";
import path from "node:path";
import { syncBuiltinESMExports } from "node:module";
import { Generator, type Tensor, manualSeed, noGrad, randint, randn, tensor } from "../../src/core/index.js";
import * as io from "../../src/io/index.js";
import { SAVE_EVERY, TOTAL_STEPS } from "./fault-config.js";

const IN = 64;
const OUT = 32;
const BATCH = 16;
const SAMPLES = 256;

class TinyLinear {
  weight: Tensor;
  bias: Tensor;
  constructor(inFeatures: number, outFeatures: number) {
    const bound = 1 / Math.sqrt(inFeatures);
    this.weight = randn([outFeatures, inFeatures]).mul(bound).detach().requiresGrad_();
    this.bias = randn([outFeatures]).mul(bound).detach().requiresGrad_();
  }
  forward(x: Tensor): Tensor {
    return x.matmul(this.weight.t()).add(this.bias);
  }
  parameters(): Tensor[] {
    return [this.weight, this.bias];
  }
  stateDict(): Record<string, Tensor> {
    return { weight: this.weight.detach(), bias: this.bias.detach() };
  }
  loadStateDict(dict: Record<string, Tensor>, { strict = true }: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    const missing = Object.keys(own).filter((k) => !(k in dict));
    const unexpected = Object.keys(dict).filter((k) => !(k in own));
    if (strict && (missing.length > 0 || unexpected.length > 0)) throw new Error(`missing ${missing}, unexpected ${unexpected}`);
    for (const [k, t] of Object.entries(own)) {
      if (k in dict) t.data.set(dict[k].data);
    }
  }
}

interface SgdState {
  state: Record<string, { momentumBuffer: Tensor }>;
  paramGroups: Array<{ lr: number; momentum: number; params: number[] }>;
}

/** torch.optim.SGD with momentum (dampening 0): buf = momentum·buf + grad (buf = grad at first); p -= lr·buf. */
class MomentumSGD {
  private buffers: Array<Float32Array | null>;
  constructor(private params: Tensor[], private options: { lr: number; momentum: number }) {
    this.buffers = params.map(() => null);
  }
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }
  step(): void {
    const { lr, momentum } = this.options;
    this.params.forEach((p, i) => {
      const g = p.grad!.data as Float32Array;
      let buf = this.buffers[i];
      if (buf === null) buf = this.buffers[i] = Float32Array.from(g);
      else for (let j = 0; j < buf.length; j++) buf[j] = Math.fround(Math.fround(momentum * buf[j]) + g[j]);
      const d = p.data as Float32Array;
      for (let j = 0; j < d.length; j++) d[j] = Math.fround(d[j] - Math.fround(lr * buf[j]));
    });
  }
  stateDict(): SgdState {
    const state: SgdState["state"] = {};
    this.buffers.forEach((b, i) => {
      if (b !== null) state[i] = { momentumBuffer: tensor(Float32Array.from(b), { shape: this.params[i].shape }) };
    });
    return { state, paramGroups: [{ ...this.options, params: this.params.map((_, i) => i) }] };
  }
  loadStateDict(sd: SgdState): void {
    this.buffers = this.params.map((_, i) => (sd.state[i] ? Float32Array.from(sd.state[i].momentumBuffer.data) : null));
    Object.assign(this.options, { lr: sd.paramGroups[0].lr, momentum: sd.paramGroups[0].momentum });
  }
}

function armCrash(spec: string): void {
  const [phase, kText] = spec.split(":");
  const k = Number(kText);
  const die = (): never => {
    process.kill(process.pid, "SIGKILL");
    throw new Error("unreachable");
  };
  const f = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
  const wrap = (name: string, fn: (orig: (...args: unknown[]) => unknown, args: unknown[]) => unknown): void => {
    const orig = f[name];
    f[name] = (...args: unknown[]) => fn(orig, args);
  };
  // The atomic writer's first call of a save is its one writeSync: that counts the saves.
  let saves = 0;
  wrap("writeSync", (orig, args) => {
    saves++;
    if (phase === "write-half" && saves === k) {
      const [fd, buf, offset, length] = args as [number, Uint8Array, number, number];
      orig(fd, buf, offset, Math.floor(length / 2));
      die();
    }
    return orig(...args);
  });
  const at = (name: string, when: "before" | "after"): void =>
    wrap(name, (orig, args) => {
      if (saves === k && when === "before") die();
      const result = orig(...args);
      if (saves === k && when === "after") die();
      return result;
    });
  if (phase === "fsync") at("fsyncSync", "before"); // the first fsync of a save is the temp file's
  else if (phase === "before-link") at("linkSync", "before");
  else if (phase === "rename") at("renameSync", "before");
  else if (phase === "after-rename") at("renameSync", "after");
  else if (phase !== "write-half") throw new Error(`unknown crash phase ${phase}`);
  syncBuiltinESMExports();
}

async function main(): Promise<void> {
  const dir = process.argv[2];
  const crash = process.argv.find((a) => a.startsWith("--crash="));
  if (crash) armCrash(crash.slice("--crash=".length));
  const ckpt = path.join(dir, "ckpt.safetensors");

  // The data set: fixed, from its own generator.
  const g = new Generator(7);
  const X = randn([SAMPLES, IN], { generator: g });
  const wTrue = randn([IN, OUT], { generator: g });
  const Y = X.matmul(wTrue).add(randn([SAMPLES, OUT], { generator: g }).mul(0.1));

  manualSeed(42);
  const model = new TinyLinear(IN, OUT); // later: new nn.Linear(IN, OUT)
  const optimizer = new MomentumSGD(model.parameters(), { lr: 0.01, momentum: 0.9 }); // later: new optim.SGD(model.parameters(), { lr: 0.01, momentum: 0.9 })
  const config = { in: IN, out: OUT, batch: BATCH, lr: 0.01, momentum: 0.9 };

  let start = 1;
  if (await io.checkpointExists(ckpt)) {
    const { step } = await io.restoreCheckpoint(ckpt, { model, optimizer });
    console.log(`resumed ${step}`);
    start = step + 1;
  }
  const t0 = performance.now();
  for (let step = start; step <= TOTAL_STEPS; step++) {
    const idx = randint(0, SAMPLES, [BATCH]);
    const x = X.indexSelect(0, idx).add(randn([BATCH, IN]).mul(0.01));
    const y = Y.indexSelect(0, idx);
    optimizer.zeroGrad();
    const loss = model.forward(x).sub(y).square().mean();
    loss.backward();
    noGrad(() => optimizer.step());
    if (step % SAVE_EVERY === 0) {
      await io.saveCheckpoint(ckpt, { model, optimizer, step, config });
      console.log(`saved ${step}`);
    }
  }
  await io.saveSafetensors(path.join(dir, "final.safetensors"), model.stateDict());
  console.log(`done ${Math.round(performance.now() - t0)}`);
}

await main();
