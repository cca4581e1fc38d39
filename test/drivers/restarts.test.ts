// Restarts over any strategy (src/drivers/restarts.ts) through minimize. The done-when figure
// (Rastrigin d = 10, 11 seeds, CSA-ES / XNES / RMES) is restarts-rastrigin.test.ts.
import { describe, expect, it } from "vitest";
import { minimize } from "../../src/drivers/minimize";
import { rastrigin, restartRuns } from "./rastrigin";

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
  it("BIPOP over XNES solves every seed and uses both regimes", () => {
    const regimes = new Set<number>();
    const r = restartRuns("xnes", "bipop", 5, 11, 1e6);
    for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
    // most seeds need restarts (a lucky start may solve it in its first run)
    expect(r.runs.filter((x) => x.restarts > 0).length).toBeGreaterThanOrEqual(6);
    // the population sizes it ran: the default, larger ones (large regime) and smaller ones (small regime)
    minimize(rastrigin, {
      method: "xnes", sigma: 2, seed: 2, target: 1e-8, maxEvaluations: 1e6, restarts: { kind: "bipop", maxRestarts: 30, ...box(5) },
      onGeneration: (i) => { if (i.generation === 1) regimes.add(i.evaluations); },
    });
    const lambda0 = 4 + Math.floor(3 * Math.log(5));
    expect([...regimes].some((n) => n > lambda0)).toBe(true);
    expect([...regimes].some((n) => n < lambda0)).toBe(true);
  });

  it("PyPop7's rule over RMES solves every seed", () => {
    const r = restartRuns("rmes", "pypop7", 5, 11, 1e6);
    for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
    expect(Math.min(...r.runs.map((x) => x.restarts))).toBeGreaterThan(0);
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
    // a flat fitness: every run ends on tolFun after a few generations; a run's λ is its first generation's size
    const sizes: number[] = [];
    const r = minimize(() => 1, {
      method: "cma", sigma: 1e-6, seed: 5, restarts: { kind: "bipop", maxRestarts: 3, lower: [0, 0, 0], upper: [1, 1, 1] },
      onGeneration: (i) => { if (i.generation === 1) sizes.push(i.evaluations); },
    });
    const lambda0 = 4 + Math.floor(3 * Math.log(3));
    expect(sizes[0]).toBe(lambda0);
    // large runs have λ0·2^k; a small run's λ is ⌊λ0 (½ λ_l/λ0)^(U²)⌋, up to λ_l/2 (none of this seed's is a power-of-2 multiple)
    const large = sizes.slice(1).filter((n) => n > lambda0 && Number.isInteger(Math.log2(n / lambda0)));
    expect(large).toEqual([2 * lambda0, 4 * lambda0, 8 * lambda0]);
    expect(sizes.length - 1 - large.length).toBeGreaterThan(0); // small runs ran too
    expect(r.restarts).toBe(sizes.length - 1);
    // it ends with the last large run
    expect(sizes[sizes.length - 1]).toBe(8 * lambda0);
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
