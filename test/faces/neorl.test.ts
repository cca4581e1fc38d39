// evostrat/neorl: NEORL's XNES interface (src/neorl.ts).
import { describe, expect, test } from "vitest";
import { XNES, type EvoluteResult } from "../../src/neorl";

const sphere = (x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };
const bounds5 = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`x${i + 1}`, ["float", -100, 100]])) as Record<string, ["float", number, number]>;
const fixture = new URL("../fixtures/neorl-fit.mjs", import.meta.url).href;

describe("NEORL's documentation example", () => {
  // neorl docs, XNES page: sphere d = 5, bounds ±100, npop 50, eta_mu 0.9, eta_sigma 0.25,
  // adapt_sampling true, seed 1, 100 generations, x0 = 25·1. A numpy XNES of this definition (η_σ fixed
  // at 0.25, no adaptation sampling) reaches about 1e-5 (issue 3). Measured here: see the log line.
  test("reaches y < 1e-4", () => {
    const xnes = new XNES({ mode: "min", bounds: bounds5, fit: sphere, npop: 50, eta_mu: 0.9, eta_sigma: 0.25, adapt_sampling: true, seed: 1 });
    const [x, y, h] = xnes.evolute(100, new Array(5).fill(25));
    console.log(`NEORL doc example: y = ${y.toExponential(3)}, final eta_sigma = ${h.eta_sigma.at(-1)}`);
    expect(y).toBeLessThan(1e-4); // the bar
    expect(y).toBeLessThan(1e-15); // and a regression bound: measured 1.3e-19
    expect(sphere(Float64Array.from(x))).toBe(y);
    expect(h.fitness.length).toBe(100);
    expect(h.sigma.length).toBe(100);
    expect(h.eta_sigma.length).toBe(100);
    expect(new Set(h.eta_sigma).size).toBeGreaterThan(1); // adaptation sampling ran
    expect(h.last_pop.length).toBe(50);
  });
});

describe("the same definition without adaptation sampling", () => {
  test("η_σ fixed at 0.25: the reference numpy XNES reaches about 1e-5; so should we (median within 3×)", () => {
    const ys = [1, 2, 3, 4, 5].map((seed) => {
      const xnes = new XNES({ mode: "min", bounds: bounds5, fit: sphere, npop: 50, eta_mu: 0.9, eta_sigma: 0.25, seed });
      return xnes.evolute(100, new Array(5).fill(25))[1];
    });
    const sorted = [...ys].sort((a, b) => a - b);
    console.log(`doc example without adapt_sampling, seeds 1..5: ${ys.map((v) => v.toExponential(2)).join(", ")}`);
    // measured median 8.9e-6 (seeds 1..5: 6e-6 to 1.9e-5)
    expect(sorted[2]).toBeLessThan(3e-5);
    expect(sorted[2]).toBeGreaterThan(1e-7);
  });
});

