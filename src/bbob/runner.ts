/**
 * The BBOB benchmark runner: strategies × functions × dimensions × instances, each run with a budget of
 * `budget · d` evaluations, through the public ask/tell interface of evostrat's strategies, restarting
 * (IPOP: λ doubled, a new mean) when a strategy stops before the budget or the final target. Each run is
 * logged as COCO's bbob logger would (./coco-log.ts) and summarised by the evaluations at which it first
 * reached each of the 51 targets 10^2 … 10^−8 (what the ECDF figures and the ERT table are made of).
 *
 * Pure: no file system, no timers but the clock; `evostrat-bbob` (./cli.ts) writes the files, resumes
 * and shows progress.
 */
import { strategies } from "../index.js";
import { CocoRunLog } from "./coco-log.js";
import { problem, problemId, type Suite } from "./index.js";

/** The targets f − f_opt of the figures: 10^2, 10^1.8, …, 10^−8 (51). */
export const TARGETS: readonly number[] = Array.from({ length: 51 }, (_, k) => Math.pow(10, 2 - k / 5));

export interface RunOptions {
  /** strategy name in the registry (`strategies`). Required. */
  strategy: string;
  /** 'bbob' or 'bbob-largescale'. Required. */
  suite: Suite;
  /** the function, 1–24. Required. */
  fid: number;
  /** COCO's instance number. Required. */
  instance: number;
  /** the dimension. Required. */
  d: number;
  /** evaluations per dimension (the run stops after budget · d evaluations). Default 1000. */
  budget?: number;
  /** IPOP restarts until the budget is spent or f − f_opt < 1e-8. Default true. */
  restarts?: boolean;
  /** base seed; each (strategy, problem) derives its own. Default 1. */
  seed?: number;
}

export interface RunRecord {
  strategy: string;
  suite: Suite;
  fid: number;
  instance: number;
  d: number;
  id: string;
  budget: number;
  evaluations: number;
  /** best f − f_opt */
  best: number;
  /** evaluations at which best f − f_opt first reached TARGETS[k] (−1: never) */
  hits: number[];
  restarts: number;
  seconds: number;
  /** COCO's files' content for this run (./coco-log.ts; `mdat` is absent in records written before it was) */
  coco: { dat: string; tdat: string; rdat: string; mdat?: string };
}

/** A 32-bit FNV-1a hash of a string: each (strategy, problem, seed) gets its own stream (and report.ts's bootstrap a seed per target). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** xorshift32 for the restart means (the strategies keep their own generators). */
function uniform(seed: number): () => number {
  let s = seed || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** One run: a strategy on one problem instance. */
export function runOne(o: RunOptions): RunRecord {
  const { strategy, suite, fid, instance, d } = o;
  const budget = o.budget ?? 1000;
  const Cls = strategies[strategy];
  if (!Cls) throw new RangeError(`evostrat-bbob: unknown strategy "${strategy}"; known: ${Object.keys(strategies).join(", ")}`);
  const p = problem(suite, fid, instance, d);
  const log = new CocoRunLog(d, p.fOpt);
  const maxEvals = Math.max(1, Math.floor(budget * d));
  const hits = TARGETS.map(() => -1);
  let next = 0; // the first target not reached yet
  const seed = fnv1a(`${strategy}/${p.id}/${o.seed ?? 1}`);
  const rnd = uniform(seed);
  const t0 = performance.now();
  let restarts = 0;
  let popSize: number | undefined;
  const done = () => log.evaluations >= maxEvals || next === TARGETS.length;
  while (!done()) {
    const mean = Float64Array.from({ length: d }, () => 8 * rnd() - 4);
    const opt = new Cls({ mean, sigma: 2, seed: seed + restarts, ...(popSize ? { popSize } : {}) });
    try {
      popSize = opt.popSize;
      const fit = new Float64Array(opt.popSize);
      if (restarts > 0) log.restart();
      while (!done()) {
        const pop = opt.ask();
        for (let i = 0; i < pop.count; i++) {
          if (log.evaluations >= maxEvals) {
            fit[i] = NaN; // beyond the budget: never evaluated, the worst value
            continue;
          }
          const x = pop.row(i);
          const y = p.f(x);
          fit[i] = y;
          log.observe(x, y);
          const delta = log.best - p.fOpt;
          while (next < TARGETS.length && delta <= TARGETS[next]) hits[next++] = log.evaluations;
        }
        opt.tell(fit);
        if (done()) break;
        if (opt.shouldStop().length > 0) break;
      }
    } finally {
      opt.dispose();
    }
    if (o.restarts === false) break;
    if (!done()) {
      restarts++;
      popSize = (popSize ?? 4) * 2;
      if (popSize > 1 << 20) break;
    }
  }
  log.finish();
  return {
    strategy,
    suite,
    fid,
    instance,
    d,
    id: problemId(suite, fid, instance, d),
    budget,
    evaluations: log.evaluations,
    best: log.best - p.fOpt,
    hits,
    restarts,
    seconds: (performance.now() - t0) / 1000,
    coco: { dat: log.dat, tdat: log.tdat, rdat: log.rdat, mdat: log.mdat },
  };
}

/** A benchmark: every strategy on every (function, dimension, instance) of a suite. */
export interface BenchmarkOptions {
  /** strategy names in the registry (`strategies`). Required. */
  strategies: string[];
  /** 'bbob' or 'bbob-largescale'. Default 'bbob'. */
  suite?: Suite;
  /** the functions, 1–24. Default all 24. */
  functions?: number[];
  /** the dimensions. Required. */
  dims: number[];
  /** COCO's instance numbers. Required. */
  instances: number[];
  /** evaluations per dimension (each run stops after budget · d evaluations). Default 1000. */
  budget?: number;
  /** IPOP restarts until the budget is spent or f − f_opt < 1e-8. Default true. */
  restarts?: boolean;
  /** base seed; each (strategy, problem) derives its own. Default 1. */
  seed?: number;
}

/** Every (strategy, function, dimension, instance) of a benchmark, in the order they run. */
export function plan(o: BenchmarkOptions): RunOptions[] {
  const out: RunOptions[] = [];
  const suite = o.suite ?? "bbob";
  for (const strategy of o.strategies)
    for (const d of o.dims)
      for (const fid of o.functions ?? Array.from({ length: 24 }, (_, i) => i + 1))
        for (const instance of o.instances) out.push({ strategy, suite, fid, instance, d, budget: o.budget, restarts: o.restarts, seed: o.seed });
  return out;
}

/** Runs a whole plan in this thread; `onRun` sees each record as it finishes. */
export function runBenchmark(o: BenchmarkOptions, onRun?: (r: RunRecord, done: number, total: number) => void): RunRecord[] {
  const runs = plan(o);
  const out: RunRecord[] = [];
  for (const r of runs) {
    const rec = runOne(r);
    out.push(rec);
    onRun?.(rec, out.length, runs.length);
  }
  return out;
}

// What a benchmark's records say (the ERT table, the runtime ECDFs as SVG): the same as evostrat-bbob
// writes, for pages and scripts that run the benchmark themselves (examples/bbob/, the browser runner).
export { ecdf, ecdfFigures, ecdfSvg, ert, ertTable, simulatedRuntimes, summaryTable, type EcdfOptions, type RuntimeRun } from "./report.js";
