// Heavy sep-CMA-ES and LM-MA-ES runs (npm run test:slow): d = 1000 against pycma's and PyPop7's medians,
// LM-MA-ES on the ellipsoid at d = 100 for 1e6 evaluations against PyPop7's best f, and d = 1e6 runs
// within a fixed block of memory. Reference figures: test/vectors/large.json (with their provenance).
import { describe, expect, it } from "vitest";
import { SepCMAES } from "../../src/strategies/sepcma";
import { LMMAES } from "../../src/strategies/lmmaes";
import { median } from "../helpers";
import large from "../vectors/large.json";

const pycma = large.pycma_sepcma_csa_sigma1;
const pypop = large["pypop7_large_scale_sigma0.1"];
const coefficients = (name: string, d: number) => new Float64Array(d).map((_, i) => (name === "sphere" ? 1 : 10 ** ((6 * i) / (d - 1))));

function solve(o: SepCMAES | LMMAES, coef: Float64Array, budget: number) {
  const d = coef.length, fit = new Float64Array(o.popSize);
  while (o.evaluations < budget && o.best.f >= 1e-8) {
    const p = o.ask();
    for (let k = 0; k < p.count; k++) { const r = p.row(k); let s = 0; for (let i = 0; i < d; i++) s += coef[i] * r[i] * r[i]; fit[k] = s; }
    o.tell(fit);
  }
  const r = { evals: o.evaluations, f: o.best.f };
  o.dispose();
  return r;
}

describe("SepCMAES, slow", () => {
  for (const fn of ["sphere", "ellipsoid"]) {
    const ref = (pycma as unknown as Record<string, { median_evaluations: number }>)[`${fn}-1000`].median_evaluations;
    it(`${fn} d = 1000 from 3·1, σ0 = 1, 11 seeds: median within 1.1× pycma's (CSA) ${ref}`, () => {
      const coef = coefficients(fn, 1000);
      const rs = Array.from({ length: 11 }, (_, i) => solve(new SepCMAES({ mean: new Array(1000).fill(3), sigma: 1, seed: i + 1 }), coef, 10 * ref));
      expect(rs.every((r) => r.f < 1e-8)).toBe(true);
      expect(median(rs.map((r) => r.evals))).toBeLessThan(1.1 * ref);
    }, 1_200_000);
  }
});

describe("LMMAES, slow", () => {
  it(`sphere d = 1000 from 3·1, σ0 = 0.1: every seed reaches 1e-8, median within 1.2× PyPop7's ${pypop["lmmaes-sphere-1000"].median_evaluations}`, () => {
    const ref = pypop["lmmaes-sphere-1000"].median_evaluations, coef = coefficients("sphere", 1000);
    const rs = Array.from({ length: 11 }, (_, i) => solve(new LMMAES({ mean: new Array(1000).fill(3), sigma: 0.1, seed: i + 1 }), coef, 1e7));
    expect(rs.every((r) => r.f < 1e-8)).toBe(true);
    expect(median(rs.map((r) => r.evals))).toBeLessThan(1.2 * ref);
  }, 1_200_000);

  it("ellipsoid d = 100, σ0 = 0.1, 1e6 evaluations, 3 seeds: best f no worse than PyPop7's (median 7.4e-3, worst 1.3e-2)", () => {
    const ref = pypop["lmmaes-ellipsoid-100"], coef = coefficients("ellipsoid", 100);
    const rs = Array.from({ length: 3 }, (_, i) => solve(new LMMAES({ mean: new Array(100).fill(3), sigma: 0.1, seed: i + 1 }), coef, ref.budget));
    expect(median(rs.map((r) => r.f))).toBeLessThanOrEqual(ref.median_best_f);
    expect(Math.max(...rs.map((r) => r.f))).toBeLessThanOrEqual(ref.best_f_range[1]);
  }, 1_200_000);
});

describe("d = 1e6, λ = 45: 30 generations in one fixed block of memory", () => {
  for (const [name, make, maxMB] of [
    ["SepCMAES", (d: number) => new SepCMAES({ mean: new Float64Array(d).fill(1), sigma: 0.01, seed: 1, popSize: 45 }), 450],
    ["LMMAES", (d: number) => new LMMAES({ mean: new Float64Array(d).fill(1), sigma: 0.01, seed: 1, popSize: 45 }), 800],
  ] as const) {
    it(`${name} (< ${maxMB} MB of wasm memory)`, () => {
      const d = 1_000_000, o = make(d);
      // deno-lint-ignore no-explicit-any
      const mem = (o as any).core.x.memory as WebAssembly.Memory;
      const buf = mem.buffer, f = new Float64Array(45);
      let first = NaN;
      for (let g = 0; g < 30; g++) {
        const p = o.ask();
        for (let k = 0; k < 45; k++) { const r = p.row(k); f[k] = r[0] ** 2 + r[d - 1] ** 2 + r[d >> 1] ** 2; }
        o.tell(f);
        if (g === 0) first = o.best.f;
      }
      expect(mem.buffer).toBe(buf);
      expect(mem.buffer.byteLength).toBeLessThan(maxMB * 2 ** 20);
      expect(o.best.f).toBeLessThan(3);
      expect(o.best.f).toBeLessThan(first);
      expect(Number.isFinite(o.sigma) && o.sigma > 0).toBe(true);
      o.dispose();
    }, 1_200_000);
  }
});
