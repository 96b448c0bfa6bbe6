import { NNZooError } from "../core/errors.js";

/**
 * A character vocabulary. Index 0 is the boundary token "." that starts and ends every
 * item (makemore's convention); the rest are the characters seen, sorted.
 */
export class CharVocab {
  readonly chars: string[];
  private readonly index: Map<string, number>;
  static readonly BOUNDARY = 0;

  constructor(chars: Iterable<string>) {
    const set = [...new Set(chars)].filter((c) => c !== "\u0000").sort();
    this.chars = ["\u0000", ...set];
    this.index = new Map(this.chars.map((c, i) => [c, i]));
  }

  static fromTexts(texts: Iterable<string>): CharVocab {
    const chars = new Set<string>();
    for (const t of texts) for (const c of t) chars.add(c);
    return new CharVocab(chars);
  }

  get size(): number {
    return this.chars.length;
  }

  /** Indices of a string's characters; names the first unknown character. */
  encode(text: string): number[] {
    const out: number[] = [];
    let pos = 0;
    for (const c of text) {
      const i = this.index.get(c);
      if (i === undefined) throw new NNZooError(`character ${JSON.stringify(c)} at position ${pos} of ${JSON.stringify(text.length > 40 ? text.slice(0, 40) + "…" : text)} is not in the vocabulary`);
      out.push(i);
      pos++;
    }
    return out;
  }

  decode(indices: Iterable<number>): string {
    let s = "";
    for (const i of indices) if (i !== CharVocab.BOUNDARY) s += this.chars[i] ?? "?";
    return s;
  }

  toJSON(): string[] {
    return this.chars.slice(1);
  }
}
