/*
 * minimize(f, options): a thin driver over ask/tell (the loop is drivers/evaluate.ts). Synchronous
 * when f is; when f returns a Promise the whole call returns a Promise, and each generation's
 * evaluations are awaited together. With `restarts`, runs IPOP, BIPOP or PyPop7's rule over the
 * strategy (drivers/restarts.ts). With a fitness module and `workers` > 1, evaluates on a worker pool
 * (drivers/pool.ts), one block of rows per worker and generation.
 */
import type { GenerationInfo, StopReason } from "../contract/strategy.js";
import { fail, num, seedOf } from "../check.js";
import { strategies, type Method, type OptionsOfMethod, type StrategyClass } from "../registry.js";
import { drive, generations, type Evaluator, type Limits, type LoopEnd } from "./evaluate.js";
import { loadFitness, openPool, type FitnessModule } from "./pool.js";
import { restartOptions, restarts, type RestartOptions } from "./restarts.js";
import { reporter, type LogRecord } from "./report.js";
import type { Strategy } from "../contract/strategy.js";

export type { FitnessModule } from "./pool.js";

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
export type { RestartOptions } from "./restarts.js";
export type { LogRecord } from "./report.js";

/** `history.mean` keeps the mean of every generation up to this dimension (beyond, it stays empty). */
export const HISTORY_MEAN_MAX_D = 50;

/** What minimize adds to the strategy's own options. */
export interface DriverOptions {
  /** Called after every generation; return `false` to stop (stopReason "callback"). Default: none. */
  onGeneration?: (info: GenerationInfo) => boolean | void;
  /**
   * Restarts: `{ kind: 'ipop' | 'bipop' | 'pypop7', maxRestarts, popSizeFactor, lower, upper }`. With
   * lower and upper, every restart (and the first run when no mean is given) starts from a mean drawn
   * uniformly in that box from the optimizer's generator; otherwise from the initial mean. Default: none.
   * maxEvaluations, maxTime and target then count over all restarts.
   */
  restarts?: RestartOptions;
  /** With a fitness module `{ module, name }`: evaluate on this many workers. Default 1 (this thread). */
  workers?: number;
  /**
   * Seconds an asynchronous evaluation may stay pending (a generation's evaluations run together, so
   * this bounds each generation's wait; on workers, each worker's block): past it, minimize rejects
   * with an Error naming "timeout", the evaluations are abandoned and the workers terminated.
   * Default Infinity. (maxTime holds regardless: at the deadline the run ends with "maxTime".)
   */
  timeout?: number;
  /** Return the final optimizer's `save()` bytes as `result.state` (with restarts: the last run's). Default false. */
  keepState?: boolean;
  /**
   * A log file, in Node: one line per generation (LogRecord: generation, evaluations, best f, mean
   * and median f, best so far, σ, axis ratio, time, run), as JSON lines (`.jsonl`) or CSV with a
   * header (`.csv`); overwritten. Default: none.
   */
  log?: `${string}.jsonl` | `${string}.csv`;
  /** Called with every generation's LogRecord, in any runtime. Default: none. */
  logger?: (record: LogRecord) => void;
  /**
   * Print progress to stderr: one updating line on a terminal (a bar when maxEvaluations is finite),
   * plain lines (at most one a second) otherwise; console.log where there is no stderr. Default false.
   */
  progress?: boolean;
}

// `method` and the strategy's options, from the registry: a discriminated union, so a misspelt or
// foreign option, a missing mean or a mean of the wrong type is a compile error (and a run-time one).
/** `method` and that strategy's options, one member per registry key. */
export type MethodOptions = { [K in Method]: { /** Which strategy (a key of `strategies`). Default 'csa'. */ method: K } & OptionsOfMethod<K> }[Method];
/** `method` and that strategy's options; without `method`, CSA-ES's. */
export type WithMethod = MethodOptions | ({ method?: undefined } & OptionsOfMethod<"csa">);
/** With a restart box (`restarts.lower`/`upper`), the mean may be omitted: the first run starts from a uniform draw in the box. */
export type Boxed<T> = T extends unknown ? Omit<T, "mean"> & { mean?: ArrayLike<number>; restarts: RestartOptions & { lower: ArrayLike<number>; upper: ArrayLike<number> } } : never;

/** minimize's options: `method`, that strategy's options (its spec), and DriverOptions. */
export type MinimizeOptions = DriverOptions & (WithMethod | Boxed<WithMethod>);