describe("interface", () => {
  test("mode 'max' maximises: the same run as 'min' on −f, bit for bit", () => {
    const a = new XNES({ mode: "min", bounds: bounds5, fit: sphere, seed: 3 }).evolute(30, [1, 2, 3, 4, 5]);
    const b = new XNES({ mode: "max", bounds: bounds5, fit: (x) => -sphere(x), seed: 3 }).evolute(30, [1, 2, 3, 4, 5]);
    expect(b[0]).toEqual(a[0]);
    expect(b[1]).toBe(-a[1]);
    expect(b[2].fitness).toEqual(a[2].fitness.map((v) => -v));
    expect(b[2].sigma).toEqual(a[2].sigma);
    // last_pop: worst first in the user's sign
    const fa = a[2].last_pop.map((r) => r.fitness), fb = b[2].last_pop.map((r) => r.fitness);
    expect(fa).toEqual([...fa].sort((p, q) => q - p));
    expect(fb).toEqual([...fb].sort((p, q) => p - q));
    expect(Object.keys(a[2].last_pop[0])).toEqual(["var1", "var2", "var3", "var4", "var5", "fitness"]);
    // history.fitness is the best so far
    for (let i = 1; i < 30; i++) expect(a[2].fitness[i]).toBeLessThanOrEqual(a[2].fitness[i - 1]);
  });

  test("samples are clipped to the bounds and int variables rounded before evaluation", () => {
    const seen: number[][] = [];
    const bounds = { a: ["float", -1, 2], n: ["int", -3, 4], b: ["float", 0.5, 0.75] } as const;
    const x = new XNES({ mode: "min", bounds: bounds as never, fit: (x) => { seen.push([...x]); return (x[0] - 5) ** 2 + (x[1] - 0.4) ** 2 + x[2]; }, seed: 2, A: [[3, 0, 0], [0, 3, 0], [0, 0, 3]] });
    const [xb, yb, h] = x.evolute(20);
    expect(seen.length).toBe(20 * x.npop);
    for (const p of seen) {
      expect(p[0]).toBeGreaterThanOrEqual(-1); expect(p[0]).toBeLessThanOrEqual(2);
      expect(Number.isInteger(p[1])).toBe(true); expect(p[1]).toBeGreaterThanOrEqual(-3); expect(p[1]).toBeLessThanOrEqual(4);
      expect(p[2]).toBeGreaterThanOrEqual(0.5); expect(p[2]).toBeLessThanOrEqual(0.75);
    }
    expect(xb).toEqual([2, 0, 0.5]); // the clipped optimum
    expect(yb).toBeCloseTo(9 + 0.16 + 0.5, 12);
    for (const r of h.last_pop) expect(Number.isInteger(r.var2)).toBe(true);
    expect(x.core.sigma).toBeGreaterThan(0);
  });

  test("A sets σ0 = |det A|^(1/d); no x0 draws the mean in the bounds (ints as integers)", () => {
    const bounds = { a: ["float", 10, 11], n: ["int", 0, 2] } as const;
    const x = new XNES({ mode: "min", bounds: bounds as never, fit: () => 0, A: [[0.1, 0], [0, 0.1]], seed: 8 });
    expect(x.core.sigma).toBeCloseTo(0.1, 15);
    const means: number[][] = [];
    for (let i = 0; i < 20; i++) {
      const x2 = new XNES({ mode: "min", bounds: bounds as never, fit: () => 0, seed: i, eta_mu: 1e-9 });
      x2.evolute(0);
      means.push([...x2.core.mean]);
    }
    for (const [a, n] of means) { expect(a).toBeGreaterThanOrEqual(10); expect(a).toBeLessThan(11); expect([0, 1, 2]).toContain(n); }
    expect(new Set(means.map((m) => m[1])).size).toBe(3);
  });

  test("evolute again keeps σ, B and the best so far; the mean restarts from x0", () => {
    const x = new XNES({ mode: "min", bounds: bounds5, fit: sphere, seed: 4 });
    const [, y1, h1] = x.evolute(40, [5, 5, 5, 5, 5]);
    const s1 = x.core.sigma;
    const [, y2, h2] = x.evolute(1, new Float64Array([90, 90, 90, 90, 90]));
    expect(y2).toBe(y1); // nothing near 90 beats it
    expect(h2.fitness).toEqual([y1]);
    expect(h2.sigma[0] / s1).toBeGreaterThan(0.5);
    expect(h1.sigma.at(-1)).toBe(s1);
  });

  test("a fitness that throws does not wedge the optimizer: the next evolute goes on", () => {
    let calls = 0;
    const flaky = (x: Float64Array) => { if (++calls === 3) throw new Error("simulation crashed"); return sphere(x); };
    const x = new XNES({ mode: "min", bounds: bounds5, fit: flaky, seed: 6 });
    expect(() => x.evolute(10, [5, 5, 5, 5, 5])).toThrow("simulation crashed");
    const [, y, h] = x.evolute(150, [5, 5, 5, 5, 5]);
    expect(h.fitness.length).toBe(150);
    expect(y).toBeLessThan(1e-4); // from f(x0) = 125
    expect(x.core.sigma).toBeGreaterThan(0);
    expect(x.core.B.every(Number.isFinite)).toBe(true);
  });

  test("verbose: NEORL-like lines through a replaceable logger, nothing on the console", () => {
    const lines: string[] = [];
    const orig = console.log;
    let consoleCalls = 0;
    console.log = () => { consoleCalls++; };
    try {
      new XNES({ mode: "min", bounds: bounds5, fit: sphere, seed: 1, npop: 8, logger: (l) => lines.push(l) }).evolute(3, [1, 1, 1, 1, 1], true);
      new XNES({ mode: "min", bounds: bounds5, fit: sphere, seed: 1 }).evolute(3, [1, 1, 1, 1, 1]);
    } finally {
      console.log = orig;
    }
    expect(consoleCalls).toBe(0);
    expect(lines[0]).toBe("^".repeat(96));
    expect(lines[1]).toMatch(/^XNES step 8\/24, NPOP=8, ETA_MU=1, ETA_SIGMA=0\.25, ETA_BMAT=0\.25, Ncores=1$/);
    expect(lines.filter((l) => l.startsWith("Best XNES Fitness: ")).length).toBe(3);
    expect(lines.some((l) => l.startsWith("MU: ["))).toBe(true);
    expect(lines.some((l) => l.startsWith("Sigma: "))).toBe(true);
    expect(lines.some((l) => l.startsWith("BMAT: [["))).toBe(true);
    expect(lines).toContain("------------------------ XNES Summary --------------------------");
    expect(lines.some((l) => l.startsWith("Best fitness (y) found: "))).toBe(true);
  });

  test("clear errors: mode, bounds ('grid'), fit, ncores with a function, x0", () => {
    const ok = { mode: "min", bounds: bounds5, fit: sphere } as const;
    expect(() => new XNES({ ...ok, mode: "minimize" as never })).toThrow(/option "mode" must be one of 'min', 'max'/);
    expect(() => new XNES({ ...ok, mode: undefined as never })).toThrow(/mode/);
    expect(() => new XNES({ ...ok, bounds: { a: ["grid", [1, 2, 3]] } as never })).toThrow(/'grid'.*continuous/);
    expect(() => new XNES({ ...ok, bounds: { a: ["float", 2, 1] } as never })).toThrow(RangeError);
    expect(() => new XNES({ ...ok, bounds: { a: ["int", 0.5, 3] } as never })).toThrow(/integer/);
    expect(() => new XNES({ ...ok, bounds: {} })).toThrow(/at least one/);
    expect(() => new XNES({ ...ok, fit: 3 as never })).toThrow(TypeError);
    expect(() => new XNES({ ...ok, ncores: 2 })).toThrow(/functions cannot be sent between threads/);
    expect(() => new XNES({ ...ok, ncores: 0 })).toThrow(/ncores/);
    expect(() => new XNES({ ...ok, npop: 1 })).toThrow(/npop/);
    expect(() => new XNES({ ...ok, etaMu: 1 } as never)).toThrow(/unknown option "etaMu"/);
    const x = new XNES(ok);
    expect(() => x.evolute(3, [1, 2])).toThrow(/x0.*length 5/);
    expect(() => x.evolute(1.5)).toThrow(/ngen/);
    expect(() => new XNES({ ...ok, fit: () => "1" as never }).evolute(1)).toThrow(/must return a number/);
  });
});

