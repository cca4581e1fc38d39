/*
 * Restarts over any strategy of the registry: IPOP, BIPOP and PyPop7's rule. A restart is a fresh
 * strategy (the registry's class) with a new population size, seeded from the previous optimizer's
 * generator, from a new mean drawn uniformly in [lower, upper] with that generator (or from the
 * initial mean when no box is given). The budget (maxEvaluations), maxTime and the target count over
 * all restarts; the best point is kept over all of them.
 *
 * see:
 * - IPOP: A. Auger, N. Hansen, "A restart CMA evolution strategy with increasing population size",
 *   CEC 2005: after each run that stops by itself (tolFun, tolX, σ collapse), λ ← λ · popSizeFactor;
 *   the k-th restart has λ = ⌊λ0 · popSizeFactor^k⌋ where λ0 is the default λ unrounded, 4 + 3 ln d,
 *   when popSize was not given and the strategy's default is 4 + ⌊3 ln d⌋ (pycma's fmin multiplies its
 *   unrounded popsize option: 10, 21, 43, 87, 174, … at d = 10), else the first run's λ.
 * - BIPOP: N. Hansen, "Benchmarking a BI-population CMA-ES on the BBOB-2009 function testbed", GECCO
 *   2009 (workshop), with the schedule of pycma 4.4.0's fmin (cma/evolution_strategy.py, `bipop=True`),
 *   which the reference figures come from. The first run (default λ0, σ0) is booked on the small
 *   budget B_s; each restart is small while B_s < max(1, B_l) (B_l: evaluations of the large runs so
 *   far), else large. So the first restart is always large. Large: λ = ⌊λ0 · popSizeFactor^(n_l)⌋,
 *   n_l the large restarts so far, this one included (λ0 as for IPOP), and σ0. Small: λ_s =
 *   ⌊λ0 · (λ_l/λ0)^(U²)⌋ with λ_l = λ0 · popSizeFactor^(n_l) the latest large run's (pycma has no ½
 *   here, unlike the paper's (½ λ_l/λ0)^(U²)), σ_s = σ0 · 10^(−2U'), U, U' uniform in [0, 1), and at most
 *   ⌈min(G0, ½ B_l/λ_s)⌉ generations, where G0 = 100 + ⌊150 (d + 3)²/√λ0⌋ is pycma's default maxiter
 *   for λ0 (the paper: half the evaluations of the latest large run; pycma: half of all large runs').
 *   maxRestarts counts the large restarts only (pycma: `irun - runs_with_small > restarts`); the small
 *   runs come on top.
 * - PyPop7's rule (pypop7/optimizers/es/es.py restart_reinitialize, ALGORITHMS.md §1.5): after each
 *   generation L.append(min(min(y), L[-1])); restart when σ < sigmaThreshold or (len(L) ≥ stagnation
 *   and L[-stagnation] − L[-1] < fitnessDiff); each restart doubles λ (popSizeFactor), and f(mean) is
 *   evaluated at every start (it counts as an evaluation and can be the best) unless the run says
 *   evaluateMean: false (PyPop7's CMAES, SEPCMAES and LMMAES evaluate no mean).
 */
import type { GenerationInfo, StopReason, Strategy } from "../contract/strategy.js";
import { fail, num, oneOf, vec } from "../check.js";
import { defaultPopSize } from "../contract/defaults.js";
import { ln } from "../math.js";
import type { StrategyClass } from "../registry.js";
import { Deadline, generations, single, type Batch, type LoopEnd, type LoopOptions } from "./evaluate.js";

