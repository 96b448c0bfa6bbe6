/**
 * A small, safe arithmetic expression language for `nnzoo train approx --fn "…"`: a hand-written
 * recursive-descent parser that compiles to closures. Nothing is ever passed to eval or
 * `new Function`; the only names are the variables x and y, the constants pi and e, and the
 * math functions listed in FUNCTIONS, so an expression can compute a number and nothing else.
 *
 *     expr    := sum
 *     sum     := product (("+" | "-") product)*
 *     product := unary (("*" | "/") unary)*
 *     unary   := ("-" | "+") unary | power
 *     power   := atom (("^" | "**") unary)?          right-associative: 2^3^2 = 2^9; -x^2 = -(x^2)
 *     atom    := number | name | name "(" expr ("," expr)* ")" | "(" expr ")"
 *
 * Numbers: 12, 0.5, .5, 1e-3. Plain-number functions only (no tensors), so the Lab can use it too.
 */
import { NNZooError } from "../../core/errors.js";

type Fn = (x: number, y: number) => number;

/** The functions an expression may call, by name, with their number of arguments. */
export const FUNCTIONS: Record<string, { arity: number; f: (...a: number[]) => number }> = {
  sin: { arity: 1, f: Math.sin }, cos: { arity: 1, f: Math.cos }, tan: { arity: 1, f: Math.tan },
  asin: { arity: 1, f: Math.asin }, acos: { arity: 1, f: Math.acos }, atan: { arity: 1, f: Math.atan },
  sinh: { arity: 1, f: Math.sinh }, cosh: { arity: 1, f: Math.cosh }, tanh: { arity: 1, f: Math.tanh },
  exp: { arity: 1, f: Math.exp }, log: { arity: 1, f: Math.log }, ln: { arity: 1, f: Math.log },
  log2: { arity: 1, f: Math.log2 }, log10: { arity: 1, f: Math.log10 }, sqrt: { arity: 1, f: Math.sqrt },
  abs: { arity: 1, f: Math.abs }, sign: { arity: 1, f: Math.sign }, floor: { arity: 1, f: Math.floor },
  ceil: { arity: 1, f: Math.ceil }, round: { arity: 1, f: Math.round },
  /** Heaviside step: 1 for t ≥ 0, else 0. */
  step: { arity: 1, f: (t) => (t >= 0 ? 1 : 0) },
  sigmoid: { arity: 1, f: (t) => 1 / (1 + Math.exp(-t)) },
  min: { arity: 2, f: Math.min }, max: { arity: 2, f: Math.max }, pow: { arity: 2, f: Math.pow },
  atan2: { arity: 2, f: Math.atan2 }, hypot: { arity: 2, f: Math.hypot },
};

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };
const MAX_LENGTH = 1000;
const MAX_DEPTH = 64;

/** A compiled expression: evaluate with `f(x, y)`; `variables` says which of x and y it reads. */
export interface Expression {
  source: string;
  f: Fn;
  variables: { x: boolean; y: boolean };
}

type Token = { kind: "num"; value: number; at: number } | { kind: "name"; value: string; at: number } | { kind: "op"; value: string; at: number } | { kind: "end"; at: number };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === " " || c === "\t") { i++; continue; }
    const num = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(src.slice(i));
    if (num) {
      tokens.push({ kind: "num", value: Number(num[0]), at: i });
      i += num[0].length;
      continue;
    }
    const name = /^[A-Za-z][A-Za-z0-9]*/.exec(src.slice(i));
    if (name) {
      tokens.push({ kind: "name", value: name[0], at: i });
      i += name[0].length;
      continue;
    }
    if (src.startsWith("**", i)) {
      tokens.push({ kind: "op", value: "^", at: i });
      i += 2;
      continue;
    }
    if ("+-*/^(),".includes(c)) {
      tokens.push({ kind: "op", value: c, at: i });
      i++;
      continue;
    }
    throw new NNZooError(`expression ${JSON.stringify(src)}: unexpected character ${JSON.stringify(c)} at position ${i + 1}; only numbers, x, y, pi, e, + - * / ^ ( ) and the functions ${Object.keys(FUNCTIONS).join(", ")} are allowed`);
  }
  tokens.push({ kind: "end", at: src.length });
  return tokens;
}

/**
 * Parses and compiles an arithmetic expression in x (and y). Throws an NNZooError naming the
 * position of the first problem: an unknown name, a stray character, a missing parenthesis.
 */
