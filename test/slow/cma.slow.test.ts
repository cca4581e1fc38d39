// CMA-ES at d = 100 (npm run test:slow): sphere and ellipsoid medians over 11 seeds against pycma 4.4.0
// (test/vectors/cma.json, with its provenance), both σ0.
import { describe, expect, test } from "vitest";
import { minimize } from "../../src/index";
import { median } from "../helpers";
import { ellipsoid, sphere } from "../functions";
import vectors from "../vectors/cma.json";

type Ref = { hits: string; median_evaluations: number };

describe("CMA-ES slow: d = 100 against pycma 4.4.0 (11 seeds, x0 = 3·1, target 1e-8)", () => {
  for (const [sigma, key] of [[1, "pycma_sigma1"], [0.1, "pycma_sigma0.1"]] as const) {
    for (const [name, f] of [["sphere", sphere], ["ellipsoid", ellipsoid]] as const) {
      const ref = (vectors as unknown as Record<string, Record<string, Ref>>)[key][`${name}-100`];
      test(`${name} d = 100, σ0 = ${sigma}: 11/11, median within 1.1× of pycma's ${ref.median_evaluations}`, () => {
        const rs = Array.from({ length: 11 }, (_, i) =>
          minimize(f, { method: "cma", mean: new Float64Array(100).fill(3), sigma, seed: i + 1, target: 1e-8, maxEvaluations: 1e6 }));
        console.log(`${name}-100 σ0 = ${sigma}:`, median(rs.map((r) => r.evaluations)), "evaluations (median)");
        for (const r of rs) expect(r.f).toBeLessThan(1e-8);
        expect(median(rs.map((r) => r.evaluations))).toBeLessThanOrEqual(1.1 * ref.median_evaluations);
      });
    }
  }
});