/** `restarts` in minimize's options. */
export interface RestartOptions {
  /** 'ipop' (Auger & Hansen 2005), 'bipop' (Hansen 2009) or 'pypop7' (PyPop7's rule). Required. */
  kind: "ipop" | "bipop" | "pypop7";
  /**
   * Restarts at most (the first run is not one). For 'bipop' only the large-population restarts count
   * (as pycma's `restarts` with `bipop=True`, Hansen 2009): the small-population runs are interleaved by
   * budget between them, so a BIPOP run makes maxRestarts large restarts plus the small ones in between
   * (the driver stops once the maxRestarts-th large restart has ended). Default 9 for 'ipop' and 'bipop',
   * Infinity for 'pypop7' (as PyPop7: until the budget ends).
   */
  maxRestarts?: number;
  /** λ is multiplied by this at each (large-regime) restart. Default 2. */
  popSizeFactor?: number;
  /** Lower corner of the box new means are drawn from (with `upper`); also the first mean when no mean is given. Default: none (restarts start from the initial mean). */
  lower?: ArrayLike<number>;
  /** Upper corner of that box. Default: none. */
  upper?: ArrayLike<number>;
  /** 'pypop7': restart when σ < this. Default 1e-12. */
  sigmaThreshold?: number;
  /** 'pypop7': the stagnation window in generations. Default ⌊10 + ⌈30d/λ0⌉⌋. */
  stagnation?: number;
  /** 'pypop7': restart when the best value improved by less than this over the window. Default 1e-12. */
  fitnessDiff?: number;
}

const KEYS = ["kind", "maxRestarts", "popSizeFactor", "lower", "upper", "sigmaThreshold", "stagnation", "fitnessDiff"] as const;

export interface ResolvedRestarts {
  kind: "ipop" | "bipop" | "pypop7";
  maxRestarts: number;
  popSizeFactor: number;
  box: [Float64Array, Float64Array] | null;
  sigmaThreshold: number;
  stagnation: number | undefined;
  fitnessDiff: number;
}

/** Checks `restarts` (TypeError/RangeError naming the option). */
export function restartOptions(v: unknown): ResolvedRestarts {
  if (v === null || typeof v !== "object" || Array.isArray(v)) fail("type", `option "restarts"`, "must be an object { kind: 'ipop' | 'bipop' | 'pypop7', ... }");
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!(KEYS as readonly string[]).includes(k)) fail("type", `option "restarts"`, `got an unknown option "${k}"; known options: ${KEYS.join(", ")}`);
  if (o.kind === undefined) fail("type", `option "restarts.kind"`, "is required: 'ipop', 'bipop' or 'pypop7'");
  const kind = oneOf("restarts.kind", o.kind, "ipop", ["ipop", "bipop", "pypop7"] as const);
  let box: [Float64Array, Float64Array] | null = null;
  if (o.lower !== undefined || o.upper !== undefined) {
    if (o.lower === undefined || o.upper === undefined) fail("type", `option "restarts.lower"`, "and restarts.upper must be given together");
    const lo = vec("restarts.lower", o.lower), hi = vec("restarts.upper", o.upper, lo.length);
    for (let i = 0; i < lo.length; i++) if (!(lo[i] <= hi[i])) fail("range", `option "restarts.lower"`, `must be <= restarts.upper elementwise (index ${i}: ${lo[i]} > ${hi[i]})`);
    box = [lo, hi];
  }
  return {
    kind,
    maxRestarts: num("restarts.maxRestarts", o.maxRestarts, kind === "pypop7" ? Infinity : 9, { min: 0, integer: true, infinite: true }),
    popSizeFactor: num("restarts.popSizeFactor", o.popSizeFactor, 2, { min: 1 }),
    box,
    sigmaThreshold: num("restarts.sigmaThreshold", o.sigmaThreshold, 1e-12, { min: 0, infinite: true }),
    stagnation: o.stagnation === undefined ? undefined : num("restarts.stagnation", o.stagnation, 0, { min: 1, integer: true, infinite: true }),
    fitnessDiff: num("restarts.fitnessDiff", o.fitnessDiff, 1e-12, { infinite: true }),
  };
}

/** What a restart run gives back. */
export interface RestartResult {
  best: { x: Float64Array | null; f: number };
  evaluations: number;
  generations: number;
  /** restarts that ran (the first run is not one), of both regimes for 'bipop' */
  restarts: number;
  /** why the last run ended */
  reasons: (LoopEnd | "restart")[];
}

/** One start, as the hooks see it. */
export interface StartInfo {
  /** 0 for the first run, k for the k-th restart */
  index: number;
  popSize: number;
  mean: Float64Array;
  /** f(mean) ('pypop7' only) */
  meanF?: number;
  /** 'bipop': which regime this run is in */
  regime?: "large" | "small";
}

