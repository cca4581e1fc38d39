/**
 * The runtime ECDFs' simulated restarts (src/bbob/report.ts), on hand-made runs whose bootstrapped
 * distribution is known: a run that reaches the target at 10 evaluations and one that misses it after
 * 100 give 10 for the half of the samples that start with the first, and 100·k + 10 with probability
 * 2^−k (k ≥ 1) for the other half; the mean is the ERT, (10 + 100) / 1 = 110.
 */
import { describe, expect, it } from "vitest";
import { ecdf, ecdfSvg, ert, seededUniform, simulatedRuntimes } from "../../src/bbob/report.js";
import { TARGETS, type RunRecord } from "../../src/bbob/runner.js";

const mean = (v: Float64Array) => v.reduce((s, x) => s + x, 0) / v.length;

/** A record of one run on f1 whose hits are `hit` for every target. */
function rec(instance: number, hit: number, evaluations: number, fid = 1, d = 2): RunRecord {
  return { strategy: "s", suite: "bbob", fid, instance, d, id: "", budget: 50, evaluations, best: 0, hits: TARGETS.map(() => hit), restarts: 0, seconds: 0, coco: { dat: "", tdat: "", rdat: "", mdat: "" } };
}

describe("evostrat/bbob: bootstrapped runtimes (simulated restarts)", () => {
  it("gives the known distribution on one success and one failure", () => {
    const n = 20000;
    const t = simulatedRuntimes([{ hit: 10, evaluations: 10 }, { hit: -1, evaluations: 100 }], n, seededUniform(7));
    const count = (v: number) => t.filter((x) => x === v).length;
    // each run starts exactly n/2 samples (a permutation per pair of samples)
    expect(count(10)).toBe(n / 2);
    for (const x of t) expect((x - 10) % 100).toBe(0);
    // the other half: k further draws with probability 2^−k
    expect(Math.abs(count(110) / (n / 2) - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(count(210) / (n / 2) - 0.25)).toBeLessThan(0.02);
    expect(Math.abs(count(310) / (n / 2) - 0.125)).toBeLessThan(0.015);
    expect(Math.abs(mean(t) - 110)).toBeLessThan(3);
  });

  it("has the ERT as its mean, and is seeded", () => {
    const runs = [rec(1, 50, 60), rec(2, -1, 1000), rec(3, 200, 210)];
    const e = ert(runs).ert; // (50 + 1000 + 200) / 2
    expect(e).toBe(625);
    const t = simulatedRuntimes(runs.map((r) => ({ hit: r.hits[0], evaluations: r.evaluations })), 30000, seededUniform(1));
    expect(Math.abs(mean(t) - e) / e).toBeLessThan(0.02);
    const again = simulatedRuntimes(runs.map((r) => ({ hit: r.hits[0], evaluations: r.evaluations })), 30000, seededUniform(1));
    expect(again).toEqual(t);
  });

  it("never solves a target that no run reached, and draws each success equally often when all succeed", () => {
    expect([...simulatedRuntimes([{ hit: -1, evaluations: 5 }, { hit: -1, evaluations: 9 }], 4, seededUniform(1))]).toEqual([Infinity, Infinity, Infinity, Infinity]);
    const t = [...simulatedRuntimes([{ hit: 3, evaluations: 3 }, { hit: 8, evaluations: 8 }, { hit: 5, evaluations: 5 }], 300, seededUniform(3))];
    expect([3, 5, 8].map((v) => t.filter((x) => x === v).length)).toEqual([100, 100, 100]);
  });

  it("makes the ECDF over (function, target) pairs: exact up to the budget, past it the simulated restarts", () => {
    // f1: a success at 10 and a failure after 100 (d = 2); f2: two failures
    const runs = [rec(1, 10, 10), rec(2, -1, 100), rec(1, -1, 100, 2), rec(2, -1, 100, 2)];
    const c = ecdf(runs, { samples: 2000 });
    const at = (x: number) => {
      let y = 0;
      for (let i = 0; i < c.x.length && c.x[i] <= x + 1e-12; i++) y = c.y[i];
      return y;
    };
    expect(c.maxX).toBeCloseTo(Math.log10(50), 12);
    // f1's 51 targets of the 102 pairs: half its samples at 10 evaluations (log10(10/2)), the other half at 110, 210, …
    expect(at(Math.log10(5))).toBeCloseTo(0.25, 9);
    expect(c.reached).toBeCloseTo(0.25, 9);
    expect(Math.abs(at(Math.log10(55)) - 0.375)).toBeLessThan(0.01);
    expect(c.y[c.y.length - 1]).toBeCloseTo(0.5, 9); // f2 is never solved
    // seeded: the same figure at every call, another seed another sample
    expect(ecdf(runs, { samples: 2000 })).toEqual(c);
    expect(ecdf(runs, { samples: 2000, seed: 2 }).x).not.toEqual(c.x);
    expect(() => ecdf(runs, { samples: 0 })).toThrow(RangeError);
    // the figure: a line and a × per strategy, two decades past the budget
    const svg = ecdfSvg(runs, "t");
    expect(svg.match(/<path /g)).toHaveLength(2);
    expect(svg).toContain(">4</text>"); // x axis to ⌈log10(50)⌉ + 2
  });
});
