/**
 * ARPAbet for readers who do not know it: each phoneme of CMUdict with the example word of the
 * dictionary's own table (http://www.speech.cs.cmu.edu/cgi-bin/cmudict), shown as a tooltip.
 */
export const SOUNDS: Record<string, string> = {
  AA: "odd", AE: "at", AH: "hut", AO: "ought", AW: "cow", AY: "hide", B: "be", CH: "cheese", D: "dee", DH: "thee",
  EH: "Ed", ER: "hurt", EY: "ate", F: "fee", G: "green", HH: "he", IH: "it", IY: "eat", JH: "gee", K: "key",
  L: "lee", M: "me", N: "knee", NG: "ping", OW: "oat", OY: "toy", P: "pee", R: "read", S: "sea", SH: "she",
  T: "tea", TH: "theta", UH: "hood", UW: "two", V: "vee", W: "we", Y: "yield", Z: "zee", ZH: "seizure",
};

/** "HH as in he" (or the symbol alone when it is not one of the 39). */
export function soundHint(phone: string): string {
  const example = SOUNDS[phone];
  return example ? `${phone} as in “${example}”` : phone;
}
