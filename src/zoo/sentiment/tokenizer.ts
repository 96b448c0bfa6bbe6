/**
 * Word-level tokenizer and vocabulary for sentence classification.
 *
 * tokenize(): lower-case; words are runs of letters and digits (any script); each
 * punctuation mark is a token of its own, except runs of dots ("..." is one token);
 * English clitics split off in the Penn Treebank way, so every negation shares one token:
 *
 *     "Don't buy it... NOT worth $20!"  →  do n't buy it ... not worth $ 20 !
 *     "can't" → can n't   "won't" → will n't   "it's" → it 's   "we're" → we 're
 *
 * Typographic apostrophes (’ ‘ ´ `) count as "'". Other apostrophes inside a word stay in it
 * ("o'clock").
 */
const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|\.{2,}|[^\s\p{L}\p{N}]/gu;
const CLITICS = new Set(["'s", "'re", "'ve", "'ll", "'d", "'m"]);
/** Stems PTB respells before n't: can't → can n't, won't → will n't, shan't → shall n't. */
const NEG_STEMS: Record<string, string> = { ca: "can", wo: "will", sha: "shall" };

export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  const normal = text.toLowerCase().replace(/[\u2019\u2018\u00b4`]/g, "'");
  for (const [w] of normal.matchAll(WORD)) {
    if (w.length > 3 && w.endsWith("n't")) {
      const stem = w.slice(0, -3);
      tokens.push(NEG_STEMS[stem] ?? stem, "n't");
      continue;
    }
    const cut = w.lastIndexOf("'");
    if (cut > 0 && CLITICS.has(w.slice(cut))) tokens.push(w.slice(0, cut), w.slice(cut));
    else tokens.push(w);
  }
  return tokens;
}

/**
 * A word vocabulary built from training texts only: index 0 is padding (the Embedding's
 * paddingIdx), 1 is <unk> (words below minCount and words never seen in training), then the
 * words by descending count (ties alphabetical), so the order is reproducible.
 */
export class WordVocab {
  static readonly PAD = 0;
  static readonly UNK = 1;
  readonly words: string[];
  private readonly index: Map<string, number>;

  constructor(words: readonly string[]) {
    this.words = ["<pad>", "<unk>", ...words.filter((w) => w !== "<pad>" && w !== "<unk>")];
    this.index = new Map(this.words.map((w, i) => [w, i]));
  }

  /** Counts the tokens of `texts` (already tokenized) and keeps those seen at least minCount times. */
  static build(texts: Iterable<readonly string[]>, minCount = 1): WordVocab {
    const counts = new Map<string, number>();
    for (const tokens of texts) for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
    const kept = [...counts].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return new WordVocab(kept.map(([w]) => w));
  }

  get size(): number {
    return this.words.length;
  }

  /** Token ids; unknown words map to UNK. */
  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.index.get(t) ?? WordVocab.UNK);
  }

  has(token: string): boolean {
    return this.index.has(token) && this.index.get(token)! > WordVocab.UNK;
  }

  /** The words after <pad> and <unk> (what vocab.json stores). */
  toJSON(): string[] {
    return this.words.slice(2);
  }
}
