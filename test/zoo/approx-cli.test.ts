import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileExpression } from "../../src/zoo/approx/expression.js";
import { parsePoints } from "../../src/zoo/approx/points.js";
import { parseUnits } from "../../src/zoo/approx/task.js";
import { jsonLine, nnzoo, tempDir } from "../helpers/cli.js";

describe("approx --fn: the expression parser", () => {
  const value = (src: string, x = 0.3, y = -0.7) => compileExpression(src).f(x, y);

  it("computes arithmetic on x and y with the usual precedence", () => {
    const cases: Array<[string, (x: number, y: number) => number]> = [
      ["1 + 2 * 3", () => 7],
      ["(1 + 2) * 3", () => 9],
      ["2 ^ 3 ^ 2", () => 512],
      ["2 ** 3", () => 8],
      ["-x^2", (x) => -(x ** 2)],
      ["2 * -x", (x) => -2 * x],
      ["2^-1", () => 0.5],
      ["10 / 4 / 5", () => 0.5],
      ["8 - 3 - 2", () => 3],
      ["sin(3*x) + x^2", (x) => Math.sin(3 * x) + x * x],
      ["abs(x) - 0.5*cos(pi*y)", (x, y) => Math.abs(x) - 0.5 * Math.cos(Math.PI * y)],
      ["exp(-(x^2 + y^2) / 0.5)", (x, y) => Math.exp(-(x * x + y * y) / 0.5)],
      ["max(x, y) + min(x, y) + atan2(y, x) + hypot(x, y)", (x, y) => Math.max(x, y) + Math.min(x, y) + Math.atan2(y, x) + Math.hypot(x, y)],
      ["step(x) + sign(y) + sigmoid(x)", (x, y) => (x >= 0 ? 1 : 0) + Math.sign(y) + 1 / (1 + Math.exp(-x))],
      [".5e1 + 1.25E-1 + e", () => 5 + 0.125 + Math.E],
      ["  x\t*  y ", (x, y) => x * y],
    ];
    for (const [src, f] of cases) {
      for (const [x, y] of [[0.3, -0.7], [-0.9, 0.2], [0, 1]]) expect(value(src, x, y), src).toBeCloseTo(f(x, y), 12);
    }
  });

  it("says which variables an expression reads (x alone: a 1-D target; y too: 2-D)", () => {
    expect(compileExpression("sin(x)").variables).toEqual({ x: true, y: false });
    expect(compileExpression("x*y").variables).toEqual({ x: true, y: true });
    expect(compileExpression("3").variables).toEqual({ x: false, y: false });
  });

  it("rejects anything but arithmetic on x and y, naming the problem and its position", () => {
    const cases: Array<[string, RegExp]> = [
      ["process.exit(1)", /unknown name "process"|unexpected character "\."/],
      ["x.constructor", /unexpected character "\." at position 2/],
      ["constructor", /unknown name "constructor"/],
      ["toString", /unknown name "toString"/],
      ["__proto__", /unexpected character "_"/],
      ["hasOwnProperty(x)", /unknown function "hasOwnProperty"/],
      ["this", /unknown name "this"/],
      ["alert(1)", /unknown function "alert"/],
      ["eval(\"1\")", /unexpected character "\\""/],
      ["Function('return 1')()", /unexpected character "'"/],
      ["x; 1", /unexpected character ";"/],
      ["x = 1", /unexpected character "="/],
      ["x > 0", /unexpected character ">"/],
      ["x ? 1 : 2", /unexpected character "\?"/],
      ["[1][0]", /unexpected character "\["/],
      ["`x`", /unexpected character "`"/],
      ["z + 1", /unknown name "z"/],
      ["sin", /function "sin" needs arguments/],
      ["min(x)", /min takes 2 arguments, got 1/],
      ["sin(x, y)", /sin takes 1 argument, got 2/],
      ["(x + 1", /expected "\)" at the end/],
      ["x + 1)", /unexpected "\)" at position 6/],
      ["x +", /expected a number, a name or "\(" at the end/],
      ["2 x", /unexpected "x" at position 3/],
      ["", /expression is empty/],
      ["x+".repeat(600) + "x", /too long/],
      ["(".repeat(200) + "x" + ")".repeat(200), /nesting deeper than 64/],
      ["-".repeat(200) + "x", /nesting deeper than 64/],
    ];
    for (const [src, message] of cases) expect(() => compileExpression(src), src).toThrow(message);
  });
});

describe("approx --data: points files", () => {
  it("reads x y and x1 x2 z lines with a header, comments, commas or spaces", () => {
    const p = parsePoints("x,y\n# a comment\n0,1\n1, 2\n2 4\n\n3\t8\n", "p.csv");
    expect(p.inputs).toBe(1);
    expect(Array.from(p.x)).toEqual([0, 1, 2, 3]);
    expect(Array.from(p.y)).toEqual([1, 2, 4, 8]);
    const q = parsePoints("0 0 1\n0 1 2\n1 0 3\n1 1 4\n", "q.txt");
    expect(q.inputs).toBe(2);
    expect(Array.from(q.x)).toEqual([0, 0, 0, 1, 1, 0, 1, 1]);
  });

  it("rejects bad lines with the line number", () => {
    expect(() => parsePoints("0 1\n1 2\n2 oops\n3 4\n4 5", "p")).toThrow(/p line 3: expected numbers, got "2 oops"/);
    expect(() => parsePoints("0 1\n1 2 3\n", "p")).toThrow(/p line 2: expected 2 numbers like the lines before, got 3/);
    expect(() => parsePoints("0 1 2 3\n", "p")).toThrow(/expected 2 numbers \(x y\) or 3 \(x1 x2 z\), got 4/);
    expect(() => parsePoints("0 1\n1 2\n", "p")).toThrow(/need at least 4 points, got 2/);
    expect(() => parsePoints("1 1\n1 2\n1 3\n1 4\n", "p")).toThrow(/input column 1 has a single value/);
    expect(() => parsePoints("a,b,c\n0 1\n1 2\n2 3\n3 4\n", "p")).toThrow(/the header names 3 columns but line 2 has 2/);
  });

  it("--units lists unit counts", () => {
    expect(parseUnits("1, 2,4")).toEqual([1, 2, 4]);
    for (const bad of ["", "0", "1,x", "2,2", "1.5"]) expect(() => parseUnits(bad), bad).toThrow(/--units/);
  });
});

describe("nnzoo train approx (smoke, through the real CLI)", () => {
  it("1-D built-in: mse per unit count, and contributions.json whose bumps sum to the fit", () => {
    const out = join(tempDir(), "run");
    const r = nnzoo("train", "approx", "--target", "sin", "--units", "1,4", "--steps", "60", "--restarts", "2", "--points", "50", "--json", "--out", out);
    expect(r.status, r.stderr).toBe(0);
    const m = jsonLine(r).metrics;
    expect(Object.keys(m.mse)).toEqual(["1", "4"]);
    expect(m.mse["4"]).toBeGreaterThan(0);
    expect(m.inputs).toBe(1);
    expect(m.testPoints).toBe(1001);
    const doc = JSON.parse(readFileSync(join(out, "contributions.json"), "utf8"));
    expect(doc.nets.map((n: { units: number }) => n.units)).toEqual([1, 4]);
    const net = doc.nets[1];
    expect(net.hidden).toHaveLength(4);
    for (const j of [0, 57, 200]) {
      let sum = net.bias;
      for (let i = 0; i < 4; i++) sum += net.contributions[i * doc.n + j];
      expect(sum).toBeCloseTo(net.fit[j], 4);
      const u = net.hidden[2];
      expect(net.contributions[2 * doc.n + j]).toBeCloseTo(u.w * Math.tanh(u.a * doc.x[j] + u.b), 4);
    }
    // eval reproduces the score from the checkpoint.
    const ev = nnzoo("eval", "approx", "--from", out, "--json");
    expect(ev.status, ev.stderr).toBe(0);
    expect(jsonLine(ev).metrics.mse["4"]).toBeCloseTo(m.mse["4"], 10);
  });

  it("a 2-D expression and a points file", () => {
    const dir = tempDir();
    const r = nnzoo("train", "approx", "--fn", "x*y + 0.5*y", "--units", "2,3", "--steps", "30", "--points", "12", "--json", "--out", join(dir, "a"));
    expect(r.status, r.stderr).toBe(0);
    expect(jsonLine(r).metrics.inputs).toBe(2);
    expect(jsonLine(r).metrics.testPoints).toBe(101 * 101);
    const file = join(dir, "pts.csv");
    writeFileSync(file, "x,y\n" + Array.from({ length: 30 }, (_, i) => `${i},${Math.sin(i / 5) * 10}`).join("\n"));
    const p = nnzoo("train", "approx", "--data", file, "--units", "3", "--steps", "30", "--json", "--out", join(dir, "b"));
    expect(p.status, p.stderr).toBe(0);
    expect(jsonLine(p).metrics.testPoints).toBe(30);
    expect(existsSync(join(dir, "b", "contributions.json"))).toBe(true);
  });

  it("rejects unsafe or broken expressions with exit 2 (the parser's other errors are tested above)", () => {
    const dir = tempDir();
    const cases: Array<[string[], RegExp]> = [
      [["--fn", "process.exit(7)"], /expression "process.exit\(7\)"/],
      [["--fn", "log(x)"], /--fn "log\(x\)" is NaN at x = -1.000; it must be finite/],
    ];
    cases.forEach(([args, message], i) => {
      const r = nnzoo("train", "approx", ...args, "--steps", "5", "--out", join(dir, String(i)));
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
    });
  });
});
