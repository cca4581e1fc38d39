// XNES (src/strategies/xnes.ts, assembly/strategies/xnes.ts): convergence budgets, the low-rank
// matrix exponential against a dense reference, invariants, adaptation sampling against explicit
// Gaussian densities, and option checks.
import { describe, expect, test } from "vitest";
import * as abi from "../../assembly/abi";
import { XNES, type XNESOptions } from "../../src/strategies/xnes";
import { median } from "../helpers";
import { denseExpm, matmul, relErr } from "./xnes-ref";
import { numpy_xnes as numpy } from "../vectors/convergence.json";

const sphere = (x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };
const ellipsoid = (x: Float64Array) => {
  const d = x.length; let s = 0;
  for (let i = 0; i < d; i++) s += Math.pow(1e6, i / (d - 1)) * x[i] * x[i];
  return s;
};
const rosenbrock = (x: Float64Array) => {
  let s = 0;
  for (let i = 0; i < x.length - 1; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

/** Evaluations until best f < target, or Infinity after `budget`. */
function evalsTo(f: (x: Float64Array) => number, opts: XNESOptions, target: number, budget: number): number {
  const o = new XNES(opts);
  const fit = new Float64Array(o.popSize);
  try {
    while (o.evaluations < budget) {
      const p = o.ask();
      for (let i = 0; i < o.popSize; i++) fit[i] = f(p.row(i));
      o.tell(fit);
      if (o.best.f < target) return o.evaluations;
    }
    return Infinity;
  } finally {
    o.dispose();
  }
}

// internals, for white-box checks
// deno-lint-ignore no-explicit-any
const core = (o: XNES) => (o as any).core as { x: Record<string, any>; f64(p: number, n: number): Float64Array };

class DenseXNES extends XNES {
  protected override corePath(): number { return 0; }
}
class LowRankXNES extends XNES {
  protected override corePath(): number { return 1; }
}

/** expm(η_B/2 · G_B) of the last tell as the core formed it: e^{−αc}(I + Qᵀ E Q) (low rank), or the dense expm. */
function expmLast(o: XNES): Float64Array {
  const c = core(o), d = o.dimension, lam = o.popSize;
  const S = c.f64(c.x.xnes_ptr(abi.SLOT_SCALARS), abi.SC_FIRST + 6);
  if (S[abi.XNES_SC_LOWRANK] === 0) return c.f64(c.x.xnes_ptr(abi.XNES_EXPM), d * d).slice();
  const Qt = c.f64(c.x.xnes_ptr(abi.XNES_QT), lam * d), E = c.f64(c.x.xnes_ptr(abi.XNES_EXPM), lam * lam);
  const s = Math.exp(-0.5 * o.params.etaB * S[abi.XNES_SC_C]);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) {
      let acc = 0;
      for (let a = 0; a < lam; a++) for (let b = 0; b < lam; b++) acc += Qt[a * d + i] * E[a * lam + b] * Qt[b * d + j];
      out[i * d + j] = s * (acc + (i === j ? 1 : 0));
    }
  return out;
}

describe("XNES convergence (d = 10, mean 3·1, σ0 = 1, 11 seeds, evaluations to f < 1e-8)", () => {
  // Reference medians: a numpy XNES of exactly this definition (x = μ + σBz, NEORL/PyPop7 defaults,
  // utilities by rank, B ← B expm(η_B/2 G_B)), 11 seeds; from issue 3. The bound is 1.25× of them.
  // They and PyPop7's figures (with its restarts, 5 seeds: 6,020, 14,926 and 10,662) are in
  // test/vectors/convergence.json with their provenance. Measured here (2026-11, seeds 1..11): 6,120, 8,880 and 10,600.
  const cases = [
    ["sphere", sphere, numpy["sphere-10"].evals_median],
    ["ellipsoid 1e6", ellipsoid, numpy["ellipsoid-10"].evals_median],
    ["rosenbrock", rosenbrock, numpy["rosenbrock-10"].evals_median],
  ] as const;
  for (const [name, f, ref] of cases) {
    test(`${name}: median ≤ 1.25 × ${ref}`, () => {
      const evals = Array.from({ length: 11 }, (_, s) => evalsTo(f, { mean: new Array(10).fill(3), sigma: 1, seed: s + 1 }, 1e-8, 100_000));
      expect(evals.every(Number.isFinite)).toBe(true);
      expect(median(evals)).toBeLessThanOrEqual(1.25 * ref);
    });
  }
});

describe("low-rank expm", () => {
  // After a tell, rebuild G_B = Zᵀ diag(u) Z − c I from the core's Z, u and c, exponentiate it densely
  // (Taylor with scaling and squaring, test/xnes-ref.ts), and compare with what the core used.
  function check(d: number, etaB: number, Cls: typeof XNES = XNES) {
    const o = new Cls({ mean: new Array(d).fill(1), sigma: 0.5, seed: 7, etaB });
    const lam = o.popSize;
    const c = core(o);
    const fit = new Float64Array(lam);
    let worst = 0, worstB = 0;
    for (let g = 0; g < 3; g++) {
      const p = o.ask();
      for (let i = 0; i < lam; i++) fit[i] = ellipsoid(p.row(i));
      const Bold = o.B;
      o.tell(fit);
      const Z = c.f64(c.x.xnes_ptr(abi.XNES_Z), lam * d), u = c.f64(c.x.xnes_ptr(abi.XNES_UK), lam);
      const cc = c.f64(c.x.xnes_ptr(abi.SLOT_SCALARS), abi.SC_FIRST + 6)[abi.XNES_SC_C];
      const G = new Float64Array(d * d);
      for (let k = 0; k < lam; k++)
        for (let a = 0; a < d; a++) {
          const za = u[k] * Z[k * d + a];
          for (let b = 0; b < d; b++) G[a * d + b] += za * Z[k * d + b];
        }
      for (let a = 0; a < d; a++) G[a * d + a] -= cc;
      const ref = denseExpm(G.map((v) => 0.5 * etaB * v), d);
      worst = Math.max(worst, relErr(expmLast(o), ref));
      worstB = Math.max(worstB, relErr(o.B, matmul(Bold, ref, d)));
      // the exponential is far from I, so the check has teeth
      expect(relErr(ref, Float64Array.from({ length: d * d }, (_, i) => (i % (d + 1) === 0 ? 1 : 0)))).toBeGreaterThan(0.1);
    }
    o.dispose();
    return { worst, worstB };
  }
  test("d = 50: relative error ≤ 1e-12 (expm and the B update)", () => {
    const { worst, worstB } = check(50, 0.2);
    expect(worst).toBeLessThan(1e-12);
    expect(worstB).toBeLessThan(1e-12);
  });
  test("d = 200: relative error ≤ 1e-12 (expm and the B update)", () => {
    const { worst, worstB } = check(200, 0.05);
    expect(worst).toBeLessThan(1e-12);
    expect(worstB).toBeLessThan(1e-12);
  });
  test("the dense path (used when 2λ > d) agrees too", () => {
    const { worst, worstB } = check(8, 0.5);
    expect(worst).toBeLessThan(1e-12);
    expect(worstB).toBeLessThan(1e-12);
  });
  test("low-rank and dense paths give the same run at d = 40", () => {
    const run = (Cls: typeof XNES) => {
      const o = new Cls({ mean: new Array(40).fill(2), sigma: 0.7, seed: 3 });
      const fit = new Float64Array(o.popSize);
      for (let g = 0; g < 30; g++) {
        const p = o.ask();
        for (let i = 0; i < o.popSize; i++) fit[i] = ellipsoid(p.row(i));
        o.tell(fit);
      }
      const r = { B: o.B, mean: o.mean, sigma: o.sigma };
      o.dispose();
      return r;
    };
    const a = run(LowRankXNES), b = run(DenseXNES);
    expect(relErr(a.B, b.B)).toBeLessThan(1e-11);
    expect(relErr(a.mean, b.mean)).toBeLessThan(1e-11);
    expect(Math.abs(a.sigma / b.sigma - 1)).toBeLessThan(1e-11);
  });
});

describe("invariants", () => {
  test("B, σ and the mean stay finite under hostile fitness (flat, huge, NaN, ±Infinity)", () => {
    const fs: ((x: Float64Array, i: number, g: number) => number)[] = [
      () => 1, // flat: ranks by index only
      (x) => 1e300 * sphere(x),
      (x, i) => (i % 3 === 0 ? NaN : sphere(x)),
      (x, i) => (i === 0 ? -Infinity : i === 1 ? Infinity : rosenbrock(x)),
      (x, _i, g) => (g % 2 ? -1 : 1) * sphere(x), // oscillating
    ];
    for (const [fi, f] of fs.entries()) {
      for (const d of [3, 30]) {
        const o = new XNES({ mean: new Array(d).fill(1), seed: 11 + fi, adaptSampling: fi % 2 === 0 });
        const fit = new Float64Array(o.popSize);
        for (let g = 0; g < 300; g++) {
          const p = o.ask();
          for (let i = 0; i < o.popSize; i++) fit[i] = f(p.row(i), i, g);
          o.tell(fit);
        }
        expect(o.B.every(Number.isFinite), `f${fi} d${d}`).toBe(true);
        expect(o.mean.every(Number.isFinite)).toBe(true);
        expect(o.sigma > 0 && Number.isFinite(o.sigma)).toBe(true);
        expect(o.etaSigma > 0 && o.etaSigma <= 1).toBe(true);
        o.dispose();
      }
    }
  });

  test("scalars[1] is the largest row norm of B (fused into the update), on both paths", () => {
    for (const [d, Cls] of [[37, XNES], [37, DenseXNES], [5, XNES]] as const) {
      const o = new Cls({ mean: new Array(d).fill(1), seed: 3, etaB: 0.3 });
      const fit = new Float64Array(o.popSize);
      for (let g = 0; g < 5; g++) {
        const p = o.ask();
        for (let i = 0; i < o.popSize; i++) fit[i] = ellipsoid(p.row(i));
        o.tell(fit);
      }
      const B = o.B;
      let mx = 0;
      for (let i = 0; i < d; i++) { let s = 0; for (let j = 0; j < d; j++) s += B[i * d + j] ** 2; mx = Math.max(mx, s); }
      const c = core(o);
      expect(c.f64(c.x.xnes_ptr(abi.SLOT_SCALARS), abi.SC_FIRST)[abi.SC_MAXSD] / Math.sqrt(mx) - 1).toBeCloseTo(0, 13);
      o.dispose();
    }
  });

  test("det B stays 1 (G_B is trace-free) on a long run", () => {
    const d = 6;
    const o = new XNES({ mean: new Array(d).fill(3), seed: 5 });
    const fit = new Float64Array(o.popSize);
    for (let g = 0; g < 400; g++) {
      const p = o.ask();
      for (let i = 0; i < o.popSize; i++) fit[i] = ellipsoid(p.row(i));
      o.tell(fit);
    }
    const B = o.B;
    // |det B| by elimination
    const a = Array.from({ length: d }, (_, i) => Array.from(B.subarray(i * d, i * d + d)));
    let det = 1;
    for (let k = 0; k < d; k++) {
      let p = k;
      for (let i = k + 1; i < d; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
      [a[k], a[p]] = [a[p], a[k]];
      det *= a[k][k];
      for (let i = k + 1; i < d; i++) { const f = a[i][k] / a[k][k]; for (let j = k; j < d; j++) a[i][j] -= f * a[k][j]; }
    }
    expect(Math.abs(Math.abs(det) - 1)).toBeLessThan(1e-9);
  });

  test("a strictly monotone transform of f gives the same run, bit for bit", () => {
    const run = (g: (v: number) => number, adaptSampling: boolean) => {
      const o = new XNES({ mean: [3, -1, 2, 0.5, 1, -2, 0, 4], seed: 99, adaptSampling });
      const fit = new Float64Array(o.popSize);
      for (let t = 0; t < 120; t++) {
        const p = o.ask();
        for (let i = 0; i < o.popSize; i++) fit[i] = g(rosenbrock(p.row(i)));
        o.tell(fit);
      }
      const r = [...o.mean, o.sigma, ...o.B, o.etaSigma];
      o.dispose();
      return r;
    };
    for (const adapt of [false, true]) {
      const base = run((v) => v, adapt);
      expect(run((v) => Math.cbrt(v) * 1e3 - 5, adapt)).toEqual(base);
      expect(run((v) => -Math.exp(-v / 1e4), adapt)).toEqual(base);
    }
  });
});

describe("save / load", () => {
  test("continues bit for bit with adaptSampling, A and a box-drawn mean, on both paths", () => {
    for (const [d, Cls] of [[4, XNES], [40, XNES], [40, DenseXNES]] as const) {
      const A = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => (i === j ? 0.5 + i / d : 0.05)));
      const opts = { lower: new Array(d).fill(-2), upper: new Array(d).fill(3), A, seed: 17, adaptSampling: true } as XNESOptions;
      const step = (o: XNES, n: number) => {
        const fit = new Float64Array(o.popSize);
        for (let g = 0; g < n; g++) {
          const p = o.ask();
          for (let i = 0; i < o.popSize; i++) fit[i] = rosenbrock(p.row(i));
          o.tell(fit);
        }
      };
      const a = new Cls(opts);
      step(a, 25);
      const bytes = a.save();
      step(a, 25);
      const b = Cls.load(bytes) as XNES;
      step(b, 25);
      expect([...b.mean, b.sigma, b.etaSigma, ...b.B]).toEqual([...a.mean, a.sigma, a.etaSigma, ...a.B]);
      expect(b.best).toEqual(a.best);
      a.dispose(); b.dispose();
    }
  });
});