export interface MinimizeResult {
  /** best point found (a copy) */
  x: Float64Array;
  f: number;
  evaluations: number;
  generations: number;
  /** the first reason that fired ("callback" when onGeneration returned false) */
  stopReason: StopReason | "callback" | "restart";
  /** all reasons that fired */
  stopReasons: (StopReason | "callback" | "restart")[];
  /** per generation, over all restarts (what evostrat/plot draws) */
  history: {
    /** best f of the generation */
    bestF: number[];
    /** mean of the generation's finite f values */
    meanF: number[];
    /** median of the generation's finite f values */
    medianF: number[];
    /** σ after the update */
    sigma: number[];
    /** the largest and smallest coordinate standard deviation after the update (σ·√C_ii) */
    maxStd: number[];
    minStd: number[];
    /** evaluations so far */
    evaluations: number[];
    /** the mean after the update, when d ≤ 50 (HISTORY_MEAN_MAX_D); empty otherwise */
    mean: Float64Array[];
    /** the generation index (into these arrays) at which each run started: [0] without restarts */
    starts: number[];
  };
  /** restarts that ran (0 without `restarts`) */
  restarts: number;
  /**
   * The seed of the run (drawn from crypto.getRandomValues when none was given): the same options
   * with this seed repeat the run exactly.
   */
  seed: bigint;
  /** The final mean (a copy; with restarts, the last run's). */
  mean: Float64Array;
  /** The final σ (with restarts, the last run's). */
  sigma: number;
  /** With `keepState: true`: the final optimizer's save() bytes (`X.load(state)` continues it). */
  state?: Uint8Array;
}

/** f gets a view of a copy of the candidate, valid until the generation is told: copy it if you keep it (writing into it changes nothing). */
/** A fitness function: lower is better (unless `mode: 'max'`); may return a Promise. */
export type Fitness = (x: Float64Array) => number | PromiseLike<number>;

