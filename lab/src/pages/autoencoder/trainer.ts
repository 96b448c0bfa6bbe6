/**
 * The autoencoder page's worker side: two autoencoders of src/zoo/autoencoder (model.ts) learn
 * the page's 1,000 digits (the gan-mnist page's subset) side by side, taking turns (an Adam step
 * of one, then of the other, per `step()`):
 *   - the map: 784 → 64 → 2 → 64 → 784, whose 2-D codes are the latent map;
 *   - the codec: 784 → 64 → code → 64 → 784, trained as a denoising autoencoder (each input
 *     gets Gaussian noise of a random σ in [0, MAX_NOISE]), so it both denoises the noise slider's
 *     digits and shows what `code` 8-bit numbers per image keep.
 * The loss is the mean of the two networks' latest training MSEs. Metrics (PSNR over the 200 held-out digits)
 * and the map (600 training digits) are refreshed once a second; the shown digits every frame.
 */
import { noGrad } from "../../../../src/core/autograd.ts";
import { randint, tensor } from "../../../../src/core/ops/creation.ts";
import { defaultGenerator, Generator } from "../../../../src/core/random.ts";
import type { Tensor } from "../../../../src/core/tensor.ts";
import { mse } from "../../../../src/nn/losses.ts";
import { Adam } from "../../../../src/optim/adam.ts";
import { meanSquaredError, psnr } from "../../../../src/zoo/autoencoder/metrics.ts";
import { Autoencoder } from "../../../../src/zoo/autoencoder/model.ts";
import { gaussianNoise } from "../../../../src/zoo/autoencoder/noise.ts";
import { columnRanges, quantiseColumns } from "../../../../src/zoo/autoencoder/quantise.ts";
import { loadDigits } from "../gan-mnist/digits.ts";
import { defineTrainer } from "../../protocol.ts";
import { type AEParams, type AEPayload, HIDDEN, MAX_NOISE, PIXELS, SHOWN } from "./shared.ts";

/** Small batches keep one step (and so one frame) short: ~14 ms of CPU here. */
const BATCH = 16;
/** The map and the held-out PSNRs are recomputed at most once a second and once in REFRESH_FRAMES frames (a busy machine gets fewer frames, not slower ones). */
const REFRESH_MS = 1000;
const REFRESH_FRAMES = 20;
/** Training digits of each class shown on the map. */
const MAP_PER_CLASS = 60;

/** [−1, 1] → [0, 1] (the shared digits are in a GAN's tanh range). */
const toUnit = (x: Float32Array) => Float32Array.from(x, (v) => (v + 1) / 2);
const toSigned = (x: Float32Array) => Float32Array.from(x, (v) => 2 * v - 1);

function rows(x: Float32Array, idx: ArrayLike<number>): Float32Array {
  const out = new Float32Array(idx.length * PIXELS);
  for (let i = 0; i < idx.length; i++) out.set(x.subarray(idx[i] * PIXELS, (idx[i] + 1) * PIXELS), i * PIXELS);
  return out;
}

/** x + σ·n clipped to [0, 1], with fixed standard normals n (so the picture changes only with σ). */
function withNoise(x: Float32Array, normals: Float32Array, sigma: number): Float32Array {
  return Float32Array.from(x, (v, i) => Math.min(1, Math.max(0, v + sigma * normals[i])));
}

