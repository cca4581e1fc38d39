// RMES core (src/strategies/rmes.ts, assembly/strategies/rmes.ts): defaults, the update checked step by
// step against a plain-TS transliteration of ALGORITHMS.md §1.4, the sampling distribution, memory.
import { describe, expect, it } from "vitest";
import * as abi from "../../assembly/abi";
import { RMES, type RMESParams } from "../../src/strategies/rmes";
import { minimize } from "../../src/drivers/minimize";
import { median } from "../helpers";
import { rawCore } from "../testing-core";
import { sphere } from "../functions";
import { pypop7_rmes as pypop } from "../vectors/convergence.json";

// deno-lint-ignore no-explicit-any
const internals = (o: RMES) => (o as any).core as { x: Record<string, (...a: unknown[]) => number> & { memory: WebAssembly.Memory }; f64(p: number, n: number): Float64Array; heap(): Uint8Array };

function state(o: RMES) {
  const c = internals(o), d = o.dimension, m = o.params.nEvolutionPaths;
  const ptr = (i: number) => c.x.rmes_ptr(i) >>> 0;
  const S = c.f64(ptr(abi.SLOT_SCALARS), abi.SC_FIRST + 4);
  const slot = new Int32Array(c.x.memory.buffer, ptr(abi.RMES_ORDER), m);
  const paths = Array.from({ length: m }, (_, j) => c.f64(ptr(abi.RMES_PATHS) + slot[j] * d * 8, d).slice());
  return { mean: c.f64(ptr(abi.SLOT_MEAN), d).slice(), sigma: S[abi.SC_SIGMA], bound: S[abi.SC_MAXSD], s: S[abi.RMES_SC_S], g: S[abi.RMES_SC_G], paths, tHat: Array.from(c.f64(ptr(abi.RMES_THAT), m)) };
}

/** U1-U5 of ALGORITHMS.md §1.4, written from the sheet without looking at the wasm core. */
class Reference {
  mean: number[]; p: number[]; s = 0; sigma: number; mp: number[][]; tHat: number[]; g = 0; ybak: number[] | null;
  constructor(readonly P: RMESParams, mean: ArrayLike<number>, sigma: number, f0?: number) {
    const d = mean.length, m = P.nEvolutionPaths;
    this.mean = Array.from(mean); this.p = new Array(d).fill(0); this.sigma = sigma;
    this.mp = Array.from({ length: m }, () => new Array(d).fill(0)); this.tHat = new Array(m).fill(0);
    this.ybak = f0 === undefined ? null : new Array(P.mu).fill(f0);
  }
  update(X: Float64Array, y: number[]): void {
    const P = this.P, d = this.mean.length, mu = P.mu, m = P.nEvolutionPaths, w = P.weights;
    const order = y.map((_, i) => i).sort((i, j) => y[i] - y[j] || i - j); // U1 (stable)
    const ys = order.map((i) => y[i]);
    const nm = new Array(d).fill(0); // U2
    for (let j = 0; j < mu; j++) for (let i = 0; i < d; i++) nm[i] += w[j] * X[order[j] * d + i];
    const pc = Math.sqrt(P.c * (2 - P.c) * P.muEff); // U3
    this.p = this.p.map((v, i) => (1 - P.c) * v + (pc * (nm[i] - this.mean[i])) / this.sigma);
    if (this.ybak) { // U4
      const v = [...this.ybak.slice(0, mu), ...ys.slice(0, mu)];
      const r = v.map((_, i) => i).sort((i, j) => v[i] - v[j] || i - j);
      const Ro: number[] = [], Rn: number[] = [];
      r.forEach((e, j) => (e < mu ? Ro : Rn).push(j + 1));
      let q = 0;
      for (let i = 0; i < mu; i++) q += (w[i] * (Ro[i] - Rn[i]));
      q /= mu;
      this.s = (1 - P.cS) * this.s + P.cS * (q - P.qStar);
      this.sigma *= Math.exp(this.s / P.dSigma);
    }
    this.ybak = ys.slice(0, mu);
    // U5
    let ip = 0;
    if (m > 1) {
      const diff = this.tHat.slice(1).map((t, i) => t - this.tHat[i]);
      const tmin = Math.min(...diff);
      ip = diff.indexOf(tmin) + 1;
      if (tmin > P.generationGap || this.g < m) ip = 0;
    }
    for (let i = ip; i < m - 1; i++) { this.mp[i] = this.mp[i + 1].slice(); this.tHat[i] = this.tHat[i + 1]; }
    this.mp[m - 1] = this.p.slice();
    this.tHat[m - 1] = this.g;
    this.mean = nm;
    this.g++;
  }
}

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-11) => {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (1e-300 + Math.max(1, Math.abs(b[i]))));
  expect(worst).toBeLessThan(tol);
};

