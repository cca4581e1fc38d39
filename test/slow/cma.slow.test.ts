// CMA-ES at d = 100 (npm run test:slow): sphere and ellipsoid medians over 11 seeds against pycma 4.4.0
// (test/vectors/cma.json, with its provenance), both σ0; BIPOP and IPOP on Rastrigin d = 10 and 20.
import { describe, expect, test } from "vitest";
import { minimize } from "../../src/index";
import { median } from "../helpers";
import { ellipsoid, sphere } from "../functions";
import { restartRuns } from "../drivers/rastrigin";
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

// Issue 10: restarts on Rastrigin (every start uniform in [−5, 5]^d, σ0 = 2, budget 1e6), the median
// within 1.25× of pycma 4.4.0's fmin2 (restarts = 9, incpopsize = 2[, bipop = True]). The runs'
// evaluations are bimodal: a seed is solved by one large run or needs the next, about twice the
// evaluations (BIPOP d = 10 over seeds 1..101 here: quartiles 81,632 / 88,843 / 146,580, and 58 of
// 101 at or below 1.25 × 82,720). So an 11-seed median falls in either mode: seeds 1..11 give
// 143,576 (1.74×), seeds 1..31 110,536, 1..101 88,843 (1.07×). pycma 4.4.0 itself, run from its
// source here over seeds 1..61 with the same set-up, has quartiles 79,950 / 98,191 / 141,846 (31 of 61
// at or below 1.25 × 82,720): the 82,720 of the reference is one draw of that. BIPOP d = 10 is
// therefore held over 101 seeds; d = 20 (35 of 51 seeds below 1.25×; seeds 1..51: 358,955) and IPOP
// over the 11.
describe("CMA-ES restarts on Rastrigin against pycma 4.4.0's fmin2", () => {
  const ref = vectors.pycma_restarts_rastrigin;
  for (const [kind, d, seeds] of [["bipop", 10, 101], ["bipop", 20, 11], ["ipop", 20, 11]] as const) {
    const pycma = ref[`${kind}-rastrigin-${d}`].median_evaluations;
    test(`${kind.toUpperCase()} d = ${d}: ${seeds}/${seeds} seeds reach 1e-8, median within 1.25× of pycma's ${pycma}`, () => {
      const r = restartRuns("cma", kind, d, seeds, 1e6, null);
      console.log(`${kind} d = ${d}: median ${r.median} over ${seeds} seeds (${(r.median / pycma).toFixed(3)}× pycma), ${r.seconds.toFixed(1)} s`);
      for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
      expect(r.median).toBeLessThanOrEqual(1.25 * pycma);
    }, 900_000);
  }
});
