/**
 * The GAN iteration W4 and W5 share (DESIGN.md §6): one discriminator step on real data and
 * on G(z) detached (BCE with logits, real → 1, fake → 0), then one generator step with G
 * re-run on the same z (fake → 1); Adam(2e-4, β1 0.5) for both. Data and z are fixed random
 * tensors; one iteration = one D step + one G step.
 */
import { nn, ones, optim, type Tensor, zeros } from "../../src/index.js";
import type { TF } from "./engines.js";
import { tfMinimize, tfVars } from "./train.js";

type Net = { forward(x: Tensor): Tensor; parameters(): Tensor[] };

/** nnzoo: returns the iteration. */
export function nnzooGanStep(G: Net, D: Net, real: Tensor, z: Tensor): () => void {
  const batch = real.shape[0];
  const optG = new optim.Adam(G.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
  const optD = new optim.Adam(D.parameters(), { lr: 2e-4, betas: [0.5, 0.999] });
  const one = ones([batch, 1]), zero = zeros([batch, 1]);
  const bce = nn.functional.bceWithLogits;
  return () => {
    const fake = G.forward(z);
    const lossD = bce(D.forward(real), one).add(bce(D.forward(fake.detach()), zero));
    optD.zeroGrad();
    lossD.backward();
    optD.step();
    const lossG = bce(D.forward(G.forward(z)), one);
    optG.zeroGrad();
    lossG.backward();
    optG.step();
    lossD.item();
    lossG.item();
  };
}

type TfModel = ReturnType<TF["sequential"]>;
type TfTensor = InstanceType<TF["Tensor"]>;

/** TensorFlow.js: returns the iteration and its disposer. */
export function tfjsGanStep(tf: TF, G: TfModel, D: TfModel, real: TfTensor, z: TfTensor): { step: () => void; dispose: () => void } {
  const batch = real.shape[0];
  const optG = tf.train.adam(2e-4, 0.5, 0.999), optD = tf.train.adam(2e-4, 0.5, 0.999);
  const one = tf.ones([batch, 1]), zero = tf.zeros([batch, 1]);
  const varsG = tfVars(tf, G), varsD = tfVars(tf, D);
  const train = { training: true };
  const bce = (labels: TfTensor, logits: TfTensor) => tf.losses.sigmoidCrossEntropy(labels, logits);
  return {
    step: () => {
      tf.tidy(() => {
        // Outside minimize's tape: the D step does not differentiate through G (detach).
        const fake = G.apply(z, train) as TfTensor;
        tfMinimize(tf, optD, () => bce(one, D.apply(real, train) as TfTensor).add(bce(zero, D.apply(fake, train) as TfTensor)) as never, varsD);
      });
      tfMinimize(tf, optG, () => bce(one, D.apply(G.apply(z, train), train) as TfTensor) as never, varsG);
    },
    dispose: () => {
      tf.dispose([real, z, one, zero]);
      G.dispose();
      D.dispose();
      optG.dispose();
      optD.dispose();
    },
  };
}