describe("RMES defaults (ALGORITHMS.md §1.1, values printed by PyPop7)", () => {
  it("d = 10, 100, 1000", () => {
    const a = RMES.defaults(10);
    expect([a.popSize, a.mu]).toEqual([10, 5]);
    expect(a.cCov).toBeCloseTo(0.069028, 6);
    expect(a.c).toBeCloseTo(0.117647, 6);
    expect(a.muEff).toBeCloseTo(3.1673, 4);
    [0.456273, 0.270753, 0.162231, 0.085234, 0.02551].forEach((w, i) => expect(a.weights[i]).toBeCloseTo(w, 6));
    expect(a.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 14);
    const b = RMES.defaults(100);
    expect([b.popSize, b.mu]).toEqual([17, 8]);
    expect(b.cCov).toBeCloseTo(0.028571, 6);
    expect(b.muEff).toBeCloseTo(5.09619, 5);
    const c = RMES.defaults(1000);
    expect([c.popSize, c.mu, c.generationGap, c.nEvolutionPaths]).toEqual([24, 12, 1000, 2]);
    expect(c.cCov).toBeCloseTo(0.010013, 6);
    expect(c.muEff).toBeCloseTo(7.02638, 5);
    expect([c.cS, c.qStar, c.dSigma]).toEqual([0.3, 0.3, 1]);
  });

  it("checks its options", () => {
    expect(() => new RMES({ mean: [1, 2], nEvolutionPaths: 0 })).toThrow(RangeError);
    expect(() => new RMES({ mean: [1, 2], cCov: 2 })).toThrow(/cCov/);
    expect(() => new RMES({ mean: [1, 2], initialF: NaN })).toThrow(/initialF/);
    expect(() => new RMES({ mean: [1, 2], sigmaa: 1 } as never)).toThrow(TypeError);
  });
});

describe("RMES update = ALGORITHMS.md §1.4, step by step", () => {
  const cases = [
    { name: "defaults (m = 2, T = d)", d: 9, opts: {}, f0: 50 },
    { name: "m = 4, T = 3 (every branch of the gap rule)", d: 7, opts: { nEvolutionPaths: 4, generationGap: 3 }, f0: undefined },
    { name: "m = 1", d: 5, opts: { nEvolutionPaths: 1, popSize: 9 }, f0: 3 },
    { name: "d = 1100 (blocks of 512 and an odd tail)", d: 1100, opts: { nEvolutionPaths: 3, generationGap: 2 }, f0: 1e4 },
  ];
  for (const t of cases) {
    it(t.name, () => {
      const mean0 = Array.from({ length: t.d }, (_, i) => Math.sin(i + 1));
      const o = new RMES({ mean: mean0, sigma: 0.3, seed: 7, initialF: t.f0, ...t.opts });
      const ref = new Reference(o.params, mean0, 0.3, t.f0);
      let sawShift = false, sawKeep = false;
      for (let g = 0; g < 60; g++) {
        const pop = o.ask();
        const X = pop.data.slice();
        // ties on purpose every few generations, to pin the tie rule
        const y = Array.from({ length: pop.count }, (_, k) => (g % 7 === 3 || g % 7 === 4 ? Math.round(sphere(pop.row(k))) : sphere(pop.row(k))));
        o.tell(y);
        const before = ref.tHat.slice();
        ref.update(X, y);
        if (ref.tHat[0] !== before[0]) sawShift = true; else sawKeep = true;
        const st = state(o);
        close(st.mean, ref.mean);
        close([st.sigma, st.s, st.g], [ref.sigma, ref.s, ref.g]);
        expect(st.tHat).toEqual(ref.tHat);
        for (let j = 0; j < ref.mp.length; j++) close(st.paths[j], ref.mp[j]);
        close(o.p, ref.p);
      }
      if (o.params.nEvolutionPaths > 1) expect(sawShift && sawKeep).toBe(true);
    });
  }

  it("without initialF the first update leaves σ and s unchanged", () => {
    const o = new RMES({ mean: [1, 2, 3], sigma: 0.5, seed: 1 });
    const p = o.ask();
    o.tell(Array.from({ length: p.count }, (_, k) => sphere(p.row(k))));
    expect(o.sigma).toBe(0.5);
    expect(o.s).toBe(0);
    const q = o.ask();
    o.tell(Array.from({ length: q.count }, (_, k) => sphere(q.row(k))));
    expect(o.sigma).not.toBe(0.5);
  });
});

