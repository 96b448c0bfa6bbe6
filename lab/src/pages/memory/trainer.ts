/**
 * The memory page's worker side: src/zoo/memory's MemoryNet as a plain RNN, an LSTM and a GRU,
 * each with its own Adam, trained on the adding problem or the copy task. One `step()` updates
 * one model (in turn: RNN, LSTM, GRU), so the three get equal updates and the slices stay short.
 * Every update records its batch's ‖∂L/∂hₜ‖ for every t (nn.RNNTrace) at no extra cost: the
 * heat strip is those norms, averaged over each model's recent updates.
 */
import { Generator, noGrad, nn, optim } from "../../../../src/index.ts";
import { type AddingBatch, type CopyBatch, ADDING_TRIVIAL_MSE, addingBatch, copyBatch, copyFeatures, copyLength } from "../../../../src/zoo/memory/data.ts";
import { memoryLoss } from "../../../../src/zoo/memory/loss.ts";
import { MemoryNet } from "../../../../src/zoo/memory/model.ts";
import { defineTrainer } from "../../protocol.ts";
import { BATCH, COPY_ALPHABET, COPY_SYMBOLS, KINDS, type MemoryParams, type MemoryPayload } from "./shared.ts";

/** Weight of the newest update in the running averages (loss, gradient norms, clipping). */
const AVERAGE = 0.15;
/** A probe batch (fixed) gives the loss before training and the first gradient picture. */
const PROBE_SEED = 2718;

export default defineTrainer<MemoryParams, MemoryPayload>({
  create(params) {
    const problem = params.problem;
    const layout = { symbols: COPY_SYMBOLS, gap: params.seqLen, alphabet: COPY_ALPHABET };
    const length = problem === "adding" ? params.seqLen : copyLength(layout);
    const draw = (batch: number, gen?: Generator): AddingBatch | CopyBatch =>
      problem === "adding" ? addingBatch(batch, params.seqLen, gen) : copyBatch(batch, layout, gen);
    const models = KINDS.map((kind) => new MemoryNet({
      kind, hidden: params.hidden, layers: 1,
      inputSize: problem === "adding" ? 2 : copyFeatures(layout),
      outputs: problem === "adding" ? 1 : COPY_ALPHABET,
      readout: problem === "adding" ? 1 : COPY_SYMBOLS,
      init: params.init, gain: params.gain,
    }));
    const optimizers = models.map((m) => new optim.Adam(m.parameters(), { lr: params.lr }));
    let clip = params.clip;
    const probe = draw(BATCH, new Generator(PROBE_SEED));

    const logGradNorms = new Float32Array(KINDS.length * length);
    const losses = new Float32Array(KINDS.length);
    const clipped = new Float32Array(KINDS.length);
    const updates = new Int32Array(KINDS.length);
    const latest = new Float32Array(KINDS.length);

    /** One forward and backward of model k on a batch, recording ‖∂L/∂hₜ‖; returns the loss. */
    const forwardBackward = (k: number, b: AddingBatch | CopyBatch): number => {
      const trace = new nn.RNNTrace();
      const loss = memoryLoss(models[k], problem, COPY_ALPHABET, b, trace).loss;
      loss.backward();
      const norms = trace.gradNorms()!;
      const first = updates[k] === 0;
      for (let t = 0; t < length; t++) {
        const v = Math.log10(Math.max(norms[t], 1e-30));
        const at = k * length + t;
        logGradNorms[at] = first ? v : (1 - AVERAGE) * logGradNorms[at] + AVERAGE * v;
      }
      return loss.item();
    };

    // The picture at initialisation: each model's gradients on the probe batch, before any update.
    KINDS.forEach((_, k) => {
      const value = forwardBackward(k, probe);
      for (const p of models[k].parameters()) p.grad = null;
      losses[k] = latest[k] = value;
    });
    let next = 0;

    return {
      modules: () => ({ rnn: models[0], lstm: models[1], gru: models[2] }),
      step() {
        const k = next;
        next = (next + 1) % KINDS.length;
        optimizers[k].zeroGrad();
        const value = forwardBackward(k, draw(BATCH));
        let wasClipped = 0;
        if (clip > 0) wasClipped = nn.utils.clipGradNorm(models[k].parameters(), clip) > clip ? 1 : 0;
        optimizers[k].step();
        updates[k]++;
        latest[k] = value;
        losses[k] = (1 - AVERAGE) * losses[k] + AVERAGE * value;
        clipped[k] = (1 - AVERAGE) * clipped[k] + AVERAGE * wasClipped;
        // The page's loss: the mean of the three models' latest batch losses.
        return (latest[0] + latest[1] + latest[2]) / 3;
      },
      loss: () => noGrad(() => models.reduce((s, m) => s + memoryLoss(m, problem, COPY_ALPHABET, probe).loss.item(), 0) / models.length),
      frame() {
        const payload: MemoryPayload = {
          problem, length, symbols: COPY_SYMBOLS, baseline: problem === "adding" ? ADDING_TRIVIAL_MSE : Math.log(COPY_ALPHABET),
          logGradNorms: logGradNorms.slice(), losses: losses.slice(), clipped: clipped.slice(), updates: updates.slice(),
        };
        return {
          payload,
          metrics: { rnn: losses[0], lstm: losses[1], gru: losses[2] },
          transfer: [payload.logGradNorms.buffer, payload.losses.buffer, payload.clipped.buffer, payload.updates.buffer],
        };
      },
      update(change) {
        for (const key of ["problem", "seqLen", "init", "gain", "hidden"] as const) {
          if (change[key] !== undefined && change[key] !== params[key]) return false;
        }
        if (change.clip !== undefined) {
          clip = params.clip = change.clip;
          if (clip === 0) clipped.fill(0);
        }
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const o of optimizers) for (const g of o.paramGroups) g.lr = change.lr;
        }
        return true;
      },
    };
  },
});
