// XNES's low-rank matrix exponential against a dense reference, through the test hook
// xnes_expm_last, which only the test build of the core exports: this file runs its optimizers on
// build/testing.wasm (the shipped module plus test hooks) instead of build/core.wasm.
import { describe, expect, test, vi } from "vitest";
import { XNES } from "../src/strategies/xnes";
import { denseExpm, matmul, relErr } from "./xnes-ref";

vi.mock("../build/core.wasm", async () => ({ default: (await import("./testing-core")).testingBytes }));

const ellipsoid = (x: Float64Array) => {
  const d = x.length; let s = 0;
  for (let i = 0; i < d; i++) s += Math.pow(1e6, i / (d - 1)) * x[i] * x[i];
  return s;
};

// internals, for white-box checks
// deno-lint-ignore no-explicit-any
const core = (o: XNES) => (o as any).core as { x: Record<string, any>; f64(p: number, n: number): Float64Array };

test("the optimizers here run on the test build", () => {
  const o = new XNES({ mean: [1, 2], sigma: 1, seed: 1 });
  expect(typeof core(o).x.xnes_expm_last).toBe("function");
  o.dispose();
});

describe("low-rank expm", () => {
  // After a tell, rebuild G_B = Zᵀ diag(u) Z − c I from the core's Z, u and c, exponentiate it densely
  // (Taylor with scaling and squaring, test/xnes-ref.ts), and compare with what the core used.
  function check(d: number, etaB: number, Cls: typeof XNES = XNES) {
    const o = new Cls({ mean: new Array(d).fill(1), sigma: 0.5, seed: 7, etaB });
    const lam = o.popSize;
    const c = core(o);
    const out = c.x.allocF64(d * d) >>> 0; // test-only buffer (grows the memory; the base rebinds its views)
    const fit = new Float64Array(lam);
    let worst = 0, worstB = 0;
    for (let g = 0; g < 3; g++) {
      const p = o.ask();
      for (let i = 0; i < lam; i++) fit[i] = ellipsoid(p.row(i));
      const Bold = o.B;
      o.tell(fit);
      const Z = c.f64(c.x.xnes_ptr(5), lam * d), u = c.f64(c.x.xnes_ptr(8), lam);
      const cc = c.f64(c.x.xnes_ptr(3), 8)[4];
      const G = new Float64Array(d * d);
      for (let k = 0; k < lam; k++)
        for (let a = 0; a < d; a++) {
          const za = u[k] * Z[k * d + a];
          for (let b = 0; b < d; b++) G[a * d + b] += za * Z[k * d + b];
        }
      for (let a = 0; a < d; a++) G[a * d + a] -= cc;
      const ref = denseExpm(G.map((v) => 0.5 * etaB * v), d);
      c.x.xnes_expm_last(out);
      worst = Math.max(worst, relErr(c.f64(out, d * d), ref));
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
});
