/**
 * The lesson's map: every network of the lesson with its applications, and every Lab page.
 * Plain data (no imports), read by the home page, the router and the browser tests.
 *
 * A page is live when lab/src/pages/<route>/view.ts and trainer.ts exist; until then its
 * card says which issue brings it.
 */

export interface PageInfo {
  /** The hash route (#/<route>), the zoo's task name. */
  route: string;
  title: string;
  /** One sentence: what the learner does and sees on the page. */
  blurb: string;
  /** The issue that builds the page's zoo task (and, with it, the page). */
  issue: number;
}

export const PAGES: PageInfo[] = [
  { route: "approx", title: "Universal approximator", issue: 8, blurb: "Draw any curve; a one-hidden-layer MLP fits it live and shows the bump each hidden unit adds." },
  { route: "memory", title: "RNN memory and gradients", issue: 5, blurb: "The adding and copy tasks: RNN, LSTM and GRU side by side, with ‖∂L/∂hₜ‖ over time steps." },
  { route: "charlm", title: "Inside LSTM and GRU", issue: 5, blurb: "A character model learns first names; watch its gates and cell state per character." },
  { route: "sentiment", title: "Sentiment", issue: 5, blurb: "Type a sentence, read its probability and each word's contribution; compare RNN, LSTM, GRU, BiLSTM." },
  { route: "g2p", title: "Translation: spelling → sound", issue: 6, blurb: "Type a word, get its pronunciation from a seq2seq model, with the attention map." },
  { route: "caption", title: "Image captioning", issue: 6, blurb: "Compose a scene of shapes; a CNN encoder and an LSTM decoder describe it." },
  { route: "sketch", title: "SketchRNN", issue: 6, blurb: "Start a drawing; the model finishes it." },
  { route: "gan2d", title: "GAN Lab 2-D", issue: 7, blurb: "Real vs generated points, the discriminator's field and the generator's gradients." },
  { route: "gan-mnist", title: "GAN digits", issue: 7, blurb: "A grid of generated digits improving as it trains; pick a digit for the conditional GAN." },
  { route: "pix2pix", title: "Image-to-image", issue: 7, blurb: "Draw edges, get a digit (pix2pix); fill in, colourise, find roads." },
  { route: "detect-fakes", title: "Spot the fake", issue: 7, blurb: "You and a detector each guess: real digit or generated?" },
  { route: "autoencoder", title: "Autoencoder", issue: 8, blurb: "The 2-D latent map (click to decode), denoising, and the code size vs quality trade." },
  { route: "rbm", title: "RBM and deep belief network", issue: 8, blurb: "Filters and Gibbs samples as a restricted Boltzmann machine learns digits." },
  { route: "rbf", title: "RBF network", issue: 8, blurb: "Centres and widths over 2-D data, next to an MLP with as many parameters." },
];

export interface Application {
  /** What the network is used for, in the lesson's words. */
  label: string;
  /** The page that shows it. */
  route: string;
}

/** One card of the home page: a network of the lesson and what it is used for. */
export interface Network {
  name: string;
  /** One sentence: what it is. */
  idea: string;
  applications: Application[];
}

export const NETWORKS: Network[] = [
  {
    name: "Multilayer perceptron",
    idea: "One hidden layer of enough units can approximate any continuous function.",
    applications: [{ label: "Universal approximation", route: "approx" }],
  },
  {
    name: "Recurrent neural network",
    idea: "A hidden state carried from step to step; its gradients vanish or explode over long spans.",
    applications: [
      { label: "Vanishing and exploding gradients", route: "memory" },
      { label: "Character language model", route: "charlm" },
    ],
  },
  {
    name: "LSTM",
    idea: "A cell state guarded by input, forget and output gates keeps information for long.",
    applications: [
      { label: "Long memory (adding, copy)", route: "memory" },
      { label: "Gates while it writes names", route: "charlm" },
    ],
  },
  {
    name: "GRU",
    idea: "Reset and update gates: the LSTM's memory with fewer parts.",
    applications: [
      { label: "Long memory (adding, copy)", route: "memory" },
      { label: "Gates while it writes names", route: "charlm" },
    ],
  },
  {
    name: "Bidirectional LSTM",
    idea: "Two LSTMs read the sequence forwards and backwards; each position sees both sides.",
    applications: [
      { label: "Sentiment classification", route: "sentiment" },
      { label: "Encoder for translation", route: "g2p" },
    ],
  },
  {
    name: "Recurrent networks at work",
    idea: "Inputs and outputs of different lengths: many-to-one, many-to-many, one-to-many.",
    applications: [
      { label: "Sentiment analysis", route: "sentiment" },
      { label: "Translation", route: "g2p" },
      { label: "Image captioning", route: "caption" },
      { label: "Sketch completion", route: "sketch" },
    ],
  },
  {
    name: "Generative adversarial network",
    idea: "A generator and a discriminator play a two-player game until fakes look real.",
    applications: [
      { label: "Image generation (2-D points)", route: "gan2d" },
      { label: "Image generation (digits)", route: "gan-mnist" },
      { label: "Image-to-image translation", route: "pix2pix" },
      { label: "Telling fakes from real", route: "detect-fakes" },
    ],
  },
  {
    name: "Autoencoder",
    idea: "An encoder squeezes the input into a small code; a decoder rebuilds it.",
    applications: [
      { label: "Dimensionality reduction", route: "autoencoder" },
      { label: "Compression", route: "autoencoder" },
      { label: "Denoising", route: "autoencoder" },
      { label: "Feature extraction", route: "autoencoder" },
      { label: "Generation (VAE)", route: "autoencoder" },
      { label: "Sequence-to-sequence", route: "autoencoder" },
      { label: "Recommendation", route: "autoencoder" },
    ],
  },
  {
    name: "Boltzmann machine and deep belief network",
    idea: "An energy-based model trained by contrastive divergence; stacked, a deep belief network.",
    applications: [
      { label: "Learned filters and Gibbs samples", route: "rbm" },
      { label: "Greedy layer-wise pretraining", route: "rbm" },
    ],
  },
  {
    name: "RBF network",
    idea: "Hidden units that respond to the distance from a centre: local bumps, by design.",
    applications: [
      { label: "Regression and classification", route: "rbf" },
    ],
  },
];

export function pageInfo(route: string): PageInfo | undefined {
  return PAGES.find((p) => p.route === route);
}