export function minimize(f: (x: Float64Array) => number, options: MinimizeOptions): MinimizeResult;
export function minimize(f: (x: Float64Array) => PromiseLike<number>, options: MinimizeOptions): Promise<MinimizeResult>;
export function minimize(f: FitnessModule, options: MinimizeOptions): Promise<MinimizeResult>;
export function minimize(f: Fitness | FitnessModule, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult>;
export function minimize(f: Fitness | FitnessModule, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult> {
  const isModule = f !== null && typeof f === "object" && "module" in f;
  if (typeof f !== "function" && !isModule) fail("type", "minimize(f):", "f must be a function, or { module: url, name } (a fitness module)");
  if (options === null || typeof options !== "object") fail("type", "minimize(f, options):", "options must be an object");
  const t0 = now();
  const { method = "csa", onGeneration, restarts: rs, workers: w, timeout: to, keepState, log, logger, progress, ...given } = options as DriverOptions & { method?: string } & Record<string, unknown>;
  // the seed is drawn here when none is given, so the result can say which it was
  const rest: Record<string, unknown> & { seed: bigint } = { ...given, seed: seedOf(given.seed) };
  const Cls: StrategyClass | undefined = Object.prototype.hasOwnProperty.call(strategies, method) ? strategies[method as Method] : undefined;
  if (!Cls) fail("range", `minimize: option "method"`, `must be one of ${Object.keys(strategies).map((k) => `'${k}'`).join(", ")}, got ${String(method)}`);
  if (onGeneration !== undefined && typeof onGeneration !== "function") fail("type", `minimize: option "onGeneration"`, "must be a function");
  const workers = num("workers", w, 1, { min: 1, integer: true, max: 1024 });
  if (workers > 1 && !isModule) fail("type", "minimize(f):", `f must be a module, { module: url, name: "exportName" }, when workers > 1: functions cannot be sent between threads, so each worker imports the fitness from its module`);
  const R = rs === undefined ? undefined : restartOptions(rs);
  const timeout = num("timeout", to, Infinity, { gt: 0, infinite: true });
  // maxTime (checked by the strategy itself) also bounds the wait for a pending evaluation
  const maxTime = typeof rest.maxTime === "number" && rest.maxTime >= 0 ? rest.maxTime : Infinity;
  const limits: Limits = { remaining: () => maxTime - (now() - t0), timeout };
  if (keepState !== undefined && typeof keepState !== "boolean") fail("type", `minimize: option "keepState"`, "must be a boolean");

  const history: MinimizeResult["history"] = { bestF: [], meanF: [], medianF: [], sigma: [], maxStd: [], minStd: [], evaluations: [], mean: [], starts: [] };
  // the optimizer of the current run, and what the result says of the last one
  let cur: Strategy | undefined, evalsBefore = 0, nRun = -1;
  const last: { mean: Float64Array; sigma: number; state?: Uint8Array } = { mean: new Float64Array(0), sigma: NaN };
  const startRun = (s: Strategy) => {
    cur = s;
    nRun++;
    history.starts.push(history.bestF.length);
  };
  const endRun = (s: Strategy | undefined) => {
    if (!s || s.disposed) return;
    last.mean = s.mean;
    last.sigma = s.sigma;
    if (keepState) last.state = s.save();
  };
  let report: ReturnType<typeof reporter>;
  const onGen = (info: GenerationInfo): boolean | void => {
    history.bestF.push(info.bestF);
    history.meanF.push(info.meanF);
    history.medianF.push(info.medianF);
    history.sigma.push(info.sigma);
    history.maxStd.push(info.maxStd);
    history.minStd.push(info.minStd);
    history.evaluations.push(evalsBefore + info.evaluations);
    if (cur && cur.dimension <= HISTORY_MEAN_MAX_D) history.mean.push(cur.mean);
    report?.record({ ...info, evaluations: evalsBefore + info.evaluations }, nRun);
    return onGeneration?.(info);
  };
  const finish = (x: Float64Array, fx: number, evaluations: number, gens: number, reasons: LoopEnd[], nr: number): MinimizeResult => {
    const stopReasons = reasons.filter((r): r is StopReason | "callback" | "restart" => r !== "halt");
    const r: MinimizeResult = { x, f: fx, evaluations, generations: gens, stopReason: stopReasons[0], stopReasons, history, restarts: nr, seed: rest.seed, mean: last.mean, sigma: last.sigma };
    if (keepState) r.state = last.state;
    report?.close({ f: fx, evaluations, stopReason: stopReasons[0] });
    report = undefined;
    return r;
  };

  // One run, or restarts; both as a driver generator, pumped through the evaluator.
  function* steps() {
    try {
      if (R) {
        // evaluations of the runs before this one (history.evaluations and the log count over all runs)
        let before = 0;
        const r = yield* restarts({
          Cls: Cls!, options: rest, restarts: R, loop: { onGeneration: onGen },
          onStart: (s) => { evalsBefore = before; startRun(s); },
          onRestart: (s) => { before += s.evaluations; },
          onEnd: endRun,
        });
        return finish(r.best.x ?? new Float64Array(0), r.best.f, r.evaluations, r.generations, r.reasons, r.restarts);
      }
      const opt = new Cls!(rest);
      try {
        startRun(opt);
        const reasons = yield* generations(opt, { onGeneration: onGen });
        endRun(opt);
        const b = opt.best;
        return finish(b.x, b.f, opt.evaluations, opt.generation, reasons, 0);
      } finally {
        opt.dispose();
      }
    } finally {
      // a run that threw: close the log, end the progress line
      report?.close();
    }
  }
  const maxEvaluations = typeof rest.maxEvaluations === "number" ? rest.maxEvaluations : Infinity;
  report = reporter({ log, logger, progress, budget: maxEvaluations });
  // a module: the options are checked (the first strategy is built) before it is loaded
  if (!isModule) return drive(steps(), f as Evaluator, "minimize(f):", limits);
  const it = steps();
  const first = it.next();
  if (first.done) return Promise.resolve(first.value);
  return (async () => {
    const ev = workers > 1 ? await openPool(f as FitnessModule, workers) : await loadFitness(f as FitnessModule);
    try {
      return await drive(resume(it, first.value), "evaluateBatch" in ev ? ev : ev.fitness, "minimize(f):", limits);
    } finally {
      if ("close" in ev) await ev.close();
    }
  })().catch((e) => {
    it.return(undefined as never);
    throw e;
  });
}

// A generator that was started already: yields its first value, then delegates (values and throws:
// the deadline is thrown in at a yield).
function* resume<T, R, N>(it: Generator<T, R, N>, first: T): Generator<T, R, N> {
  let done = false;
  try {
    let r: IteratorResult<T, R> = { done: false, value: first };
    while (!r.done) {
      let v: N;
      try {
        v = yield r.value;
      } catch (e) {
        r = it.throw(e);
        continue;
      }
      r = it.next(v);
    }
    done = true;
    return r.value;
  } finally {
    if (!done) it.return(undefined as never);
  }
}