describe("RMES sampling", () => {
  it("has covariance σ²(a^2m I + c_cov Σ a^(2(m−i)) mp_i mp_iᵀ) (4,000 samples, d = 3)", () => {
    const d = 3, lam = 4000;
    const o = new RMES({ mean: [0.5, -1, 2], sigma: 0.2, seed: 11, popSize: lam, mu: 1000, initialF: 10, c: 0.5, cCov: 0.5 });
    const shift = [3, 1, -2]; // pulls the mean one way, so the paths get a direction
    for (let g = 0; g < 4; g++) {
      const p = o.ask();
      o.tell(Array.from({ length: lam }, (_, k) => { const r = p.row(k); return (r[0] - shift[0]) ** 2 + (r[1] - shift[1]) ** 2 + (r[2] - shift[2]) ** 2; }));
    }
    const st = state(o), P = o.params, m = P.nEvolutionPaths;
    const a = Math.sqrt(1 - P.cCov);
    const C = Array.from({ length: d }, (_, i) => Array.from({ length: d }, (_, j) => {
      let v = i === j ? a ** (2 * m) : 0;
      for (let t = 0; t < m; t++) v += P.cCov * a ** (2 * (m - 1 - t)) * st.paths[t][i] * st.paths[t][j];
      return v * st.sigma * st.sigma;
    }));
    expect(Math.abs(st.paths[m - 1][0])).toBeGreaterThan(0.3); // a real direction to test against
    const pop = o.ask();
    const mean = o.mean;
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        let s = 0;
        for (let k = 0; k < lam; k++) s += (pop.data[k * d + i] - mean[i]) * (pop.data[k * d + j] - mean[j]);
        const emp = s / lam, sd = Math.sqrt((C[i][i] * C[j][j] + C[i][j] ** 2) / lam);
        expect(Math.abs(emp - C[i][j])).toBeLessThan(5 * sd); // 5 standard errors
      }
      // scalars[1] is an upper bound of the largest coordinate std / σ
      expect(st.bound * st.sigma).toBeGreaterThanOrEqual(Math.sqrt(C[i][i]) * (1 - 1e-12));
    }
  });

  it("the fused sampler draws each row's own stream bit for bit (m scalars, then d normals), for the generation asked", () => {
    const d = 3001, m = 2;
    const o = new RMES({ mean: new Float64Array(d), sigma: 1, seed: 99, popSize: 10 });
    const sa = Math.sqrt(1 - o.params.cCov) ** m;
    const raw = rawCore();
    const rng = raw.x.alloc(32) >>> 0, out = raw.allocF64(d);
    for (let g = 0; g < 3; g++) {
      const pop = o.ask(); // no tell: the paths stay zero, so x = σ a^m z exactly
      expect(pop.generation).toBe(g);
      let worst = 0;
      for (let k = 0; k < pop.count; k++) {
        raw.x.rng_seed_row(rng, 99n, BigInt(g), BigInt(k)); // row k of generation g, drawn alone
        for (let j = 0; j < m; j++) raw.x.rng_normal(rng);
        raw.x.rng_fill_normal(rng, out, d);
        const z = raw.f64(out, d), row = pop.row(k);
        for (let i = 0; i < d; i++) worst = Math.max(worst, Math.abs(row[i] / sa - z[i]) / Math.max(1, Math.abs(z[i])));
      }
      expect(worst).toBeLessThan(1e-15);
      o.discard(); // the next ask draws the next generation's streams
    }
    o.dispose();
  });

  it("uses O(m·d + λ·d) memory: nothing d×d (d = 100,000)", () => {
    const d = 100_000;
    const o = new RMES({ mean: new Float64Array(d), sigma: 1, seed: 1 });
    const bytes = internals(o).heap().length;
    const expected = 8 * d * (o.popSize + o.params.nEvolutionPaths + 1);
    expect(bytes).toBeGreaterThanOrEqual(expected);
    expect(bytes).toBeLessThan(expected + 64 * 1024);
    const mem = internals(o).x.memory.buffer;
    for (let g = 0; g < 3; g++) { const p = o.ask(); o.tell(new Float64Array(p.count).map((_, k) => p.row(k)[0])); }
    expect(internals(o).x.memory.buffer).toBe(mem); // no allocation after init
  });
});

describe("RMES through minimize()", () => {
  it("sphere d = 10 from 3·1, σ 0.1: median evaluations to 1e-8 over 11 seeds within 1.25× PyPop7's median (test/vectors/convergence.json)", () => {
    const evals: number[] = [];
    for (let seed = 1; seed <= 11; seed++) {
      const r = minimize(sphere, { method: "rmes", mean: new Array(10).fill(3), sigma: 0.1, seed, target: 1e-8, maxEvaluations: 20000 });
      expect(r.f).toBeLessThanOrEqual(1e-8);
      evals.push(r.evaluations);
    }
    // minimize() counts whole generations and has no f(mean0) evaluation
    expect(median(evals)).toBeLessThan(1.25 * pypop["sphere-10"].evals_median);
  });
});
