import { tensor } from "../../core/ops/creation.js";
import { cat } from "../../core/ops/slice.js";
import type { Tensor } from "../../core/tensor.js";
import { Dropout } from "../../nn/dropout.js";
import { Embedding } from "../../nn/embedding.js";
import { Linear } from "../../nn/linear.js";
import { Module } from "../../nn/module.js";
import { type AnyRecurrent, makeRecurrent, type RecurrentState, runRecurrent } from "../recurrent.js";

export interface G2POptions {
  /** "lstm" or "gru", for the encoder and the decoder. */
  kind: string;
  letters: number;
  phones: number;
  embed: number;
  hidden: number;
  layers: number;
  dropout: number;
}

/** The encoder's view of a batch of words, kept for every decoder step. */
export interface Encoded {
  /** Encoder outputs hⱼ = [h→ⱼ ; h←ⱼ], [batch, S, 2H] (zero past a word's length). */
  memory: Tensor;
  /** W_a hⱼ, [batch, S, H]: the attention keys, computed once per word. */
  keys: Tensor;
  /** 0 on letters, −1e9 on padding, [batch, 1, S]: added to the scores before the softmax. */
  mask: Tensor;
  /** The decoder's initial state, [layers, batch, H] (LSTM: [h, c]). */
  state: RecurrentState;
}

/**
 * Spelling → pronunciation: a bidirectional recurrent encoder and a recurrent decoder with
 * Luong's global attention ("general" score; Luong, Pham & Manning 2015). For letters
 * x₁…x_S and phonemes y₁…y_T (y₀ = ⟨s⟩, y_{T+1} = ⟨s⟩ as the end):
 *
 *   hⱼ = [h→ⱼ ; h←ⱼ] = BiLSTM/BiGRU(E_x[xⱼ])                    encoder   [batch, S, 2H]
 *   s₀ = tanh(W_b [h→_S ; h←₁])  (per layer; LSTM: c₀ likewise)  bridge    [layers, batch, H]
 *   sₜ = LSTM/GRU(E_y[yₜ₋₁], sₜ₋₁)                                 decoder   [batch, T, H]
 *   eₜⱼ = sₜᵀ W_a hⱼ                                               score     [batch, T, S]
 *   αₜ = softmax_j(eₜⱼ)   (padding letters masked out)             attention [batch, T, S]
 *   cₜ = Σⱼ αₜⱼ hⱼ                                                 context   [batch, T, 2H]
 *   h̃ₜ = tanh(W_c [cₜ ; sₜ])                                       attentional state [batch, T, H]
 *   p(yₜ | y<ₜ, x) = softmax(W_o dropout(h̃ₜ) + b_o)                [batch, T, phones]
 *
 * Without input feeding, sₜ does not depend on αₜ₋₁, so under teacher forcing the decoder
 * runs as one fused recurrent scan over all T steps (one [batch, H]·[H, G·H] product per
 * step) and the attention for every step is two batched matrix products — the whole
 * training forward has no per-step Python-style loop in the model. Decoding (greedy, beam)
 * runs the same decoder one step at a time from its state.
 */
export class G2PModel extends Module {
  readonly encEmbed: Embedding;
  readonly encoder: AnyRecurrent;
  readonly bridgeH: Linear;
  readonly bridgeC: Linear | null;
  readonly decEmbed: Embedding;
  readonly decoder: AnyRecurrent;
  readonly attn: Linear;
  readonly combine: Linear;
  readonly drop: Dropout;
  readonly out: Linear;
  readonly kind: string;
  readonly layers: number;
  readonly hidden: number;

