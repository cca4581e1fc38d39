// The done-when figure of issue 8: minimize with IPOP restarts over CSA-ES, XNES and RMES solves
// Rastrigin d = 10 (every start uniform in [−5, 5]^d, σ0 = 2, at most 1e6 evaluations) to 1e-8 in all
// 11 seeds. Reference medians: a plain restart loop around minimize, 260k / 178k / 117k; pycma's
// IPOP-CMA-ES, 85k. The 33 runs take about 2 s here, so this is in the normal suite.
import { describe, expect, it } from "vitest";
import { minimize } from "../../src/drivers/minimize";
import { checkBipop, rastrigin, restartRuns, runLog } from "./rastrigin";

describe("IPOP restarts: Rastrigin d = 10, 11 seeds", () => {
  for (const [method, plain] of [["csa", 260e3], ["xnes", 178e3], ["rmes", 117e3]] as const) {
    it(`${method}: every seed reaches 1e-8 within 1e6 evaluations; median within 1.25× of the plain restart loop's ${plain / 1e3}k`, () => {
      const r = restartRuns(method, "ipop", 10, 11, 1e6);
      console.log(`IPOP ${method}: median ${r.median} evaluations, restarts ${r.runs.map((x) => x.restarts).join(",")}, ${r.seconds.toFixed(1)} s`);
      for (const x of r.runs) expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
      expect(r.median).toBeLessThan(1.25 * plain);
    }, 600_000);
  }
});

// Issue 10's BIPOP on Rastrigin d = 10 with the driver's default maxRestarts (9), which counts the
// large-population restarts only, as pycma's `restarts` with bipop=True. The median against pycma's
// figure needs more than 11 seeds (test/slow/cma.slow.test.ts: seeds 1..101); here, every seed is solved,
// with more runs than maxRestarts, and one seed's runs follow pycma's schedule.
describe("BIPOP CMA-ES: Rastrigin d = 10, 11 seeds, default maxRestarts", () => {
  it("every seed reaches 1e-8 within 1e6 evaluations, with small runs on top of at most 9 large restarts", () => {
    const r = restartRuns("cma", "bipop", 10, 11, 1e6, null);
    console.log(`BIPOP cma: median ${r.median} evaluations (pycma 82,720), restarts ${r.runs.map((x) => x.restarts).join(",")}, ${r.seconds.toFixed(1)} s`);
    for (const x of r.runs) {
      expect(x.f, `seed ${x.seed}`).toBeLessThanOrEqual(1e-8);
      expect(x.stopReason, `seed ${x.seed}`).toBe("target");
    }
    // more restarts than maxRestarts ran: the small ones do not count
    expect(Math.max(...r.runs.map((x) => x.restarts))).toBeGreaterThan(9);
    const log = runLog();
    minimize(rastrigin, { method: "cma", sigma: 2, seed: 3, target: 1e-8, maxEvaluations: 1e6, restarts: { kind: "bipop", lower: new Array(10).fill(-5), upper: new Array(10).fill(5) }, onGeneration: log.onGeneration });
    const regimes = checkBipop(log.runs, 10, (ok, what) => expect(ok, what).toBe(true));
    expect(regimes.filter((x) => x === "large").length).toBeLessThanOrEqual(10);
  }, 600_000);
});
