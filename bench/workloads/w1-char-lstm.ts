/** W1 — char-LSTM LM training (DESIGN.md §6); the model and step are in bench/lib/char-rnn.ts. */
import { charRnnWorkload } from "../lib/char-rnn.js";

export const w1 = charRnnWorkload("W1", "lstm");
