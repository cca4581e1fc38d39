/**
 * minimize(f, options): a thin driver over ask/tell. Synchronous when f is; when f returns a Promise
 * the whole call returns a Promise, and each generation's evaluations are awaited together.
 */
import type { GenerationInfo, StopReason, Strategy } from "./base.js";
import { describe, fail, isThenable } from "./check.js";
import { strategies } from "./registry.js";

export interface MinimizeOptions {
  /** Which strategy. Default 'csa'. */
  method?: "csa" | "xnes" | "rmes" | "simple" | "openai";
  /** Called after every generation; return `false` to stop (stopReason "callback"). */
  onGeneration?: (info: GenerationInfo) => boolean | void;
  /** Stop once this many evaluations were made (checked between generations). Default Infinity: the run then ends on target, maxTime, tolFun, tolX or sigmaCollapse. */
  maxEvaluations?: number;
  [option: string]: unknown;
}

export interface MinimizeResult {
  /** best point found (a copy) */
  x: Float64Array;
  f: number;
  evaluations: number;
  generations: number;
  /** the first reason that fired ("callback" when onGeneration returned false) */
  stopReason: StopReason | "callback";
  /** all reasons that fired */
  stopReasons: (StopReason | "callback")[];
  /** per generation: best f of the generation, mean f of the generation, σ after the update */
  history: { bestF: number[]; meanF: number[]; sigma: number[] };
}

/** f gets a view of the candidate in the optimizer's memory (no copy): copy it if you keep it. */
type Fitness = (x: Float64Array) => number | PromiseLike<number>;

export function minimize(f: (x: Float64Array) => number, options: MinimizeOptions): MinimizeResult;
export function minimize(f: (x: Float64Array) => PromiseLike<number>, options: MinimizeOptions): Promise<MinimizeResult>;
export function minimize(f: Fitness, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult>;
export function minimize(f: Fitness, options: MinimizeOptions): MinimizeResult | Promise<MinimizeResult> {
  if (typeof f !== "function") fail("type", "minimize(f):", "f must be a function");
  if (options === null || typeof options !== "object") fail("type", "minimize(f, options):", "options must be an object");
  const { method = "csa", onGeneration, ...rest } = options;
  const Cls = Object.prototype.hasOwnProperty.call(strategies, method as string) ? strategies[method as string] : undefined;
  if (!Cls) fail("range", `minimize: option "method"`, `must be one of ${Object.keys(strategies).map((k) => `'${k}'`).join(", ")}, got ${String(method)}`);
  if (onGeneration !== undefined && typeof onGeneration !== "function") fail("type", `minimize: option "onGeneration"`, "must be a function");
  const opt = new Cls(rest);
  try {
    return drive(opt, f, onGeneration);
  } catch (e) {
    opt.dispose();
    throw e;
  }
}

function drive(opt: Strategy, f: Fitness, onGen?: (i: GenerationInfo) => boolean | void): MinimizeResult | Promise<MinimizeResult> {
  const history = { bestF: [] as number[], meanF: [] as number[], sigma: [] as number[] };
  const fit = new Float64Array(opt.popSize);
  let halted = false;

  // f must give a number (NaN is allowed: the worst value); anything else would be coerced silently
  const value = (v: unknown, i: number): number =>
    typeof v === "number" ? v : fail("type", "minimize(f):", `f must return a number (or a Promise of one), got ${describe(v)} for row ${i}`);

  const after = (): void => {
    const info = opt.tell(fit);
    history.bestF.push(info.bestF);
    history.meanF.push(info.meanF);
    history.sigma.push(info.sigma);
    if (onGen && onGen(info) === false) halted = true;
  };
  const finish = (): MinimizeResult => {
    const reasons: (StopReason | "callback")[] = halted ? ["callback"] : opt.shouldStop();
    const b = opt.best;
    const r = { x: b.x, f: b.f, evaluations: opt.evaluations, generations: opt.generation, stopReason: reasons[0], stopReasons: reasons, history };
    opt.dispose();
    return r;
  };

  async function rest(pending: PromiseLike<number>[], from: number, n: number, pop: { row(i: number): Float64Array }): Promise<MinimizeResult> {
    try {
      for (let i = from; i < n; i++) pending.push(f(pop.row(i)) as PromiseLike<number>);
      const vals = await Promise.all(pending);
      for (let i = 0; i < n; i++) fit[i] = value(vals[i], i);
      after();
      while (!halted && opt.shouldStop().length === 0) {
        const p = opt.ask();
        const vals = await Promise.all(Array.from({ length: p.count }, (_, i) => f(p.row(i))));
        for (let i = 0; i < p.count; i++) fit[i] = value(vals[i], i);
        after();
      }
      return finish();
    } catch (e) {
      opt.dispose();
      throw e;
    }
  }

  while (!halted && opt.shouldStop().length === 0) {
    const pop = opt.ask();
    const n = pop.count;
    for (let i = 0; i < n; i++) {
      const v = f(pop.row(i));
      if (isThenable(v)) {
        const pending: PromiseLike<number>[] = [];
        for (let j = 0; j < i; j++) pending.push(Promise.resolve(fit[j]));
        pending.push(v);
        return rest(pending, i + 1, n, pop);
      }
      fit[i] = value(v, i);
    }
    after();
  }
  return finish();
}
