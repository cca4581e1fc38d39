// LM-MA-ES (src/strategies/lmmaes.ts, assembly/strategies/lmmaes.ts): defaults, the update step by step
// against a plain-TS transcription of the paper's Algorithm 1 (per-row passes, PyPop7's order), the
// std bounds, and seeded convergence against PyPop7 (test/vectors/large.json, with provenance).
import { describe, expect, it } from "vitest";
import { LMMAES, type LMMAESParams } from "../../src/strategies/lmmaes";
import { median } from "../helpers";
import { rawCore } from "../testing-core";
import large from "../vectors/large.json";

const pypop = large["pypop7_large_scale_sigma0.1"];

describe("LMMAES defaults (Algorithm 1 of Loshchilov, Glasmachers & Beyer 2019; PyPop7's)", () => {
  it("d = 100 and 1000", () => {
    const a = LMMAES.defaults(100);
    expect([a.popSize, a.mu, a.nVectors, a.dSigma]).toEqual([17, 8, 17, 2]);
    expect(a.cSigma).toBeCloseTo(0.34, 14);
    expect(a.cd![0]).toBeCloseTo(0.01, 14);
    expect(a.cd![2]).toBeCloseTo(1 / (2.25 * 100), 14);
    expect(a.cc![0]).toBeCloseTo(0.17, 14);
    expect(a.cc![1]).toBeCloseTo(0.17 / 4, 14);
    const b = LMMAES.defaults(1000);
    expect([b.popSize, b.nVectors]).toEqual([24, 24]);
    expect(b.cSigma).toBeCloseTo(0.048, 14);
    // small d: the paper's rates above 1 are capped at 1
    const c = LMMAES.defaults(6);
    expect(c.cSigma).toBe(1);
    expect(c.cc![0]).toBe(1);
  });

  it("checks its options; not injectable", () => {
    expect(() => new LMMAES({ mean: [1, 2], cSigma: 1.5 })).toThrow(/cSigma/);
    expect(() => new LMMAES({ mean: [1, 2, 3], nVectors: 2, cd: [0.1] })).toThrow(RangeError);
    expect(() => new LMMAES({ mean: [1, 2, 3], nVectors: 2, cc: [0.1, 0] })).toThrow(/cc/);
    expect(() => new LMMAES({ mean: new Float64Array(1_000_000), popSize: 500 })).toThrow(/4 GiB/);
    const o = new LMMAES({ mean: [1, 2, 3], seed: 1 });
    expect(o.injectable).toBe(false);
    o.dispose();
  });
});

/** Algorithm 1, one row at a time, from z drawn by the core's own row streams (test build). */
class Reference {
  mean: number[]; ps: number[]; M: number[][]; g = 0;
  constructor(readonly P: LMMAESParams, mean: ArrayLike<number>, public sigma: number) {
    const d = mean.length;
    this.mean = Array.from(mean); this.ps = new Array(d).fill(0);
    this.M = Array.from({ length: P.nVectors }, () => new Array(d).fill(0));
  }
  sample(z: number[]): number[] {
    const P = this.P;
    let dk = z.slice();
    for (let j = 0; j < Math.min(this.g, P.nVectors); j++) {
      const c = P.cd![j], Mj = this.M[j];
      const s = Mj.reduce((a, v, i) => a + v * dk[i], 0);
      dk = dk.map((v, i) => (1 - c) * v + c * s * Mj[i]);
    }
    return dk;
  }
  update(D: number[][], Z: number[][], f: number[]): void {
    const P = this.P, d = this.mean.length, w = P.weights;
    const order = f.map((_, i) => i).sort((a, b) => f[a] - f[b] || a - b).slice(0, P.mu);
    const zw = new Array(d).fill(0), dw = new Array(d).fill(0);
    order.forEach((k, j) => { for (let i = 0; i < d; i++) { zw[i] += w[j] * Z[k][i]; dw[i] += w[j] * D[k][i]; } });
    this.mean = this.mean.map((m, i) => m + this.sigma * dw[i]);
    const bs = Math.sqrt(P.muEff * P.cSigma * (2 - P.cSigma));
    this.ps = this.ps.map((p, i) => (1 - P.cSigma) * p + bs * zw[i]);
    this.M = this.M.map((Mi, j) => { const c = P.cc![j]; const b = Math.sqrt(P.muEff * c * (2 - c)); return Mi.map((v, i) => (1 - c) * v + b * zw[i]); });
    this.sigma *= Math.exp((P.cSigma / P.dSigma) * (this.ps.reduce((a, v) => a + v * v, 0) / d - 1));
    this.g++;
  }
}