describe("async and parallel evaluation", () => {
  const opts = { mode: "min", bounds: bounds5, npop: 12, seed: 6 } as const;
  const x0 = [3, -2, 1, 4, 0.5];
  const ref = new XNES({ ...opts, fit: sphere }).evolute(15, x0);

  test("a fitness that returns a Promise: evolute returns a Promise of the same result", async () => {
    const r = new XNES({ ...opts, fit: async (x: Float64Array) => sphere(x) }).evolute(15, x0);
    expect(r).toBeInstanceOf(Promise);
    expect(await r).toEqual(ref);
  });

  test("a fitness module in this thread (ncores = 1)", async () => {
    const r: EvoluteResult = await new XNES({ ...opts, fit: { module: fixture, name: "sphere" } }).evolute(15, x0);
    expect(r).toEqual(ref);
  });

  test("ncores = 2 on worker threads (workerpool): the same result; async exports are awaited", async () => {
    const r = await new XNES({ ...opts, ncores: 2, fit: { module: fixture, name: "sphere" } }).evolute(15, x0);
    expect(r).toEqual(ref);
    const r2 = await new XNES({ ...opts, ncores: 2, fit: { module: fixture, name: "sphereAsync" } }).evolute(15, x0);
    expect(r2).toEqual(ref);
    await expect(new XNES({ ...opts, ncores: 2, fit: { module: fixture, name: "nope" } }).evolute(2, x0)).rejects.toThrow(/no function export "nope"/);
  });
});