describe("adaptation sampling", () => {
  // The closed form (weights from ‖z‖² only) against explicit Gaussian log-densities with
  // Σ = σ² B Bᵀ and Σ' = σ'² B Bᵀ, σ' = σ √(σ/σ_old), then NEORL's weighted Mann-Whitney statistic
  // (ALGORITHMS.md §3.3).
  test("matches NEORL's adasam computed with explicit densities", () => {
    const d = 5;
    const o = new XNES({ mean: [1, 2, 3, 4, 5], sigma: 0.8, seed: 21, adaptSampling: true, etaSigma: 0.25 });
    const lam = o.popSize, c = core(o);
    const S = () => c.f64(c.x.xnes_ptr(abi.SLOT_SCALARS), abi.SC_FIRST + 6);
    const fit = new Float64Array(lam);
    let checked = 0, changed = 0;
    for (let g = 0; g < 40; g++) {
      const m = o.mean, B = o.B, sigma = o.sigma, sOld = S()[abi.XNES_SC_SIGOLD], eta = o.etaSigma;
      const p = o.ask();
      const X = Array.from({ length: lam }, (_, i) => p.row(i).slice());
      for (let i = 0; i < lam; i++) fit[i] = ellipsoid(X[i]);
      o.tell(fit);
      if (g === 0) { expect(Number.isNaN(S()[abi.XNES_SC_CUM])).toBe(true); continue; }
      // explicit: log N(x; m, s² B Bᵀ) up to the shared constant, via a solve with B
      const logpdf = (x: Float64Array, s: number) => {
        const z = solve(B, Float64Array.from(x, (v, i) => (v - m[i]) / s), d);
        let q = 0; for (const v of z) q += v * v;
        return -0.5 * q - d * Math.log(s);
      };
      const s1 = sigma * Math.sqrt(sigma / sOld);
      const order = Array.from({ length: lam }, (_, i) => i).sort((a, b) => fit[b] - fit[a]); // worst first
      let n1 = 0, U = 0;
      order.forEach((k, r) => { const w = Math.exp(logpdf(X[k], s1) - logpdf(X[k], sigma)); n1 += w; U += w * (r + 0.5); });
      const mu = (lam * n1) / 2, sd = Math.sqrt((lam * n1 * (lam + n1 + 1)) / 12);
      const cum = normCdf((U - mu) / sd);
      expect(Math.abs(S()[abi.XNES_SC_CUM] - cum)).toBeLessThan(1e-9);
      const rho = 0.5 - 1 / (3 * (d + 1));
      const etaNext = cum < rho ? 0.9 * eta + 0.1 * 0.25 : Math.min(1, 1.1 * eta);
      expect(o.etaSigma).toBeCloseTo(etaNext, 14);
      if (o.etaSigma !== eta) changed++;
      checked++;
    }
    expect(checked).toBe(39);
    expect(changed).toBeGreaterThan(0);
    o.dispose();
  });
});

