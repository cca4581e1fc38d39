// sep-CMA-ES (src/strategies/sepcma.ts, assembly/strategies/sepcma.ts): defaults against pycma's printed
// values, the update step by step against a plain-TS transcription of pycma's diagonal mode, injection,
// the size check, and seeded convergence against pycma (test/vectors/large.json, with provenance).
import { describe, expect, it } from "vitest";
import { SepCMAES, type SepCMAESParams } from "../../src/strategies/sepcma";
import { cmaActiveWeights, logWeights, muEff, sepCmaRates } from "../../src/contract/defaults";
import { median } from "../helpers";
import { sphere } from "../functions";
import large from "../vectors/large.json";

const doc = large.pycma_parameters_doc_n20_lambda12;
const pycma = large.pycma_sepcma_csa_sigma1;

describe("SepCMAES defaults", () => {
  it("pycma's c1_sep, cc_sep, cmu_sep and active weights at N = 20, λ = 12 (its CMAParameters docstring)", () => {
    const me = muEff(logWeights(12, 6));
    const r = sepCmaRates(20, me);
    // the docstring prints these with a trailing ellipsis: our values must start with its digits
    expect(String(r.c1)).toMatch(new RegExp(`^${String(doc.c1_sep).replace(".", "\\.")}`));
    expect(String(r.cc)).toMatch(new RegExp(`^${String(doc.cc_sep).replace(".", "\\.")}`));
    expect(String(r.cmu)).toMatch(new RegExp(`^${String(doc.cmu_sep).replace(".", "\\.")}`));
    // full CMA-ES's c1 and cmu at N = 20 (pycma's formulas; the docstring prints 6 digits), for its weights
    const c1 = (Math.min(1, 12 / 6) * 2) / ((20 + 1.3) ** 2 + me);
    const cmu = Math.min(1 - c1, (2 * (0.25 + me + 1 / me - 2)) / ((20 + 2) ** 2 + me));
    expect(c1).toBeCloseTo(doc.c1, 8);
    expect(cmu).toBeCloseTo(doc.cmu, 8);
    const w = cmaActiveWeights(12, c1, cmu, 20);
    doc.weights.forEach((v, i) => expect(w[i]).toBeCloseTo(v, 8));
    const p = SepCMAES.defaults(20, { popSize: 12 });
    expect([p.mu, p.c1, p.cmu, p.cc]).toEqual([6, r.c1, r.cmu, r.cc]);
    // without the positive-definiteness bound (pycma's pos_def=False in the diagonal mode): Σ|w⁻| = min(1 + c1/cμ, 1 + 2μ⁻/(μ+2))
    const neg = p.weights.slice(6).reduce((s, v) => s + v, 0);
    expect(-neg).toBeCloseTo(Math.min(1 + p.c1 / p.cmu, 1.5 + 0 * neg), 0);
    expect(p.weights.slice(0, 6).reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
  });

  it("checks its options and refuses what cannot fit before allocating", () => {
    expect(() => new SepCMAES({ mean: [1, 2], cmu: 2 })).toThrow(RangeError);
    expect(() => new SepCMAES({ mean: [1, 2], cSigma: 0 })).toThrow(/cSigma/);
    expect(() => new SepCMAES({ mean: [1, 2], mu: 1 } as never)).toThrow(TypeError);
    expect(() => new SepCMAES({ mean: new Float64Array(1_000_000), popSize: 600 })).toThrow(/4 GiB/);
    const o = new SepCMAES({ mean: [1, 2, 3], seed: 1 });
    expect(o.injectable).toBe(true);
    o.dispose();
  });
});

/** pycma's diagonal mode (ALGORITHMS of the core's header), written from the equations, per coordinate. */
class Reference {
  mean: number[]; s: number[]; pc: number[]; ps: number[]; g = 0;
  constructor(readonly P: SepCMAESParams, mean: ArrayLike<number>, public sigma: number) {
    const d = mean.length;
    this.mean = Array.from(mean); this.s = new Array(d).fill(1); this.pc = new Array(d).fill(0); this.ps = new Array(d).fill(0);
  }
  update(X: Float64Array, f: number[]): void {
    const P = this.P, d = this.mean.length, lam = f.length, w = P.weights;
    const order = f.map((_, i) => i).sort((a, b) => f[a] - f[b] || a - b);
    const z = order.map((k) => Array.from({ length: d }, (_, i) => (X[k * d + i] - this.mean[i]) / (this.sigma * this.s[i])));
    const zw = Array.from({ length: d }, (_, i) => { let s = 0; for (let k = 0; k < P.mu; k++) s += w[k] * z[k][i]; return s; });
    const mold = this.mean;
    this.mean = mold.map((m, i) => m + P.cMean * this.sigma * this.s[i] * zw[i]);
    this.g++;
    this.ps = this.ps.map((p, i) => (1 - P.cSigma) * p + Math.sqrt(P.cSigma * (2 - P.cSigma) * P.muEff) * zw[i]);
    const ps2 = this.ps.reduce((a, v) => a + v * v, 0);
    const hsig = ps2 / (1 - (1 - P.cSigma) ** (2 * this.g)) / d - 1 < 1 + 4 / (d + 1) ? 1 : 0;
    this.pc = this.pc.map((p, i) => (1 - P.cc) * p + hsig * Math.sqrt(P.cc * (2 - P.cc) * P.muEff) * zw[i]);
    const c1a = P.c1 * (1 - (1 - hsig) * P.cc * (2 - P.cc));
    this.s = this.s.map((s, i) => {
      let e = c1a * (this.pc[i] ** 2 - 1);
      for (let k = 0; k < lam; k++) e += P.cmu * w[k] * (z[k][i] ** 2 - 1);
      return s * Math.exp((Math.LN2 / 2) * e);
    });
    const chiN = Math.sqrt(d) * (1 - 1 / (4 * d) + 1 / (21 * d * d));
    this.sigma *= Math.exp(Math.max(-1, Math.min(1, (P.cSigma / P.dSigma) * (Math.sqrt(ps2) / chiN - 1))));
  }
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-10) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(worst).toBeLessThan(tol);
};