  constructor(o: G2POptions) {
    super();
    this.kind = o.kind;
    this.layers = o.layers;
    this.hidden = o.hidden;
    const H = o.hidden;
    this.encEmbed = this.registerModule("encEmbed", new Embedding(o.letters, o.embed, { paddingIdx: 0 }));
    this.encoder = this.registerModule("encoder", makeRecurrent(o.kind, { inputSize: o.embed, hiddenSize: H, numLayers: o.layers, bidirectional: true, dropout: o.layers > 1 ? o.dropout : 0 }));
    this.bridgeH = this.registerModule("bridgeH", new Linear(2 * H, H));
    this.bridgeC = o.kind === "lstm" ? this.registerModule("bridgeC", new Linear(2 * H, H)) : null;
    this.decEmbed = this.registerModule("decEmbed", new Embedding(o.phones, o.embed, { paddingIdx: 0 }));
    this.decoder = this.registerModule("decoder", makeRecurrent(o.kind, { inputSize: o.embed, hiddenSize: H, numLayers: o.layers, dropout: o.layers > 1 ? o.dropout : 0 }));
    this.attn = this.registerModule("attn", new Linear(2 * H, H, { bias: false }));
    this.combine = this.registerModule("combine", new Linear(3 * H, H, { bias: false }));
    this.drop = this.registerModule("drop", new Dropout(o.dropout));
    this.out = this.registerModule("out", new Linear(H, o.phones));
  }

  /** letters int32 [batch, S] (padded with 0) and each word's length → what the decoder attends to. */
  encode(letters: Tensor, lengths: readonly number[]): Encoded {
    const [B, S] = letters.shape;
    const [memory, final] = runRecurrent(this.encoder, this.encEmbed.forward(letters), null, { lengths: [...lengths] });
    const pad = new Float32Array(B * S);
    lengths.forEach((L, b) => pad.fill(-1e9, b * S + L, (b + 1) * S));
    // Final states [layers·2, batch, H] → per layer [h→ ; h←] [layers, batch, 2H] → the decoder's s₀.
    const join = (t: Tensor) => t.reshape([this.layers, 2, B, this.hidden]).permute([0, 2, 1, 3]).reshape([this.layers, B, 2 * this.hidden]);
    const state: RecurrentState = Array.isArray(final)
      ? [this.bridgeH.forward(join(final[0])).tanh(), this.bridgeC!.forward(join(final[1])).tanh()]
      : this.bridgeH.forward(join(final)).tanh();
    return { memory, keys: this.attn.forward(memory), mask: tensor(pad, { shape: [B, 1, S] }), state };
  }

  /** Decoder states s [batch, T, H] → logits [batch, T, phones] and the attention α [batch, T, S]. */
  attend(s: Tensor, enc: Pick<Encoded, "memory" | "keys" | "mask">): { logits: Tensor; alpha: Tensor } {
    const alpha = s.matmul(enc.keys.transpose(1, 2)).add(enc.mask).softmax(-1); // eₜⱼ = sₜᵀ(W_a hⱼ)
    const context = alpha.matmul(enc.memory); // cₜ = Σⱼ αₜⱼ hⱼ
    const hTilde = this.combine.forward(cat([context, s], 2)).tanh();
    return { logits: this.out.forward(this.drop.forward(hTilde)), alpha };
  }

  /** Teacher forcing: decoder inputs int32 [batch, T] (⟨s⟩ y₁ … y_{T−1}) → logits [batch, T, phones], α [batch, T, S]. */
  forward(letters: Tensor, lengths: readonly number[], decoderInputs: Tensor): { logits: Tensor; alpha: Tensor } {
    const enc = this.encode(letters, lengths);
    const [s] = runRecurrent(this.decoder, this.decEmbed.forward(decoderInputs), enc.state);
    return this.attend(s, enc);
  }
}

/** One decoding row per hypothesis: the decoder state and which word (row of the encoding) it belongs to. */
export interface DecodeState {
  state: RecurrentState;
  source: Int32Array;
}

/**
 * What the searches need from a decoder: log p(next | prefix) for a batch of hypotheses and
 * a way to reorder/duplicate hypothesis rows. The model's implementation is modelDecoder;
 * tests use hand-set ones.
 */