export function compileExpression(source: string): Expression {
  if (typeof source !== "string" || source.trim() === "") throw new NNZooError("expression is empty");
  if (source.length > MAX_LENGTH) throw new NNZooError(`expression is too long (${source.length} characters; at most ${MAX_LENGTH})`);
  const tokens = tokenize(source);
  const variables = { x: false, y: false };
  let pos = 0;
  let depth = 0;
  const peek = () => tokens[pos];
  const where = (t: Token) => (t.kind === "end" ? "at the end" : `at position ${t.at + 1}`);
  const fail = (t: Token, what: string): never => {
    throw new NNZooError(`expression ${JSON.stringify(source)}: ${what} ${where(t)}`);
  };
  const isOp = (t: Token, v: string) => t.kind === "op" && t.value === v;
  const expect = (v: string) => {
    const t = peek();
    if (!isOp(t, v)) fail(t, `expected "${v}"`);
    pos++;
  };

  function sum(): Fn {
    if (++depth > MAX_DEPTH) fail(peek(), `nesting deeper than ${MAX_DEPTH}`);
    let left = product();
    for (let t = peek(); isOp(t, "+") || isOp(t, "-"); t = peek()) {
      pos++;
      const a = left, b = product();
      left = t.kind === "op" && t.value === "+" ? (x, y) => a(x, y) + b(x, y) : (x, y) => a(x, y) - b(x, y);
    }
    depth--;
    return left;
  }

  function product(): Fn {
    let left = unary();
    for (let t = peek(); isOp(t, "*") || isOp(t, "/"); t = peek()) {
      pos++;
      const a = left, b = unary();
      left = t.kind === "op" && t.value === "*" ? (x, y) => a(x, y) * b(x, y) : (x, y) => a(x, y) / b(x, y);
    }
    return left;
  }

  function unary(): Fn {
    const t = peek();
    if (isOp(t, "-") || isOp(t, "+")) {
      pos++;
      if (++depth > MAX_DEPTH) fail(t, `nesting deeper than ${MAX_DEPTH}`);
      const a = unary();
      depth--;
      return t.kind === "op" && t.value === "-" ? (x, y) => -a(x, y) : a;
    }
    return power();
  }

  function power(): Fn {
    const base = atom();
    if (!isOp(peek(), "^")) return base;
    pos++;
    if (++depth > MAX_DEPTH) fail(peek(), `nesting deeper than ${MAX_DEPTH}`);
    const exponent = unary();
    depth--;
    return (x, y) => Math.pow(base(x, y), exponent(x, y));
  }

  function atom(): Fn {
    const t = peek();
    if (t.kind === "num") {
      pos++;
      const v = t.value;
      return () => v;
    }
    if (isOp(t, "(")) {
      pos++;
      const inner = sum();
      expect(")");
      return inner;
    }
    if (t.kind === "name") {
      pos++;
      const name = t.value;
      if (isOp(peek(), "(")) {
        const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : fail(t, `unknown function "${name}" (functions: ${Object.keys(FUNCTIONS).join(", ")})`);
        pos++;
        const args = [sum()];
        while (isOp(peek(), ",")) {
          pos++;
          args.push(sum());
        }
        expect(")");
        if (args.length !== fn.arity) fail(t, `${name} takes ${fn.arity} argument${fn.arity === 1 ? "" : "s"}, got ${args.length}`);
        const f = fn.f;
        if (args.length === 1) {
          const [a] = args;
          return (x, y) => f(a(x, y));
        }
        const [a, b] = args;
        return (x, y) => f(a(x, y), b(x, y));
      }
      if (name === "x") {
        variables.x = true;
        return (x) => x;
      }
      if (name === "y") {
        variables.y = true;
        return (_x, y) => y;
      }
      if (Object.hasOwn(CONSTANTS, name)) {
        const v = CONSTANTS[name];
        return () => v;
      }
      if (Object.hasOwn(FUNCTIONS, name)) fail(t, `function "${name}" needs arguments in parentheses`);
      return fail(t, `unknown name "${name}" (variables: x, y; constants: pi, e)`);
    }
    return fail(t, t.kind === "end" ? "expected a number, a name or \"(\"" : `unexpected "${(t as { value: string }).value}"`);
  }

  const f = sum();
  if (peek().kind !== "end") fail(peek(), `unexpected "${(peek() as { value: string | number }).value}"`);
  return { source, f, variables };
}