describe("initial distribution and options", () => {
  test("defaults match NEORL's constants (ALGORITHMS.md §3.1)", () => {
    const p10 = XNES.defaults(10), p100 = XNES.defaults(100), p1000 = XNES.defaults(1000);
    expect([p10.popSize, p100.popSize, p1000.popSize]).toEqual([10, 17, 24]);
    expect(p10.etaSigma).toBeCloseTo(0.1006095, 7);
    expect(p100.etaB).toBeCloseTo(0.0045631, 7);
    expect(p1000.etaSigma).toBeCloseTo(1.87986e-4, 9);
    // NEORL's d = 10 utilities, in ascending order
    const asc = [...p10.utilities].reverse();
    [-0.1, -0.1, -0.1, -0.1, -0.1, -0.0562915, -0.0027966, 0.0661703, 0.1633737, 0.329544].forEach((v, i) => expect(asc[i]).toBeCloseTo(v, 7));
    expect(Math.abs(p10.utilities.reduce((a, b) => a + b))).toBeLessThan(1e-15);
  });

  test("A gives σ0 = |det A|^(1/d) and B0 = A/σ0", () => {
    const A = [[2, 1, 0], [0, 1, 0], [1, 0, 4]]; // det = 8
    const o = new XNES({ mean: [0, 0, 0], A, seed: 1 });
    expect(o.sigma).toBeCloseTo(2, 14);
    expect(Array.from(o.B)).toEqual(A.flat().map((v) => v / o.sigma));
    const o2 = new XNES({ mean: [0, 0], A: new Float64Array([0.1, 0, 0, 0.1]), seed: 1 });
    expect(o2.sigma).toBeCloseTo(0.1, 15);
    expect(() => new XNES({ mean: [0, 0], A: [[1, 2], [2, 4]] })).toThrow(/nonsingular/);
    expect(() => new XNES({ mean: [0, 0], A: [[1, 0], [0, 1]], sigma: 2 })).toThrow(/exclusive/);
    expect(() => new XNES({ mean: [0, 0], A: [[1, 0]] })).toThrow(RangeError);
  });

  test("no mean: a uniform draw in [lower, upper], reproducible from the seed", () => {
    const lower = [-1, 0, 10, 5], upper = [1, 0.5, 20, 5];
    const a = new XNES({ lower, upper, seed: 4 }), b = new XNES({ lower, upper, seed: 4 }), c = new XNES({ lower, upper, seed: 5 });
    expect(a.dimension).toBe(4);
    a.mean.forEach((v, i) => { expect(v).toBeGreaterThanOrEqual(lower[i]); expect(v).toBeLessThanOrEqual(upper[i]); });
    expect(a.mean).toEqual(b.mean);
    expect(a.mean).not.toEqual(c.mean);
    expect(() => new XNES({ lower: [1], upper: [0] })).toThrow(RangeError);
    expect(() => new XNES({ lower: [1, 2], upper: [3] })).toThrow(/length/);
    expect(() => new XNES({} as XNESOptions)).toThrow(/mean/);
  });

  test("typed errors naming the option", () => {
    expect(() => new XNES({ mean: [1], etaB: 0 })).toThrow(/etaB/);
    expect(() => new XNES({ mean: [1], etaMu: "1" as unknown as number })).toThrow(TypeError);
    expect(() => new XNES({ mean: [1], adaptSampling: 1 as unknown as boolean })).toThrow(/adaptSampling/);
    expect(() => new XNES({ mean: [1], popSize: 1 })).toThrow(/popSize/);
    expect(() => new XNES({ mean: [1], eta_mu: 1 } as unknown as XNESOptions)).toThrow(/unknown option "eta_mu"/);
  });

  test("stop conditions: target, maxEvaluations, tolFun, σ collapse", () => {
    const o = new XNES({ mean: [1, 1, 1], seed: 2, target: 1e-6, maxEvaluations: 1e6 });
    const fit = new Float64Array(o.popSize);
    while (o.shouldStop().length === 0) {
      const p = o.ask();
      for (let i = 0; i < o.popSize; i++) fit[i] = sphere(p.row(i));
      o.tell(fit);
    }
    expect(o.shouldStop()).toContain("target");
    expect(o.best.f).toBeLessThanOrEqual(1e-6);
    const q = new XNES({ mean: [1, 1, 1], seed: 2, maxEvaluations: 70 });
    let n = 0;
    while (q.shouldStop().length === 0) { q.ask(); q.tell(new Float64Array(q.popSize).fill(1)); n++; }
    expect(q.shouldStop()).toContain("maxEvaluations");
    expect(n).toBe(Math.ceil(70 / q.popSize));
    const t = new XNES({ mean: [1, 1, 1], seed: 2 });
    let m = 0;
    while (t.shouldStop().length === 0 && m < 1000) { t.ask(); t.tell(new Float64Array(t.popSize).fill(1)); m++; }
    expect(t.shouldStop()).toEqual(["tolFun"]);
    expect(m).toBe(10 + Math.ceil((30 * 3) / t.popSize)); // the tolFun window
    const r = new XNES({ mean: [1, 1], sigma: 1e-300, seed: 1 });
    expect(r.shouldStop()).toContain("sigmaCollapse");
  });
});

