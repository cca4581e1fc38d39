// Restarts over any strategy (src/drivers/restarts.ts) through minimize. The done-when figure
// (Rastrigin d = 10, 11 seeds, CSA-ES / XNES / RMES) is restarts-rastrigin.test.ts.
import { describe, expect, it } from "vitest";
import { minimize } from "../../src/drivers/minimize";
import { checkBipop, rastrigin, restartRuns, runLog } from "./rastrigin";

const box = (d: number) => ({ lower: new Array(d).fill(-5), upper: new Array(d).fill(5) });

describe("IPOP (fast version of the done-when figure): Rastrigin d = 5, seeds 1..3", () => {
  for (const method of ["csa", "xnes", "rmes"] as const) {
    it(`${method} reaches 1e-8 from uniform starts in [−5, 5]^5, with restarts`, () => {
      const r = restartRuns(method, "ipop", 5, 3, 3e5);
      for (const x of r.runs) {
        expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
        expect(x.stopReason).toBe("target");
      }
      expect(Math.max(...r.runs.map((x) => x.restarts))).toBeGreaterThan(0); // a single run does not do it
    });
  }
});

describe("BIPOP and PyPop7's rule on a problem that needs restarts (Rastrigin d = 5, 11 seeds)", () => {
  it("BIPOP over XNES solves every seed, with pycma's schedule of large and small runs", () => {
    const r = restartRuns("xnes", "bipop", 5, 11, 1e6);
    for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
    // most seeds need restarts (a lucky start may solve it in its first run)
    expect(r.runs.filter((x) => x.restarts > 0).length).toBeGreaterThanOrEqual(6);
    // the population sizes and budgets it ran follow pycma's rule, and both regimes ran
    const log = runLog();
    minimize(rastrigin, { method: "xnes", sigma: 2, seed: 2, target: 1e-8, maxEvaluations: 1e6, restarts: { kind: "bipop", maxRestarts: 30, ...box(5) }, onGeneration: log.onGeneration });
    const regimes = checkBipop(log.runs, 5, (ok, what) => expect(ok, what).toBe(true));
    expect(regimes).toContain("small");
    expect(regimes.filter((x) => x === "large").length).toBeGreaterThan(1);
  });

  it("PyPop7's rule over RMES solves every seed", () => {
    const r = restartRuns("rmes", "pypop7", 5, 11, 1e6);
    for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
    expect(Math.min(...r.runs.map((x) => x.restarts))).toBeGreaterThan(0);
  });
});

describe("PyPop7's rule over long runs", () => {
  it("fires at the generation the plain list L gives, with a window past the ring's first 1,024 entries", () => {
    // generation g's values are all 1/(g + 1) (onGeneration counts them): L[-stag] − L[-1] shrinks
    // as g grows, and the rule fires once it is below fitnessDiff. Replayed with PyPop7's list.
    const lambda = 4, stag = 1500, fd = 1.6e-4;
    const L = [Infinity];
    let fired = -1;
    for (let g = 0; fired < 0; g++) {
      L.push(Math.min(1 / (g + 1), L[L.length - 1]));
      if (L.length >= stag && L[L.length - stag] - L[L.length - 1] < fd) fired = g + 1; // generations run
    }
    expect(fired).toBeGreaterThan(2048); // the ring has grown twice
    let gen = 0;
    const r = minimize(() => 1 / (gen + 1), {
      method: "csa", mean: [0, 0], sigma: 1, seed: 1, popSize: lambda, tolFun: 0, tolX: 0, tolStagnation: 20_000,
      restarts: { kind: "pypop7", maxRestarts: 0, stagnation: stag, fitnessDiff: fd, sigmaThreshold: 0 }, onGeneration: () => { gen++; },
    });
    expect(r.restarts).toBe(0);
    expect(r.stopReasons).toEqual(["restart"]);
    expect(r.generations).toBe(fired);
  });
});

