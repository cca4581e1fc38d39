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

/** One run of a restart sequence as minimize's onGeneration sees it: λ (its first generation's size) and its evaluations. */
export interface Run { lambda: number; evaluations: number }

/** Collects the runs of a minimize call with restarts (pass the result to its onGeneration). */
export function runLog(): { runs: Run[]; onGeneration: (i: { generation: number; evaluations: number }) => void } {
  const runs: Run[] = [];
  return {
    runs,
    onGeneration: (i) => {
      if (i.generation === 1) runs.push({ lambda: i.evaluations, evaluations: 0 });
      runs[runs.length - 1].evaluations = i.evaluations;
    },
  };
}

/**
 * Replays pycma 4.4.0's BIPOP schedule (fmin with bipop=True) over the runs that ran and checks each
 * against it: the first run books on the small budget B_s; a restart is small while B_s < max(1, B_l);
 * a large one has λ = ⌊b · 2^n_l⌋; a small one ⌊b⌋ ≤ λ ≤ ⌊b · 2^n_l⌋ (n_l large restarts so far) and
 * at most ⌈min(G0, ½ B_l/λ)⌉ generations. b is the unrounded default λ, 4 + 3 ln d. Returns the regimes.
 */
export function checkBipop(runs: Run[], d: number, expect: (ok: boolean, what: string) => void): ("large" | "small")[] {
  const b = 4 + 3 * Math.log(d), g0 = 100 + Math.floor((150 * (d + 3) ** 2) / Math.sqrt(b));
  let bs = runs[0].evaluations, bl = 0, nl = 0;
  expect(runs[0].lambda === 4 + Math.floor(3 * Math.log(d)), `run 0: λ ${runs[0].lambda}`);
  const regimes: ("large" | "small")[] = ["large"];
  runs.slice(1).forEach((r, k) => {
    if (bs < Math.max(1, bl)) {
      regimes.push("small");
      expect(r.lambda >= Math.floor(b) && r.lambda <= Math.floor(b * 2 ** nl), `run ${k + 1} (small): λ ${r.lambda} in [${Math.floor(b)}, ${Math.floor(b * 2 ** nl)}]`);
      const gens = Math.ceil(Math.min(g0, (0.5 * bl) / r.lambda));
      expect(r.evaluations <= gens * r.lambda, `run ${k + 1} (small): ${r.evaluations} evaluations <= ${gens} generations of ${r.lambda}`);
      bs += r.evaluations;
    } else {
      regimes.push("large");
      nl++;
      expect(r.lambda === Math.floor(b * 2 ** nl), `run ${k + 1} (large): λ ${r.lambda} = ${Math.floor(b * 2 ** nl)}`);
      bl += r.evaluations;
    }
  });
  return regimes;
}