export interface StepDecoder<S> {
  /** Tokens the decoder can emit (log-prob rows have this many columns). */
  vocab: number;
  /** One step for N hypotheses whose last tokens are given: log-probs [N·vocab], attention [N·S] (or null), the next state. */
  step(state: S, tokens: Int32Array): { logProbs: Float32Array; attention: Float32Array | null; attentionWidth: number; state: S };
  /** The state of the given rows, in that order (rows may repeat). */
  select(state: S, rows: Int32Array): S;
}

/** A decoded sequence (the end token not included), its total log-probability and its attention rows (one per emitted token, the end's included). */
export interface Hypothesis {
  tokens: number[];
  logProb: number;
  attention: number[][];
  /** False when the search reached maxLen without producing the end token. */
  finished: boolean;
}

/** The step decoder of a trained model over one encoded batch (rows 0…batch−1 are the words). */
export function modelDecoder(model: G2PModel, enc: Encoded, phones: number): StepDecoder<DecodeState> {
  return {
    vocab: phones,
    step(st, tokens) {
      const N = tokens.length;
      const idx = tensor(st.source, { shape: [N] });
      const rows = { memory: enc.memory.indexSelect(0, idx), keys: enc.keys.indexSelect(0, idx), mask: enc.mask.indexSelect(0, idx) };
      const [s, state] = runRecurrent(model.decoder, model.decEmbed.forward(tensor(tokens, { shape: [N, 1] })), st.state);
      const { logits, alpha } = model.attend(s, rows);
      const logProbs = logits.reshape([N, phones]).logSoftmax(-1).data as Float32Array;
      return { logProbs, attention: alpha.data as Float32Array, attentionWidth: alpha.shape[2], state: { state, source: st.source } };
    },
    select(st, rows) {
      const idx = tensor(rows, { shape: [rows.length] });
      const pick = (t: Tensor) => t.indexSelect(1, idx);
      const state: RecurrentState = Array.isArray(st.state) ? [pick(st.state[0]), pick(st.state[1])] : pick(st.state);
      return { state, source: Int32Array.from(rows, (r) => st.source[r]) };
    },
  };
}

function attentionRow(att: Float32Array | null, width: number, row: number): number[] {
  return att ? Array.from(att.subarray(row * width, (row + 1) * width)) : [];
}

/**
 * Greedy decoding of N sources at once: yₜ = argmax p(· | y<ₜ, x) until the end token (or
 * maxLen[i] tokens). `state` holds one row per source.
 */
export function greedyDecode<S>(dec: StepDecoder<S>, state: S, n: number, o: { start: number; end: number; maxLen: readonly number[]; banned?: readonly number[] }): Hypothesis[] {
  const hyps: Hypothesis[] = Array.from({ length: n }, () => ({ tokens: [], logProb: 0, attention: [], finished: false }));
  let alive = Array.from({ length: n }, (_, i) => i); // hyps still decoding; state rows follow this order
  let tokens = new Int32Array(n).fill(o.start);
  const banned = new Set(o.banned ?? []);
  while (alive.length > 0) {
    const r = dec.step(state, tokens);
    state = r.state;
    const keep: number[] = [];
    const next: number[] = [];
    alive.forEach((h, k) => {
      let best = -1;
      for (let v = 0; v < dec.vocab; v++) if (!banned.has(v) && (best < 0 || r.logProbs[k * dec.vocab + v] > r.logProbs[k * dec.vocab + best])) best = v;
      const hyp = hyps[h];
      hyp.logProb += r.logProbs[k * dec.vocab + best];
      hyp.attention.push(attentionRow(r.attention, r.attentionWidth, k));
      if (best === o.end) hyp.finished = true;
      else {
        hyp.tokens.push(best);
        if (hyp.tokens.length < o.maxLen[h]) {
          keep.push(k);
          next.push(best);
        }
      }
    });
    if (keep.length === 0) break;
    if (keep.length < alive.length) state = dec.select(state, Int32Array.from(keep));
    alive = keep.map((k) => alive[k]);
    tokens = Int32Array.from(next);
  }
  return hyps;
}