describe("budget, target and best over all restarts", () => {
  it("maxEvaluations counts over all restarts (at most one generation over, as without restarts)", () => {
    let calls = 0;
    const r = minimize((x) => { calls++; return rastrigin(x); }, { method: "csa", sigma: 2, seed: 3, maxEvaluations: 20_000, restarts: { kind: "ipop", ...box(10) } });
    expect(r.restarts).toBeGreaterThan(0);
    expect(r.evaluations).toBe(calls);
    expect(r.evaluations).toBeGreaterThanOrEqual(20_000);
    expect(r.evaluations).toBeLessThan(20_000 + 10 * 2 ** (r.restarts + 1));
    expect(r.stopReason).toBe("maxEvaluations");
    expect(r.history.bestF.length).toBe(r.generations);
    // the best over all runs
    expect(r.f).toBe(Math.min(...r.history.bestF));
    expect(rastrigin(r.x)).toBe(r.f);
  });

  it("the target counts over all restarts; the PyPop7 rule's mean evaluations count too", () => {
    const r = minimize(rastrigin, { method: "rmes", sigma: 2, seed: 1, target: 3, maxEvaluations: 1e5, restarts: { kind: "ipop", ...box(10) } });
    expect(r.stopReason).toBe("target");
    expect(r.f).toBeLessThanOrEqual(3);
    let calls = 0;
    const p = minimize((x) => { calls++; return rastrigin(x); }, { method: "rmes", sigma: 2, seed: 1, maxEvaluations: 5000, restarts: { kind: "pypop7", ...box(10) } });
    expect(p.evaluations).toBe(calls);
    expect(p.restarts).toBeGreaterThan(0);
  });

  it("maxRestarts; with a box every start (and the first, without a mean) is drawn in it; deterministic per seed", () => {
    // a flat fitness: each run ends on tolFun near its start (σ0 = 1e-6), so the points show the starts
    const pts: number[][] = [];
    const opts = { method: "csa" as const, sigma: 1e-6, seed: 7, restarts: { kind: "ipop" as const, maxRestarts: 3, lower: [10, 20], upper: [11, 21] } };
    const r = minimize((x) => { pts.push(Array.from(x)); return 1; }, opts);
    expect(r.restarts).toBe(3);
    expect(r.stopReasons).toContain("tolFun");
    for (const [a, b] of pts) {
      expect(a).toBeGreaterThan(10 - 1e-3); expect(a).toBeLessThan(11 + 1e-3);
      expect(b).toBeGreaterThan(20 - 1e-3); expect(b).toBeLessThan(21 + 1e-3);
    }
    const starts = new Set(pts.map(([a]) => a.toFixed(2)));
    expect(starts.size).toBe(4);
    const again: number[][] = [];
    minimize((x) => { again.push(Array.from(x)); return 1; }, opts);
    expect(again).toEqual(pts);
    // without a box, every run starts from the mean
    const m: number[][] = [];
    const r2 = minimize((x) => { m.push(Array.from(x)); return 1; }, { method: "csa", mean: [50, 50], sigma: 1e-6, seed: 7, restarts: { kind: "ipop", maxRestarts: 2 } });
    expect(r2.restarts).toBe(2);
    for (const [a, b] of m) { expect(Math.abs(a - 50)).toBeLessThan(1e-3); expect(Math.abs(b - 50)).toBeLessThan(1e-3); }
  });

  it("BIPOP: maxRestarts counts the large-population restarts only; the small ones come on top", () => {
    // a flat fitness: every run ends on tolFun after a few generations
    const log = runLog();
    const r = minimize(() => 1, {
      method: "cma", sigma: 1e-6, seed: 5, restarts: { kind: "bipop", maxRestarts: 3, lower: [0, 0, 0], upper: [1, 1, 1] },
      onGeneration: log.onGeneration,
    });
    const regimes = checkBipop(log.runs, 3, (ok, what) => expect(ok, what).toBe(true));
    // the first restart is large (the first run is booked on the small budget), λ = ⌊(4 + 3 ln 3) 2^k⌋
    expect(regimes[1]).toBe("large");
    expect(log.runs.filter((_, i) => i > 0 && regimes[i] === "large").map((x) => x.lambda)).toEqual([14, 29, 58]);
    expect(regimes).toContain("small");
    expect(r.restarts).toBe(log.runs.length - 1);
    // it ends with the last large run
    expect(regimes[regimes.length - 1]).toBe("large");
  });

  it("IPOP multiplies the unrounded default λ, 4 + 3 ln d (pycma's fmin): 10, 21, 43, … at d = 10; a given popSize as it is", () => {
    const sizes = (popSize?: number) => {
      const log = runLog();
      minimize(() => 1, { method: "cma", sigma: 1e-6, seed: 1, ...(popSize ? { popSize } : {}), restarts: { kind: "ipop", maxRestarts: 3, ...box(10) }, onGeneration: log.onGeneration });
      return log.runs.map((x) => x.lambda);
    };
    expect(sizes()).toEqual([10, 21, 43, 87]);
    expect(sizes(10)).toEqual([10, 20, 40, 80]);
  });

  it("clear errors", () => {
    const f = (x: Float64Array) => x[0];
    expect(() => minimize(f, { mean: [1], restarts: { kind: "nope" } as never })).toThrow(/restarts.kind/);
    expect(() => minimize(f, { mean: [1], restarts: {} as never })).toThrow(/kind.*required/);
    expect(() => minimize(f, { mean: [1], restarts: { kind: "ipop", lower: [0] } })).toThrow(/together/);
    expect(() => minimize(f, { mean: [1], restarts: { kind: "ipop", bogus: 1 } as never })).toThrow(/unknown option "bogus"/);
    expect(() => minimize(f, { restarts: { kind: "ipop" } } as never)).toThrow(/mean/);
    expect(() => minimize(f, { mean: [1, 2], restarts: { kind: "ipop", lower: [0], upper: [1] } })).toThrow(/length/);
  });
});