describe("SepCMAES update = pycma's diagonal mode, step by step", () => {
  for (const t of [{ d: 7, popSize: undefined }, { d: 1100, popSize: 13 }, { d: 5, popSize: 3 }]) {
    it(`d = ${t.d}, λ = ${t.popSize ?? "default"}`, () => {
      const mean0 = Array.from({ length: t.d }, (_, i) => Math.sin(i + 1));
      const el = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += (1 + i) * x[i] * x[i]; return s; };
      const o = new SepCMAES({ mean: mean0, sigma: 0.3, seed: 5, popSize: t.popSize });
      const ref = new Reference(o.params, mean0, 0.3);
      for (let g = 0; g < 40; g++) {
        const p = o.ask();
        const X = p.data.slice();
        const f = Array.from({ length: p.count }, (_, k) => (g % 9 === 4 ? Math.round(el(p.row(k))) : el(p.row(k))));
        o.tell(f);
        ref.update(X, f);
        close(o.mean, ref.mean);
        close(o.stds, ref.s);
        close(o.pc, ref.pc);
        close(o.ps, ref.ps);
        close([o.sigma], [ref.sigma]);
      }
    });
  }
});

describe("SepCMAES injection (tell(fitness, x))", () => {
  it("the asked rows told back give the same state as tell(fitness)", () => {
    const d = 50, a = new SepCMAES({ mean: new Array(d).fill(1), seed: 3 }), b = new SepCMAES({ mean: new Array(d).fill(1), seed: 3 });
    let injected = 0;
    for (let g = 0; g < 20; g++) {
      a.ask();
      const q = b.ask();
      const rows = Array.from({ length: q.count }, (_, k) => Array.from(q.row(k)));
      // only when no asked row is beyond the repair bound √d + 2d/(d+2) (then the repair changes nothing)
      const ub = Math.sqrt(d) + (2 * d) / (d + 2), st = b.stds, m = b.mean;
      const within = rows.every((r) => Math.sqrt(r.reduce((s, v, i) => s + ((v - m[i]) / (b.sigma * st[i])) ** 2, 0)) < ub);
      const f = rows.map(sphere);
      a.tell(f);
      if (within) { b.tell(f, rows); injected++; } else b.tell(f);
    }
    expect(injected).toBeGreaterThan(10);
    expect(b.mean).toEqual(a.mean);
    expect(b.stds).toEqual(a.stds);
    expect(b.sigma).toBe(a.sigma);
  });

  it("a far injected point is pulled to the Mahalanobis bound, and the state stays finite", () => {
    const d = 10, o = new SepCMAES({ mean: new Array(d).fill(0), seed: 1 });
    const p = o.ask();
    const rows = Array.from({ length: p.count }, (_, k) => Array.from(p.row(k)));
    rows[0] = new Array(d).fill(1e6); // injected, far away, and the best
    const f = rows.map((r, k) => (k === 0 ? -1 : sphere(r)));
    o.tell(f, rows);
    const ub = Math.sqrt(d) + (2 * d) / (d + 2);
    // the mean moved at most w_1·ub·σ·s per coordinate norm: far less than the injected point
    expect(Math.sqrt(sphere(o.mean))).toBeLessThan(ub * 1.0001);
    for (const v of [...o.stds, o.sigma, ...o.mean]) expect(Number.isFinite(v)).toBe(true);
  });
});

function solve(coef: Float64Array, seed: number, sigma: number, budget: number) {
  const d = coef.length, o = new SepCMAES({ mean: new Array(d).fill(3), sigma, seed });
  const fit = new Float64Array(o.popSize);
  while (o.evaluations < budget && o.best.f >= 1e-8) {
    const p = o.ask();
    for (let k = 0; k < p.count; k++) { const r = p.row(k); let s = 0; for (let i = 0; i < d; i++) s += coef[i] * r[i] * r[i]; fit[k] = s; }
    o.tell(fit);
  }
  const r = { evals: o.evaluations, hit: o.best.f < 1e-8 };
  o.dispose();
  return r;
}
export const coefficients = (name: string, d: number) => new Float64Array(d).map((_, i) => (name === "sphere" ? 1 : 10 ** ((6 * i) / (d - 1))));

describe("SepCMAES convergence from 3·1, σ0 = 1, 11 seeds: median evaluations to 1e-8 within 1.1× pycma's (CSA)", () => {
  for (const [fn, d] of [["sphere", 10], ["sphere", 100], ["ellipsoid", 10], ["ellipsoid", 100]] as const) {
    const ref = (pycma as unknown as Record<string, { median_evaluations: number }>)[`${fn}-${d}`].median_evaluations;
    it(`${fn} d = ${d}: pycma ${ref}`, () => {
      const rs = Array.from({ length: 11 }, (_, i) => solve(coefficients(fn, d), i + 1, 1, 100 * ref));
      expect(rs.every((r) => r.hit)).toBe(true);
      const med = median(rs.map((r) => r.evals));
      expect(med).toBeLessThan(1.1 * ref);
      expect(med).toBeGreaterThan(ref / 1.1); // a much faster run would mean the test measures something else
    });
  }
});