export default defineTrainer<AEParams, AEPayload>({
  async create(initial, seed) {
    const params = { ...initial };
    const digits = await loadDigits();
    const train = toUnit(digits.train.images), heldOut = toUnit(digits.heldOut.images);
    const nTrain = digits.train.count;
    // The map's digits: the first MAP_PER_CLASS training digits of each class.
    const mapRows: number[] = [];
    const seen = new Array<number>(10).fill(0);
    digits.train.labels.forEach((c, i) => { if (seen[c]++ < MAP_PER_CLASS) mapRows.push(i); });
    const mapDigits = rows(train, mapRows);
    const labels = Uint8Array.from(mapRows, (i) => digits.train.labels[i]);
    const normalsGen = new Generator(seed + 21);
    const heldNormals = Float32Array.from({ length: heldOut.length }, () => normalsGen.normal());
    const shown = heldOut.subarray(0, SHOWN * PIXELS);
    const shownNormals = heldNormals.subarray(0, SHOWN * PIXELS);

    const map = new Autoencoder({ input: PIXELS, hidden: [HIDDEN], code: 2 });
    const mapOpt = new Adam(map.parameters(), { lr: params.lr });
    let codec = new Autoencoder({ input: PIXELS, hidden: [HIDDEN], code: params.code });
    let codecOpt = new Adam(codec.parameters(), { lr: params.lr });

    const output = (net: Autoencoder, x: Tensor) => net.decodeLogits(net.encode(x)).sigmoid();
    const through = (net: Autoencoder, x: Float32Array) => noGrad(() => output(net, tensor(x, { shape: [x.length / PIXELS, PIXELS] })).data as Float32Array);
    const codesOf = (net: Autoencoder, x: Float32Array) => noGrad(() => net.encode(tensor(x, { shape: [x.length / PIXELS, PIXELS] })).data as Float32Array);
    /** Reconstructions through 8-bit codes, quantised over the held-out digits' code ranges. */
    const through8bit = (x: Float32Array) => {
      const k = codec.codeSize;
      const range = ranges ?? columnRanges(codesOf(codec, heldOut), k);
      const z = quantiseColumns(codesOf(codec, x), k, range.lo, range.hi);
      return noGrad(() => codec.decode(tensor(z, { shape: [x.length / PIXELS, k] })).data as Float32Array);
    };

    // A fixed batch for loss() (the loss at step 0 and after a change while paused).
    const probeRows = rows(train, Array.from({ length: 64 }, (_, i) => (i * 15) % nTrain));
    const probeX = tensor(probeRows, { shape: [64, PIXELS] });

    let lastRefresh = -Infinity, framesSinceRefresh = Infinity;
    let ranges: { lo: Float32Array; hi: Float32Array } | null = null;
    let turn = 0;
    const lastLoss = noGrad(() => ({ map: mse(output(map, probeX), probeX).item(), codec: mse(output(codec, probeX), probeX).item() }));
    let metrics: Record<string, number> = {};

    return {
      modules: () => ({ map, codec }),
      step() {
        // The two networks take turns (one Adam step each, every other step), which keeps each
        // step, and so the time between frames, short.
        const idx = randint(0, nTrain, [BATCH]).data;
        const clean = rows(train, idx);
        const x = tensor(clean, { shape: [BATCH, PIXELS] });
        if (turn++ % 2 === 0) {
          const loss = mse(output(map, x), x);
          mapOpt.zeroGrad();
          loss.backward();
          mapOpt.step();
          lastLoss.map = loss.item();
        } else {
          const noisy = new Float32Array(clean.length);
          for (let b = 0; b < BATCH; b++) {
            const sigma = MAX_NOISE * defaultGenerator.random24();
            noisy.set(gaussianNoise(clean.subarray(b * PIXELS, (b + 1) * PIXELS), sigma, defaultGenerator), b * PIXELS);
          }
          const loss = mse(output(codec, tensor(noisy, { shape: [BATCH, PIXELS] })), x);
          codecOpt.zeroGrad();
          loss.backward();
          codecOpt.step();
          lastLoss.codec = loss.item();
        }
        return (lastLoss.map + lastLoss.codec) / 2;
      },

      loss() {
        return noGrad(() => (mse(output(map, probeX), probeX).item() + mse(output(codec, probeX), probeX).item()) / 2);
      },

      frame() {
        const now = performance.now();
        const transfer: Transferable[] = [];
        let mapPayload: AEPayload["map"];
        if (++framesSinceRefresh >= REFRESH_FRAMES && now - lastRefresh > REFRESH_MS) {
          lastRefresh = now;
          framesSinceRefresh = 0;
          mapPayload = { points: codesOf(map, mapDigits), labels: labels.slice() };
          transfer.push(mapPayload.points.buffer, mapPayload.labels.buffer);
          ranges = columnRanges(codesOf(codec, heldOut), codec.codeSize);
          const noisyHeld = withNoise(heldOut, heldNormals, params.noise);
          metrics = {
            psnrNoisy: psnr(meanSquaredError(noisyHeld, heldOut)),
            psnrDenoised: psnr(meanSquaredError(through(codec, noisyHeld), heldOut)),
            psnrCode: psnr(meanSquaredError(through8bit(heldOut), heldOut)),
            mapMse: meanSquaredError(through(map, heldOut), heldOut),
          };
        }
        const noisy = withNoise(shown, shownNormals, params.noise);
        const probe = params.probe
          ? toSigned(noGrad(() => map.decode(tensor(Float32Array.from(params.probe!), { shape: [1, 2] })).data as Float32Array))
          : null;
        const payload: AEPayload = {
          map: mapPayload,
          probe,
          clean: toSigned(shown),
          noisy: toSigned(noisy),
          denoised: toSigned(through(codec, noisy)),
          reconstructed: toSigned(through8bit(shown)),
          code: codec.codeSize,
        };
        transfer.push(payload.clean.buffer, payload.noisy.buffer, payload.denoised.buffer, payload.reconstructed.buffer);
        if (probe) transfer.push(probe.buffer);
        return { payload, metrics, transfer };
      },

      update(change) {
        if (change.lr !== undefined) {
          params.lr = change.lr;
          for (const group of [...mapOpt.paramGroups, ...codecOpt.paramGroups]) group.lr = change.lr;
        }
        if (change.code !== undefined && change.code !== codec.codeSize) {
          // A new code size is a new codec network (the map keeps training).
          params.code = change.code;
          codec = new Autoencoder({ input: PIXELS, hidden: [HIDDEN], code: change.code });
          codecOpt = new Adam(codec.parameters(), { lr: params.lr });
          lastLoss.codec = noGrad(() => mse(output(codec, probeX), probeX).item());
          ranges = null;
          lastRefresh = -Infinity;
          framesSinceRefresh = Infinity;
        }
        if (change.noise !== undefined) {
          params.noise = change.noise;
          lastRefresh = -Infinity;
          framesSinceRefresh = Infinity;
        }
        if (change.probe !== undefined) params.probe = change.probe;
        return true;
      },
    };
  },
});
