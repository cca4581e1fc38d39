/**
 * minimize(f, options): a thin driver over ask/tell (the loop is drivers/evaluate.ts). Synchronous
 * when f is; when f returns a Promise the whole call returns a Promise, and each generation's
 * evaluations are awaited together. With `restarts`, runs IPOP, BIPOP or PyPop7's rule over the
 * strategy (drivers/restarts.ts). With a fitness module and `workers` > 1, evaluates on a worker pool
 * (drivers/pool.ts), one block of rows per worker and generation.
 */
import type { GenerationInfo, StopReason } from "../contract/strategy.js";
import { fail, num } from "../check.js";
import { strategies, type Method, type OptionsOfMethod, type StrategyClass } from "../registry.js";
import { drive, generations, type Evaluator, type Limits, type LoopEnd } from "./evaluate.js";
import { loadFitness, openPool, type FitnessModule } from "./pool.js";
import { restartOptions, restarts, type RestartOptions } from "./restarts.js";

export type { FitnessModule } from "./pool.js";

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
export type { RestartOptions } from "./restarts.js";

/** What minimize adds to the strategy's own options. */
export interface DriverOptions {
  /** Called after every generation; return `false` to stop (stopReason "callback"). */
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
}

// `method` and the strategy's options, from the registry: a discriminated union, so a misspelt or
// foreign option, a missing mean or a mean of the wrong type is a compile error (and a run-time one).
type MethodOptions = { [K in Method]: { /** Which strategy (a key of `strategies`). Default 'csa'. */ method: K } & OptionsOfMethod<K> }[Method];
type WithMethod = MethodOptions | ({ method?: undefined } & OptionsOfMethod<"csa">);
// with a restart box, the mean may be omitted: the first run starts from a uniform draw in the box
type Boxed<T> = T extends unknown ? Omit<T, "mean"> & { mean?: ArrayLike<number>; restarts: RestartOptions & { lower: ArrayLike<number>; upper: ArrayLike<number> } } : never;

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
  /** per generation: best f of the generation, mean f of the generation, σ after the update (over all restarts) */
  history: { bestF: number[]; meanF: number[]; sigma: number[] };
  /** restarts that ran (0 without `restarts`) */
  restarts: number;
}

/** f gets a view of a copy of the candidate, valid until the generation is told: copy it if you keep it (writing into it changes nothing). */
type Fitness = (x: Float64Array) => number | PromiseLike<number>;

export function minimize(f: (x: Float64Array) => number, options: MinimizeOptions): MinimizeResult;
export function minimize(f: (x: Float64Array) => PromiseLike<number>, options: MinimizeOptions): Promise<MinimizeResult>;
export function minimize(f: FitnessModule, options: MinimizeOptions): Promise<MinimizeResult>;
export function minimize(f: Fitness | FitnessModule, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult>;
export function minimize(f: Fitness | FitnessModule, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult> {
  const isModule = f !== null && typeof f === "object" && "module" in f;
  if (typeof f !== "function" && !isModule) fail("type", "minimize(f):", "f must be a function, or { module: url, name } (a fitness module)");
  if (options === null || typeof options !== "object") fail("type", "minimize(f, options):", "options must be an object");
  const t0 = now();
  const { method = "csa", onGeneration, restarts: rs, workers: w, timeout: to, ...rest } = options as DriverOptions & { method?: string } & Record<string, unknown>;
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

  const history = { bestF: [] as number[], meanF: [] as number[], sigma: [] as number[] };
  const onGen = (info: GenerationInfo): boolean | void => {
    history.bestF.push(info.bestF);
    history.meanF.push(info.meanF);
    history.sigma.push(info.sigma);
    return onGeneration?.(info);
  };
  const finish = (x: Float64Array, fx: number, evaluations: number, gens: number, reasons: LoopEnd[], nr: number): MinimizeResult => {
    const stopReasons = reasons.filter((r): r is StopReason | "callback" | "restart" => r !== "halt");
    return { x, f: fx, evaluations, generations: gens, stopReason: stopReasons[0], stopReasons, history, restarts: nr };
  };

  // One run, or restarts; both as a driver generator, pumped through the evaluator.
  function* steps() {
    if (R) {
      const r = yield* restarts({ Cls: Cls!, options: rest, restarts: R, loop: { onGeneration: onGen } });
      return finish(r.best.x ?? new Float64Array(0), r.best.f, r.evaluations, r.generations, r.reasons, r.restarts);
    }
    const opt = new Cls!(rest);
    try {
      const reasons = yield* generations(opt, { onGeneration: onGen });
      const b = opt.best;
      return finish(b.x, b.f, opt.evaluations, opt.generation, reasons, 0);
    } finally {
      opt.dispose();
    }
  }
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