interface Beam {
  tokens: number[];
  logProb: number;
  attention: number[][];
}

/**
 * Beam search of width K for N sources at once (all hypotheses of all sources are one
 * batch of rows). Each step extends every live hypothesis by every token, and per source
 * keeps the 2K best extensions: those that end (the end token) among the top K are
 * finished, the first K that do not end stay alive (fairseq's rule, so K = 1 is greedy).
 * Scores are total log-probabilities (no length normalisation), which can only fall as a
 * hypothesis grows, so a source stops once it has K finished hypotheses or its best
 * finished one beats every live one. Returns each source's finished hypotheses, best first
 * (the live ones, marked unfinished, if none ended within maxLen).
 */
export function beamSearch<S>(dec: StepDecoder<S>, state: S, n: number, o: { beam: number; start: number; end: number; maxLen: readonly number[]; banned?: readonly number[] }): Hypothesis[][] {
  const K = o.beam;
  const V = dec.vocab;
  const banned = new Set(o.banned ?? []);
  const finished: Hypothesis[][] = Array.from({ length: n }, () => []);
  let alive: Beam[][] = Array.from({ length: n }, () => [{ tokens: [], logProb: 0, attention: [] }]);
  let live = Array.from({ length: n }, (_, i) => i); // sources still searching
  let tokens = new Int32Array(n).fill(o.start);
  for (;;) {
    const r = dec.step(state, tokens);
    const parents: number[] = [];
    const nextTokens: number[] = [];
    const nextAlive: Beam[][] = alive.map(() => []);
    const stillLive: number[] = [];
    let row = 0;
    for (const src of live) {
      const beams = alive[src];
      // Every extension (parent row, token, score), best 2K kept.
      const cands: Array<[number, number, number]> = [];
      beams.forEach((b, k) => {
        for (let v = 0; v < V; v++) {
          if (banned.has(v)) continue;
          cands.push([row + k, v, b.logProb + r.logProbs[(row + k) * V + v]]);
        }
      });
      cands.sort((a, b) => b[2] - a[2]);
      const top = cands.slice(0, 2 * K);
      const grown: Beam[] = [];
      const grownRows: number[] = [];
      top.forEach(([parentRow, v, score], rank) => {
        const parent = beams[parentRow - row];
        const attention = [...parent.attention, attentionRow(r.attention, r.attentionWidth, parentRow)];
        if (v === o.end) {
          if (rank < K && finished[src].length < K) finished[src].push({ tokens: parent.tokens, logProb: score, attention, finished: true });
        } else if (grown.length < K) {
          grown.push({ tokens: [...parent.tokens, v], logProb: score, attention });
          grownRows.push(parentRow);
        }
      });
      row += beams.length;
      const bestFinished = Math.max(-Infinity, ...finished[src].map((h) => h.logProb));
      const atMax = grown.length > 0 && grown[0].tokens.length >= o.maxLen[src];
      if (finished[src].length >= K || grown.length === 0 || bestFinished >= grown[0].logProb || atMax) {
        if (finished[src].length === 0) finished[src] = grown.map((g) => ({ ...g, finished: false }));
        continue;
      }
      nextAlive[src] = grown;
      stillLive.push(src);
      parents.push(...grownRows);
      nextTokens.push(...grown.map((g) => g.tokens[g.tokens.length - 1]));
    }
    if (stillLive.length === 0) break;
    state = dec.select(r.state, Int32Array.from(parents));
    alive = nextAlive;
    live = stillLive;
    tokens = Int32Array.from(nextTokens);
  }
  return finished.map((f) => f.sort((a, b) => b.logProb - a.logProb));
}