/** the largest relative difference (scale max(1, |b|)) is below tol */
function worst(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
  expect(w).toBeLessThan(tol);
}

describe("LMMAES = Algorithm 1, step by step", () => {
  for (const t of [{ d: 9, opts: { nVectors: 4 } }, { d: 600, opts: { popSize: 7 } }, { d: 40, opts: {} }]) {
    it(`d = ${t.d}, ${JSON.stringify(t.opts)}`, () => {
      const mean0 = Array.from({ length: t.d }, (_, i) => Math.cos(i + 1));
      const seed = 11;
      const o = new LMMAES({ mean: mean0, sigma: 0.2, seed, ...t.opts });
      const ref = new Reference(o.params, mean0, 0.2);
      const core = rawCore([1, 1, 1]);
      const st = core.allocF64(4), zp = core.allocF64(t.d);
      const el = (x: ArrayLike<number>) => { let s = 0; for (let i = 0; i < x.length; i++) s += (1 + (i % 5)) * x[i] * x[i]; return s; };
      for (let g = 0; g < 30; g++) {
        const p = o.ask();
        const Z: number[][] = [], D: number[][] = [];
        for (let k = 0; k < p.count; k++) {
          core.x.rng_seed_row(st, BigInt(seed), BigInt(g), BigInt(k));
          core.x.rng_fill_normal(st, zp, t.d);
          const z = Array.from(core.f64(zp, t.d));
          Z.push(z);
          const dk = ref.sample(z);
          D.push(dk);
          const x = p.row(k);
          worst(x, dk.map((v, i) => ref.mean[i] + ref.sigma * v), 1e-11);
        }
        const f = Array.from({ length: p.count }, (_, k) => el(p.row(k)));
        o.tell(f);
        ref.update(D, Z, f);
        worst(o.mean, ref.mean, 1e-11);
        worst([o.sigma], [ref.sigma], 1e-11);
        worst(o.vectors, ref.M.flat(), 1e-10);
        // the std bounds of the scalars hold for the exact coordinate stds of T (columns of the rows' map)
        // deno-lint-ignore no-explicit-any
        const sc = (o as any).scal as Float64Array;
        expect(sc[2]).toBeLessThanOrEqual(1);
        expect(sc[1]).toBeGreaterThanOrEqual(sc[2]);
      }
    });
  }
});

describe("LMMAES convergence from 3·1, σ0 = 0.1, 11 seeds", () => {
  it(`sphere d = 100: every seed reaches 1e-8, median within 1.2× PyPop7's ${pypop["lmmaes-sphere-100"].median_evaluations}`, () => {
    const d = 100, ref = pypop["lmmaes-sphere-100"].median_evaluations, evals: number[] = [];
    for (let seed = 1; seed <= 11; seed++) {
      const o = new LMMAES({ mean: new Array(d).fill(3), sigma: 0.1, seed });
      const fit = new Float64Array(o.popSize);
      while (o.best.f >= 1e-8 && o.evaluations < 1e4 * d) {
        const p = o.ask();
        for (let k = 0; k < p.count; k++) { const r = p.row(k); let s = 0; for (let i = 0; i < d; i++) s += r[i] * r[i]; fit[k] = s; }
        o.tell(fit);
      }
      expect(o.best.f).toBeLessThan(1e-8);
      evals.push(o.evaluations);
      o.dispose();
    }
    expect(median(evals)).toBeLessThan(1.2 * ref);
    expect(median(evals)).toBeGreaterThan(ref / 1.2);
  });
});
