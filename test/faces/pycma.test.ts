// evostrat/pycma: pycma's documented quick start, ask/tell with stop(), result, disp(), the options'
// names, defaults and errors, and fmin2 with IPOP and BIPOP on Rastrigin.
import { describe, expect, it } from "vitest";
import { CMAEvolutionStrategy, fmin2 } from "../../src/faces/pycma/index";
import { median } from "../helpers";
import { rastrigin, rosenbrock, sphere } from "../functions";

const quiet = { verbose: -9 };

describe("evostrat/pycma CMAEvolutionStrategy", () => {
  it("runs pycma's quick start: es = CMAEvolutionStrategy(8 * [0], 0.5); es.optimize(rosenbrock)", () => {
    const es = new CMAEvolutionStrategy(new Array(8).fill(0), 0.5, { seed: 1, ...quiet });
    expect(es.optimize(rosenbrock)).toBe(es);
    const r = es.result;
    expect(r.fbest).toBeLessThan(1e-10);
    expect(r.xbest!.every((v) => Math.abs(v - 1) < 1e-4)).toBe(true);
    expect(rosenbrock(r.xbest!)).toBe(r.fbest);
    expect(r.evaluations).toBe(r.iterations * es.popsize);
    expect(r.evals_best).toBeGreaterThan(0);
    expect(r.evals_best).toBeLessThanOrEqual(r.evaluations);
    expect(Object.keys(r.stop).length).toBeGreaterThan(0);
    expect(es.stop()).toEqual(r.stop);
    for (const k of Object.keys(r.stop)) expect(["tolfun", "tolx", "tolfunhist", "tolstagnation", "noeffectaxis", "noeffectcoord", "tolconditioncov"]).toContain(k);
    expect(r.stds.length).toBe(8);
    es.dispose();
  });

  it("ask/tell until stop() (null while running), with pycma's defaults", () => {
    const es = new CMAEvolutionStrategy([1, 2, 3, 4], 0.3, { seed: 2, ftarget: 1e-10, ...quiet });
    expect(es.popsize).toBe(8); // 4 + ⌊3 ln 4⌋
    expect(es.opts.tolx).toBe(1e-11);
    expect(es.opts.tolfun).toBe(1e-11);
    expect(es.opts.maxiter).toBe(100 + Math.floor((150 * 49) / Math.sqrt(8)));
    expect(es.opts.tolstagnation).toBe(Math.floor(100 + (100 * 4 ** 1.5) / 8));
    expect(es.stop()).toBeNull();
    while (!es.stop()) {
      const X = es.ask();
      es.tell(X, X.map(sphere));
    }
    expect(es.stop()).toEqual({ ftarget: 1e-10 });
    expect(es.result.fbest).toBeLessThanOrEqual(1e-10);
    es.dispose();
  });

  it("tell takes repaired solutions (pycma's tell(X, f) with X other than asked)", () => {
    const es = new CMAEvolutionStrategy(new Array(6).fill(3), 1, { seed: 3, ...quiet });
    let outside = 0;
    while (!es.stop() && es.countiter < 2000) {
      const X = es.ask().map((x) => x.map((v) => { if (v < -1 || v > 4) outside++; return Math.min(4, Math.max(-1, v)); }));
      es.tell(X, X.map(rosenbrock));
    }
    expect(outside).toBeGreaterThan(0);
    expect(es.result.fbest).toBeLessThan(1e-8);
    es.dispose();
  });

  it("disp() prints through the logger only when called; optimize prints with verbose ≥ 1", () => {
    const lines: string[] = [];
    const es = new CMAEvolutionStrategy([1, 1], 0.5, { seed: 1, verbose: -9, logger: (l) => lines.push(l) });
    es.optimize(sphere, 5);
    expect(lines).toEqual([]);
    expect(es.result.iterations).toBe(5);
    es.disp();
    expect(lines.length).toBe(2);
    expect(lines[0]).toMatch(/^Iterat #Fevals/);
    expect(lines[1]).toMatch(/^\s+5\s+30\s/);
    const loud: string[] = [];
    new CMAEvolutionStrategy([1, 1], 0.5, { seed: 1, verb_disp: 10, logger: (l) => loud.push(l) }).optimize(sphere, 20);
    expect(loud.length).toBe(1 + 3 + 2); // header, iterations 1-3, 10 and 20
  });

  it("names unknown or unsupported options, and checks values", () => {
    expect(() => new CMAEvolutionStrategy([1, 2], 0.5, { popsiz: 10 } as never)).toThrow(/unknown or unsupported pycma option "popsiz"/);
    expect(() => new CMAEvolutionStrategy([1, 2], 0.5, { CMA_elitist: true } as never)).toThrow(/"CMA_elitist"/);
    expect(() => new CMAEvolutionStrategy([1, 2], 0.5, { CMA_diagonal: true })).toThrow(/CMA_diagonal/);
    expect(() => new CMAEvolutionStrategy([1, 2], 0.5, { popsize: 1 })).toThrow(RangeError);
    expect(() => new CMAEvolutionStrategy([1, 2], 0)).toThrow(/sigma0/);
    expect(() => new CMAEvolutionStrategy([1, 2], 0.5, { tolx: "1e-11" } as never)).toThrow(TypeError);
    // pycma's None: the default
    expect(new CMAEvolutionStrategy([1, 2], 0.5, { popsize: null as never, ...quiet }).popsize).toBe(6);
    const es = new CMAEvolutionStrategy([1, 2], 0.5, { seed: 5, popsize: 12, maxfevals: 120, ...quiet }).optimize(sphere) as CMAEvolutionStrategy;
    expect(es.result.evaluations).toBe(120);
    expect(es.stop()).toHaveProperty("maxfevals", 120);
  });

  it("bounds: every evaluated point lies in the box (corner sphere, pycma's BoundTransform)", () => {
    const d = 10, c = Array.from({ length: d }, (_, i) => (i % 2 ? 4.5 : -4.5));
    const es = new CMAEvolutionStrategy(new Array(d).fill(0), 2, { seed: 1, bounds: [-4, 4], ftarget: d / 4 + 1e-8, ...quiet });
    es.optimize((x) => { for (const v of x) expect(Math.abs(v)).toBeLessThanOrEqual(4); return x.reduce((s, v, i) => s + (v - c[i]) ** 2, 0); });
    expect(es.result.fbest - d / 4).toBeLessThan(1e-8);
  });

  it("bounds with null entries are unbounded there; [null, null] is no box", () => {
    expect(new CMAEvolutionStrategy([0, 0], 1, { bounds: [null, null], ...quiet }).popsize).toBe(6);
    const es = new CMAEvolutionStrategy([0, 0], 1, { seed: 2, bounds: [[1, null], null], maxfevals: 600, ...quiet });
    es.optimize((x) => { expect(x[0]).toBeGreaterThanOrEqual(1); return sphere(x); });
    expect(es.result.xbest![0]).toBeCloseTo(1, 6);
  });
});

describe("evostrat/pycma fmin2", () => {
  const draw = (seed: number) => {
    // the user's x0 callable (pycma's fmin2 takes one): its own generator, uniform in [-5, 5]^10
    let s = seed * 2654435761;
    return () => Array.from({ length: 10 }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 10 - 5);
  };

  it("IPOP (restarts = 9, incpopsize = 2) solves Rastrigin d = 10 from uniform starts (5 seeds)", () => {
    const rs = [1, 2, 3, 4, 5].map((seed) => fmin2(rastrigin, draw(seed), 2, { seed, ftarget: 1e-8, maxfevals: 1e6, ...quiet }, { restarts: 9, incpopsize: 2 }) as [Float64Array, CMAEvolutionStrategy]);
    for (const [x, es] of rs) {
      expect(rastrigin(x)).toBeLessThan(1e-8);
      expect(es.result.fbest).toBe(rastrigin(x));
      expect(es.result.stop).toHaveProperty("ftarget");
    }
    expect(median(rs.map(([, es]) => es.result.evaluations))).toBeLessThan(1.25 * 85_045);
  });

  it("BIPOP (bipop = true) solves Rastrigin d = 10 (5 seeds)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const [x, es] = fmin2(rastrigin, draw(seed), 2, { seed, ftarget: 1e-8, maxfevals: 1e6, ...quiet }, { restarts: 9, bipop: true }) as [Float64Array, CMAEvolutionStrategy];
      expect(rastrigin(x)).toBeLessThan(1e-8);
      expect(es.result.evaluations).toBeLessThan(1e6);
      expect(() => es.ask()).toThrow(/finished/);
    }
  });

  it("without restarts is one run; an async objective gives a Promise", async () => {
    const [x, es] = fmin2(sphere, [1, 2, 3], 0.5, { seed: 1, ...quiet }) as [Float64Array, CMAEvolutionStrategy];
    expect(sphere(x)).toBeLessThan(1e-12);
    expect(Object.keys(es.result.stop).length).toBeGreaterThan(0);
    const p = fmin2(async (v) => sphere(v), [1, 2, 3], 0.5, { seed: 1, ...quiet });
    expect(p).toBeInstanceOf(Promise);
    const [x2, es2] = await p;
    expect(Array.from(x2!)).toEqual(Array.from(x));
    expect(es2.result.evaluations).toBe(es.result.evaluations);
    expect(() => fmin2(sphere, [1], 1, {}, { restart: 2 } as never)).toThrow(/restart/);
  });
});
