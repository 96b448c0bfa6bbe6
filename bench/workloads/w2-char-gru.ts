/** W2 — char-GRU LM training, W1 with GRU(256) (DESIGN.md §6); see bench/lib/char-rnn.ts. */
import { charRnnWorkload } from "../lib/char-rnn.js";

export const w2 = charRnnWorkload("W2", "gru");