// tiny dense helpers for the adasam check
function solve(Bm: Float64Array, b: Float64Array, d: number): Float64Array {
  const a = Array.from({ length: d }, (_, i) => [...Bm.subarray(i * d, i * d + d), b[i]]);
  for (let k = 0; k < d; k++) {
    let p = k;
    for (let i = k + 1; i < d; i++) if (Math.abs(a[i][k]) > Math.abs(a[p][k])) p = i;
    [a[k], a[p]] = [a[p], a[k]];
    for (let i = k + 1; i < d; i++) { const f = a[i][k] / a[k][k]; for (let j = k; j <= d; j++) a[i][j] -= f * a[k][j]; }
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) { let s = a[i][d]; for (let j = i + 1; j < d; j++) s -= a[i][j] * x[j]; x[i] = s / a[i][i]; }
  return x;
}
// Φ by erfc's continued fraction / series (independent of the core's Marsaglia series)
function normCdf(x: number): number {
  const t = x / Math.SQRT2;
  if (Math.abs(t) < 3) { // erf series
    let s = t, term = t;
    for (let n = 1; n < 200; n++) { term *= (-t * t) / n; s += term / (2 * n + 1); }
    return 0.5 * (1 + (2 / Math.sqrt(Math.PI)) * s);
  }
  // erfc(|t|) by a continued fraction (Lentz), then reflect
  const a = Math.abs(t);
  let f = a, C = a, D = 0;
  for (let n = 1; n < 300; n++) {
    const an = n / 2;
    D = a + an * D; D = 1 / D; C = a + an / C; const del = C * D; f *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  const erfc = Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
  return t > 0 ? 1 - 0.5 * erfc : 0.5 * erfc;
}