export interface RestartRun {
  Cls: StrategyClass;
  /** The strategy's options (mean optional when restarts has a box). maxEvaluations, maxTime and target count over all runs. */
  options: Record<string, unknown>;
  restarts: ResolvedRestarts;
  /** Loop hooks, for every run (halt, onValue, onGeneration, pointwise, points, beforeTell). */
  loop?: Omit<LoopOptions, "stop" | "maxGenerations">;
  /** Extra strategy options for a start (e.g. a face's own doubling), merged last. */
  startOptions?: (start: StartInfo) => Record<string, unknown>;
  /** Called when a run is about to start (after its strategy is built). */
  onStart?: (s: Strategy, start: StartInfo) => void;
  /** Called when a run ends with a restart ahead (before its strategy is disposed). */
  onRestart?: (s: Strategy, start: StartInfo) => void;
  /** 'pypop7': evaluate f(mean) at every start (PyPop7's R1ES/RMES do; its CMAES, SEPCMAES, LMMAES do not). Default true. */
  evaluateMean?: boolean;
  /** Called with the last strategy (or undefined when none was built) before it is disposed. */
  onEnd?: (s: Strategy | undefined) => void;
}

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
// reasons that end all runs (a run's own maxEvaluations may be its share only: it is checked against
// the total; a run's maxTime is always what is left of the total, and a deadline that passed during an
// evaluation ends the run with "maxTime" too)
const TERMINAL: readonly string[] = ["target", "callback", "halt", "maxTime"];

// k uniforms from a strategy's generator (asked for d at a time: one call shape for every strategy)
function uniforms(s: Strategy, k: number): number[] {
  const out: number[] = [];
  while (out.length < k) out.push(...s.uniform(s.dimension));
  return out.slice(0, k);
}
const seedFrom = (u: number): number => Math.floor(u * 2 ** 53);

