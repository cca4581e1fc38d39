// Shared by the restart tests: Rastrigin, and a runner for minimize with restarts from a uniform box.
import { minimize, type MinimizeOptions } from "../../src/drivers/minimize";

export const rastrigin = (x: Float64Array): number => {
  let s = 10 * x.length;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i] - 10 * Math.cos(2 * Math.PI * x[i]);
  return s;
};

/**
 * minimize over seeds 1..seeds, every start uniform in [−5, 5]^d, σ0 = 2, target 1e-8; maxRestarts 30
 * unless given (null: the driver's default).
 */
export function restartRuns(method: "csa" | "xnes" | "rmes" | "cma", kind: "ipop" | "bipop" | "pypop7", d: number, seeds: number, maxEvaluations: number, maxRestarts: number | null = 30) {
  const t0 = performance.now();
  const runs = [];
  for (let seed = 1; seed <= seeds; seed++) {
    // (a union-valued `method` cannot pick one member of the options union: say which type it is)
    const r = minimize(rastrigin, {
      method, sigma: 2, seed, target: 1e-8, maxEvaluations,
      restarts: { kind, ...(maxRestarts === null ? {} : { maxRestarts }), lower: new Array(d).fill(-5), upper: new Array(d).fill(5) },
    } as MinimizeOptions);
    runs.push({ seed, evaluations: r.evaluations, f: r.f, restarts: r.restarts, stopReason: r.stopReason });
  }
  const ev = runs.map((r) => r.evaluations).sort((a, b) => a - b);
  return { runs, median: ev[Math.floor(ev.length / 2)], seconds: (performance.now() - t0) / 1000 };
}