/** The restart driver: a generator for `drive` (see evaluate.ts). */
export function* restarts(run: RestartRun): Generator<Batch, RestartResult, Float64Array> {
  const { Cls, restarts: R } = run;
  const o = run.options;
  const maxEvals = num("maxEvaluations", o.maxEvaluations, Infinity, { min: 0, infinite: true });
  const maxTime = num("maxTime", o.maxTime, Infinity, { min: 0, infinite: true });
  const target = o.target as number | undefined;
  const sigma0 = num("sigma", o.sigma, 1, { gt: 0 });
  const t0 = now();
  const box = R.box;
  let mean0: Float64Array | null = o.mean === undefined ? null : vec("mean", o.mean);
  if (!mean0 && !box) fail("type", `option "mean"`, "is required (or restarts.lower and restarts.upper, to draw it)");
  if (box && mean0 && mean0.length !== box[0].length) fail("range", `option "restarts.lower"`, `must have the mean's length ${mean0.length}, got ${box[0].length}`);
  const d = mean0 ? mean0.length : box![0].length;
  const draw = (s: Strategy): Float64Array => {
    const u = uniforms(s, d), [lo, hi] = box!;
    return Float64Array.from(u, (v, i) => lo[i] + v * (hi[i] - lo[i]));
  };

  let evals = 0, gens = 0, nRestarts = 0;
  // the best over all runs, in the strategy's sense (maximising strategies start at best.f = -Infinity)
  let maximize = false, bestF = Infinity, bestX: Float64Array | null = null;
  const offer = (x: Float64Array, f: number): void => {
    const v = f !== f ? (maximize ? -Infinity : Infinity) : f;
    if (bestX === null || (maximize ? v > bestF : v < bestF)) { bestF = v; bestX = x.slice(); }
  };
  let s: Strategy | undefined, prev: Strategy | undefined;
  let reasons: (LoopEnd | "restart")[] = [];
  // BIPOP's bookkeeping
  let lambda0 = 0, lambdaBase = 0, maxIter0 = Infinity, nLarge = 0, budgetLarge = 0, budgetSmall = 0;
  const base: Record<string, unknown> = { ...o };
  delete base.maxEvaluations; delete base.maxTime; delete base.mean; delete base.seed;
  const halt = run.loop?.halt;

  try {
    for (let k = 0; ; k++) {
      // The run's seed and mean: the first from the options (to draw a mean, from a throwaway
      // optimizer seeded with the given seed), later ones from the previous optimizer's generator.
      let seed: unknown = o.seed, mean: Float64Array, u: number[] = [];
      if (k === 0 && mean0) {
        mean = mean0;
      } else {
        const gen = prev ?? new Cls({ ...base, mean: box![0].map((v, i) => 0.5 * (v + box![1][i])), seed: o.seed });
        prev = undefined;
        try {
          mean = box ? draw(gen) : mean0!.slice();
          u = uniforms(gen, 3);
        } finally {
          gen.dispose();
        }
        seed = seedFrom(u[0]);
      }
      // population size, σ and budget of this run
      let popSize = o.popSize as number | undefined, sigma = o.sigma as number | undefined;
      let runBudget = maxEvals - evals;
      // BIPOP: the first run is "large" (λ0, σ0) but booked on the small budget, as pycma's fmin
      let regime: "large" | "small" | undefined = R.kind === "bipop" ? "large" : undefined;
      if (k > 0) {
        if (R.kind === "bipop" && budgetSmall < Math.max(1, budgetLarge)) {
          regime = "small";
          popSize = Math.max(2, Math.floor(lambdaBase * (R.popSizeFactor ** nLarge) ** (u[1] * u[1])));
          sigma = sigma0 * 10 ** (-2 * u[2]);
          // pycma's maxiter for a small run: min(maxiter0, ½ B_l/λ_s) generations, ended once reached
          const gens = Math.ceil(Math.min(maxIter0, (0.5 * budgetLarge) / popSize));
          runBudget = Math.min(runBudget, Math.max(1, gens) * popSize);
        } else {
          popSize = Math.floor(lambdaBase * R.popSizeFactor ** (R.kind === "bipop" ? ++nLarge : k));
        }
        popSize = Math.min(Math.max(popSize, 2), 1 << 20);
      }

      const start: StartInfo = { index: k, popSize: popSize ?? 0, mean, regime };
      if (R.kind === "pypop7" && run.evaluateMean !== false) {
        // f(mean) is an evaluation of its own (PyPop7's initialize)
        if (halt?.()) { reasons = ["halt"]; break; }
        if (evals >= maxEvals) { reasons = ["maxEvaluations"]; break; }
        // a copy: a fitness that writes into its x changes neither the start nor the best point
        let y: number;
        try {
          y = (yield single(mean.slice()))[0];
        } catch (e) {
          if (e instanceof Deadline) { reasons = ["maxTime"]; break; }
          throw e;
        }
        evals++;
        run.loop?.onValue?.(mean, y, -1);
        offer(mean, y);
        start.meanF = y;
        runBudget = maxEvals - evals;
      }
      s = new Cls({
        ...base,
        ...(popSize !== undefined ? { popSize } : {}),
        ...(sigma !== undefined ? { sigma } : {}),
        mean,
        seed,
        ...(Number.isFinite(runBudget) ? { maxEvaluations: Math.max(0, runBudget) } : {}),
        ...(Number.isFinite(maxTime) ? { maxTime: Math.max(0, maxTime - (now() - t0)) } : {}),
        ...run.startOptions?.(start),
      });
      if (k === 0) {
        lambda0 = s.popSize;
        // the λ that IPOP and BIPOP multiply: the default 4 + ⌊3 ln d⌋ unrounded, 4 + 3 ln d, as pycma's
        // fmin multiplies its popsize option (at d = 10: 21, 43, 87, 174, … rather than 20, 40, 80, 160);
        // a given popSize (or another strategy default) as it is; PyPop7's rule doubles the integer λ
        lambdaBase = R.kind !== "pypop7" && o.popSize === undefined && lambda0 === defaultPopSize(d) ? 4 + 3 * ln(d) : lambda0;
        // pycma's default maxiter for that λ, 100 + 150 (d + 3)²//√λ0: caps BIPOP's small runs
        maxIter0 = 100 + Math.floor((150 * (d + 3) ** 2) / Math.sqrt(lambdaBase));
        maximize = s.best.f === -Infinity;
        if (maximize && bestX === null) bestF = -Infinity;
      }
      start.popSize = s.popSize;
      run.onStart?.(s, start);

      // the run
      const stop = runStop(s, R, lambda0);
      const onGen = run.loop?.onGeneration;
      const loop: LoopOptions = { ...run.loop, stop: stop.check, onGeneration: (info, values) => { stop.record(info); gens++; return onGen?.(info, values); } };
      const before = s.evaluations;
      const ended = yield* generations(s, loop);
      const used = s.evaluations - before;
      evals += used;
      if (regime === "small" || (regime === "large" && k === 0)) budgetSmall += used;
      else if (regime === "large") budgetLarge += used;
      if (s.evaluations > 0) { const b = s.best; offer(b.x, b.f); }
      reasons = ended;

      // what next: the end, or a restart
      const reached = target !== undefined && bestX !== null && (maximize ? bestF >= target : bestF <= target);
      if (ended.length === 0 || ended.some((r) => TERMINAL.includes(r)) || evals >= maxEvals || now() - t0 >= maxTime || reached) {
        if (evals >= maxEvals && !ended.includes("maxEvaluations")) reasons = ["maxEvaluations", ...ended];
        if (reached && !ended.includes("target")) reasons = ["target", ...reasons];
        break;
      }
      // BIPOP counts only the large-regime restarts (pycma's fmin: `irun - runs_with_small > restarts`);
      // the small runs in between are bounded by the budget rule, not by maxRestarts
      if ((R.kind === "bipop" ? nLarge : nRestarts) >= R.maxRestarts) break;
      if (halt?.()) { reasons = ["halt"]; break; }
      run.onRestart?.(s, start);
      nRestarts++;
      prev = s;
      s = undefined;
    }
    run.onEnd?.(s);
    return { best: { x: bestX, f: bestF }, evaluations: evals, generations: gens, restarts: nRestarts, reasons };
  } finally {
    s?.dispose();
    prev?.dispose();
  }
}

/**
 * The stop test of one run: the strategy's own reasons for IPOP and BIPOP; for PyPop7's rule its
 * terminations (budget, time, target, σ collapse) and the rule itself ("restart").
 */
function runStop(s: Strategy, R: ResolvedRestarts, lambda0: number) {
  if (R.kind !== "pypop7") {
    return { check: () => s.shouldStop() as (StopReason | "restart")[], record: (_i: GenerationInfo) => {} };
  }
  const stagnation = R.stagnation ?? Math.floor(10 + Math.ceil((30 * s.dimension) / lambda0));
  // PyPop7's list L, of which the rule reads L[-stagnation] and L[-1]: its last `stagnation` entries in
  // a ring (the list itself grows by one per generation for as long as the run lasts). `len` is len(L).
  // The ring grows by doubling up to `stagnation` (which may be huge), so it never wraps before then.
  const cap = Number.isFinite(stagnation) ? stagnation : 1;
  let L = new Float64Array(Math.min(cap, 1024));
  L[0] = Infinity;
  let len = 1;
  let fired = false;
  const keep: readonly string[] = ["maxEvaluations", "maxTime", "target", "sigmaCollapse"];
  return {
    check: (): (StopReason | "restart")[] => {
      const r: (StopReason | "restart")[] = s.shouldStop().filter((x) => keep.includes(x));
      if (fired) r.push("restart");
      return r;
    },
    record: (info: GenerationInfo): void => {
      if (len === L.length && len < cap) {
        const grown = new Float64Array(Math.min(cap, 2 * len));
        grown.set(L);
        L = grown;
      }
      const n = L.length, mn = info.bestF, last = L[(len - 1) % n];
      L[len % n] = mn < last ? mn : last;
      len++;
      fired = info.sigma < R.sigmaThreshold || (len >= stagnation && L[(len - stagnation) % n] - L[(len - 1) % n] < R.fitnessDiff);
    },
  };
}
