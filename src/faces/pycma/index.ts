/**
 * evostrat/pycma: pycma's interface, `new CMAEvolutionStrategy(x0, sigma0, inopts)` with ask/tell,
 * stop(), result, disp(), optimize(f), and `fmin2(f, x0, sigma0, options, { restarts, incpopsize,
 * bipop })`, over evostrat's CMA-ES (src/strategies/cma.ts) and drivers (src/drivers).
 *
 * see: pycma 4.x (github CMA-ES/pycma) cma/evolution_strategy.py: CMAEvolutionStrategy, its result
 * fields (xbest, fbest, evals_best, evaluations, iterations, xfavorite, stds, stop), fmin2 and the
 * option names and defaults of CMAOptions (cma_default_options). Only the common options are taken
 * (SUPPORTED below); any other key, pycma's or not, is a TypeError naming it.
 *
 * Differences from pycma, on purpose:
 * - stop() returns null while no criterion holds (pycma's empty dict is falsy, a JS object never is:
 *   `while (!es.stop())` works as in Python), else the dict of the criteria that hold with their values.
 * - Random streams are evostrat's (xoshiro256++, per-row streams): runs repeat per seed but are not
 *   pycma's numbers. seed 0, null or 'time' draw a seed (pycma: "None and 0 equate to 'time'").
 * - The covariance is kept as a factor C = A Aᵀ updated in O(d²λ) (see src/strategies/cma.ts), so
 *   there is no lazy eigendecomposition; "axis ratio" in disp() is the ratio of the largest to the
 *   smallest coordinate standard deviation (a lower bound of pycma's).
 * - Lines (disp(), and optimize()/fmin2() with verbose ≥ 1) go to `logger` (default console.log).
 * - x0 may be a function (called for each start, as pycma's callable x0 in fmin2).
 */
import { CMAES } from "../../strategies/cma.js";
import type { GenerationInfo, StopReason } from "../../contract/strategy.js";
import { bool, checkKeys, describe, fail, isThenable, num, vec } from "../../check.js";
import { drive, generations } from "../../drivers/evaluate.js";
import { restartOptions, restarts } from "../../drivers/restarts.js";

/** A point: any array-like of numbers. */
export type Vector = ArrayLike<number>;
/** One side of `bounds`: a number for every coordinate, or one per coordinate (null or undefined: none). */
export type Bound = number | null | undefined | ArrayLike<number | null>;
export type ObjectiveFunction = (x: Float64Array) => number | PromiseLike<number>;

/** pycma's common options (CMAOptions), with pycma's defaults. */
export interface CMAOptions {
  /** λ. Default '4 + 3 * np.log(N)' (⌊4 + 3 ln N⌋). */
  popsize?: number;
  /** Random seed; 0, null or 'time' draw one. Default 'time'. */
  seed?: number | bigint | null | "time";
  /** [lower, upper], each null, a number or an array (null entries: unbounded); evaluated points are mapped into the box by pycma's BoundTransform (the base's boundHandling 'transform'). Default [null, null]. */
  bounds?: [Bound, Bound];
  /** Default Infinity. */
  maxfevals?: number;
  /** Default '100 + 150 * (N+3)**2 // popsize**0.5'. */
  maxiter?: number;
  /** Seconds. Default Infinity. */
  timeout?: number;
  /** Default -Infinity. */
  ftarget?: number;
  /** Default 1e-11. */
  tolx?: number;
  /** Default 1e-11. */
  tolfun?: number;
  /** Default 1e-12. */
  tolfunhist?: number;
  /** Default 'int(100 + 100 * N**1.5 / popsize)' (kept within evostrat's [20, 20000]). */
  tolstagnation?: number;
  /** Default 1e20. */
  tolupsigma?: number;
  /** Default 1e14. */
  tolconditioncov?: number;
  /** Only 0/false (the default, full covariance): sep-CMA-ES is not in this build. */
  CMA_diagonal?: number | boolean;
  /** Only true (the default). */
  CMA_active?: boolean;
  /** Default 3: optimize() and fmin2() print a line every verb_disp iterations when ≥ 1. */
  verbose?: number;
  /** Default 100. */
  verb_disp?: number;
  /** Where lines go (not a pycma option). Default console.log. */
  logger?: (line: string) => void;
}

const SUPPORTED = ["popsize", "seed", "bounds", "maxfevals", "maxiter", "timeout", "ftarget", "tolx", "tolfun", "tolfunhist", "tolstagnation",
  "tolupsigma", "tolconditioncov", "CMA_diagonal", "CMA_active", "verbose", "verb_disp", "logger"];

/** evostrat stop reasons → pycma's termination names. */
const PYCMA_NAME: Record<string, string> = {
  maxEvaluations: "maxfevals", maxTime: "timeout", target: "ftarget", tolFun: "tolfun", tolX: "tolx", tolUpSigma: "tolupsigma",
  conditionCov: "tolconditioncov", sigmaCollapse: "noeffectaxis", tolFunHist: "tolfunhist", tolStagnation: "tolstagnation",
  noEffectAxis: "noeffectaxis", noEffectCoord: "noeffectcoord", maxiter: "maxiter",
};

/** pycma's CMAEvolutionStrategyResult. */
export interface CMAResult {
  xbest: Float64Array | null;
  fbest: number;
  evals_best: number;
  evaluations: number;
  iterations: number;
  /** the mean */
  xfavorite: Float64Array;
  /** σ·√C_ii */
  stds: Float64Array;
  stop: Record<string, number>;
}

interface Resolved {
  strategy: Record<string, unknown>;
  maxiter: number;
  verbose: number;
  verbDisp: number;
  log: (line: string) => void;
  values: Record<string, number>;
}

function bound(name: string, b: Bound, d: number): Float64Array | null {
  if (b === null || b === undefined) return null;
  const fill = (v: number | null) => (v === null ? (name.endsWith("0]") ? -Infinity : Infinity) : v);
  if (typeof b === "number") return new Float64Array(d).fill(b);
  const a = b as ArrayLike<number | null>;
  if (typeof a.length !== "number") fail("type", `option "${name}"`, `must be null, a number or an array, got ${describe(b)}`);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const v = a[a.length === 1 ? 0 : i];
    if (a.length !== 1 && a.length !== d) fail("range", `option "${name}"`, `must have length 1 or N = ${d}, got ${a.length}`);
    if (v !== null && typeof v !== "number") fail("type", `option "${name}"`, `element ${i} must be a number or null, got ${describe(v)}`);
    out[i] = fill(v as number | null);
  }
  return out;
}

/** pycma's options → the CMAES options and the face's own. */
function resolveOptions(where: string, inopts: unknown, d: number, sigma0: number): Resolved {
  const o = (inopts ?? {}) as Record<string, unknown>;
  if (typeof o !== "object" || Array.isArray(o)) fail("type", where, `inopts must be an object, got ${describe(inopts)}`);
  for (const k of Object.keys(o)) {
    if (!SUPPORTED.includes(k)) fail("type", where, `unknown or unsupported pycma option "${k}"; supported: ${SUPPORTED.join(", ")}`);
  }
  const get = (k: string) => (o[k] === null ? undefined : o[k]);
  const popsize = num("popsize", get("popsize"), CMAES.defaults(d).popSize, { min: 2, integer: true });
  const diag = o.CMA_diagonal;
  if (diag !== undefined && diag !== null && diag !== 0 && diag !== false) fail("range", `option "CMA_diagonal"`, `must be 0 or false: sep-CMA-ES (the diagonal model) is not in this build, got ${describe(diag)}`);
  if (o.CMA_active !== undefined && bool("CMA_active", o.CMA_active, true) !== true) fail("range", `option "CMA_active"`, "must be true: only active CMA-ES is in this build");
  const seed = o.seed === "time" || o.seed === 0 || o.seed === 0n ? undefined : get("seed");
  const values = {
    maxfevals: num("maxfevals", get("maxfevals"), Infinity, { min: 0, infinite: true }),
    maxiter: num("maxiter", get("maxiter"), 100 + Math.floor((150 * (d + 3) ** 2) / Math.sqrt(popsize)), { min: 0, infinite: true }),
    timeout: num("timeout", get("timeout"), Infinity, { min: 0, infinite: true }),
    ftarget: num("ftarget", get("ftarget"), -Infinity, { infinite: true }),
    tolx: num("tolx", get("tolx"), 1e-11, { min: 0 }),
    tolfun: num("tolfun", get("tolfun"), 1e-11, { min: 0 }),
    tolfunhist: num("tolfunhist", get("tolfunhist"), 1e-12, { min: 0 }),
    tolstagnation: num("tolstagnation", get("tolstagnation"), Math.min(20_000, Math.max(20, Math.floor(100 + (100 * d ** 1.5) / popsize))), { min: 20, max: 20_000, integer: true }),
    tolupsigma: num("tolupsigma", get("tolupsigma"), 1e20, { gt: 0, infinite: true }),
    tolconditioncov: num("tolconditioncov", get("tolconditioncov"), 1e14, { gt: 1, infinite: true }),
  };
  // popSize only when given: fmin2's restarts then multiply the unrounded default 4 + 3 ln N, as
  // pycma's fmin multiplies its popsize option (src/drivers/restarts.ts)
  const strategy: Record<string, unknown> = {
    sigma: sigma0, ...(get("popsize") === undefined ? {} : { popSize: popsize }), seed, maxEvaluations: values.maxfevals, maxTime: values.timeout,
    target: values.ftarget === -Infinity ? undefined : values.ftarget, tolX: values.tolx, tolFun: values.tolfun,
    tolFunHist: values.tolfunhist, tolStagnation: values.tolstagnation, tolUpSigma: values.tolupsigma, conditionCov: values.tolconditioncov,
  };
  const b = o.bounds;
  if (b !== undefined && b !== null) {
    if (!Array.isArray(b) || b.length !== 2) fail("type", `option "bounds"`, `must be [lower, upper], got ${describe(b)}`);
    const lo = bound("bounds[0]", b[0], d), hi = bound("bounds[1]", b[1], d);
    if (lo || hi) {
      // the base's box options, with pycma's default BoundTransform
      strategy.lower = lo ?? new Float64Array(d).fill(-Infinity);
      strategy.upper = hi ?? new Float64Array(d).fill(Infinity);
      strategy.boundHandling = "transform";
    }
  }
  const logger = o.logger;
  if (logger !== undefined && typeof logger !== "function") fail("type", `option "logger"`, `must be a function, got ${describe(logger)}`);
  return {
    strategy, maxiter: values.maxiter, values,
    verbose: num("verbose", get("verbose"), 3, { infinite: true }),
    verbDisp: num("verb_disp", get("verb_disp"), 100, { min: 0, integer: true }),
    log: (logger as ((l: string) => void) | undefined) ?? ((l: string) => console.log(l)),
  };
}

const e = (v: number, p: number) => (Number.isFinite(v) ? v.toExponential(p) : String(v));
const HEADER = "Iterat #Fevals   function value  std ratio  sigma  min&max std  t[m:s]";
function line(iter: number, evals: number, f: number, ratio: number, sigma: number, stds: Float64Array, seconds: number): string {
  let mn = Infinity, mx = 0;
  for (const s of stds) { mn = Math.min(mn, s); mx = Math.max(mx, s); }
  const t = `${Math.floor(seconds / 60)}:${(seconds % 60).toFixed(1).padStart(4, "0")}`;
  return `${String(iter).padStart(6)} ${String(evals).padStart(7)} ${e(f, 15).padStart(22)} ${e(ratio, 1).padStart(7)} ${e(sigma, 2)} ${e(mn, 0)} ${e(mx, 0)} ${t}`;
}

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;

/** A finished run's figures (fmin2's es). */
interface Snapshot { mean: Float64Array; stds: Float64Array; sigma: number; stop: Record<string, number> }

/**
 * pycma's CMAEvolutionStrategy: `new CMAEvolutionStrategy(x0, sigma0, inopts)`, then ask()/tell(X, f)
 * until stop(), or optimize(f).
 */
export class CMAEvolutionStrategy {
  /** The dimension. */
  readonly N: number;
  readonly popsize: number;
  /** The resolved option values (pycma's names). */
  readonly opts: Readonly<Record<string, number>>;
  /** Iterations (tells) so far. */
  countiter = 0;
  /** Evaluations told so far. */
  countevals = 0;
  private es: CMAES | null;
  private snap: Snapshot | null = null;
  private readonly o: Resolved;
  private fbest = Infinity;
  private xbest: Float64Array | null = null;
  private evalsBest = 0;
  private lastF = NaN;
  private shown = 0;
  private readonly t0 = now();

  constructor(x0: Vector | (() => Vector), sigma0: number, inopts: CMAOptions = {}) {
    const m = vec("x0", typeof x0 === "function" ? x0() : x0);
    const s = num("sigma0", sigma0, NaN, { gt: 0 });
    this.N = m.length;
    this.o = resolveOptions("CMAEvolutionStrategy:", inopts, this.N, s);
    this.es = new CMAES({ ...this.o.strategy, mean: m } as never);
    this.popsize = this.es.popSize;
    this.opts = { ...this.o.values, popsize: this.popsize, verbose: this.o.verbose, verb_disp: this.o.verbDisp };
  }

  private live(call: string): CMAES {
    if (!this.es) throw new Error(`CMAEvolutionStrategy.${call}: this run has finished (fmin2's es keeps only its result)`);
    return this.es;
  }

  /** The current step size σ. */
  get sigma(): number {
    return this.es ? this.es.sigma : this.snap!.sigma;
  }

  /** The current mean (a copy). */
  get mean(): Float64Array {
    return this.es ? this.es.mean : this.snap!.mean.slice();
  }

  /** λ new candidate solutions (copies). */
  ask(): Float64Array[] {
    const es = this.live("ask()");
    const p = es.ask();
    return Array.from({ length: p.count }, (_, i) => p.row(i).slice());
  }

  /** Updates from the evaluated solutions (as asked, or repaired/injected: pycma's tell(X, f)) and their values. */
  tell(solutions: ArrayLike<ArrayLike<number>>, function_values: ArrayLike<number>): void {
    const es = this.live("tell()");
    if (solutions === null || typeof solutions !== "object" || solutions.length !== this.popsize) {
      fail("range", "CMAEvolutionStrategy.tell(solutions, function_values):", `solutions must be ${this.popsize} points (popsize), got ${describe(solutions)}`);
    }
    es.tell(function_values, solutions);
    this.record(function_values);
  }

  // best so far (with the evaluation it came at), counters
  private record(values: ArrayLike<number>): void {
    const es = this.es!;
    let k = -1, f = Infinity;
    for (let i = 0; i < values.length; i++) if (values[i] < f) { f = values[i]; k = i; }
    this.lastF = f;
    if (k >= 0 && f < this.fbest) {
      this.fbest = f;
      this.xbest = es.best.x;
      this.evalsBest = this.countevals + k + 1;
    }
    this.countiter++;
    this.countevals += values.length;
  }

  /** The termination criteria that hold now with their values, or null when none does. */
  stop(): Record<string, number> | null {
    if (!this.es) return this.snap!.stop;
    return this.criteria(this.es.shouldStop());
  }

  private reasons(): string[] {
    const r: string[] = this.es!.shouldStop();
    if (this.countiter >= this.o.maxiter) r.push("maxiter");
    return r;
  }

  private criteria(r: readonly string[]): Record<string, number> | null {
    const all = [...r];
    if (this.es && this.countiter >= this.o.maxiter && !all.includes("maxiter")) all.push("maxiter");
    if (all.length === 0) return null;
    const out: Record<string, number> = {};
    for (const x of all) {
      const name = PYCMA_NAME[x] ?? x;
      out[name] = this.o.values[name] ?? (this.opts as Record<string, number>)[name] ?? 0;
    }
    return out;
  }

  /** pycma's result. */
  get result(): CMAResult {
    return {
      xbest: this.xbest ? this.xbest.slice() : null,
      fbest: this.fbest,
      evals_best: this.evalsBest,
      evaluations: this.countevals,
      iterations: this.countiter,
      xfavorite: this.mean,
      stds: this.es ? this.es.stds : this.snap!.stds.slice(),
      stop: this.stop() ?? {},
    };
  }

  /** Prints (to `logger`) a line of the current figures, with the header on the first call. */
  disp(): void {
    const es = this.live("disp()");
    if (this.shown++ === 0) this.o.log(HEADER);
    const stds = es.stds;
    let mn = Infinity, mx = 0;
    for (const s of stds) { mn = Math.min(mn, s); mx = Math.max(mx, s); }
    this.o.log(line(this.countiter, this.countevals, this.lastF, mx / mn, es.sigma, stds, now() - this.t0));
  }

  private maybeDisp(): void {
    const v = this.o.verbDisp;
    if (this.o.verbose >= 1 && v > 0 && (this.countiter <= 3 || this.countiter % v === 0)) this.disp();
  }

  /**
   * Runs ask/evaluate/tell until stop() (or `iterations` more iterations), evaluating with the drivers'
   * loop; returns this (a Promise of this when the objective returns Promises).
   */
  optimize(objective_fct: ObjectiveFunction, iterations?: number): this | Promise<this> {
    const es = this.live("optimize()");
    if (typeof objective_fct !== "function") fail("type", "CMAEvolutionStrategy.optimize(objective_fct):", `objective_fct must be a function, got ${describe(objective_fct)}`);
    const maxGenerations = num("iterations", iterations, Infinity, { min: 0, integer: true, infinite: true });
    const steps = generations(es, {
      stop: () => this.reasons(),
      maxGenerations,
      onGeneration: (_i: GenerationInfo, values: Float64Array) => { this.record(values); this.maybeDisp(); },
    });
    const out = drive(steps, objective_fct, "CMAEvolutionStrategy.optimize:");
    return isThenable(out) ? Promise.resolve(out).then(() => this) : this;
  }

  /** Releases the optimizer's memory (not in pycma: JS has no destructor to do it). */
  dispose(): void {
    this.es?.dispose();
  }

  /** fmin2's es: the result of a finished run.
   * @internal */
  static finished(d: number, o: Resolved, r: { x: Float64Array | null; f: number; evalsBest: number; evals: number; iters: number; snap: Snapshot; popsize: number }): CMAEvolutionStrategy {
    const es = Object.create(CMAEvolutionStrategy.prototype) as CMAEvolutionStrategy;
    const w = es as unknown as Record<string, unknown>;
    Object.assign(w, {
      N: d, popsize: r.popsize, o, opts: { ...o.values, verbose: o.verbose, verb_disp: o.verbDisp }, es: null, snap: r.snap,
      countiter: r.iters, countevals: r.evals, fbest: r.f, xbest: r.x, evalsBest: r.evalsBest, lastF: r.f, shown: 0, t0: now(),
    });
    return es;
  }
}

/** fmin2's restart arguments (pycma's keyword arguments of the same names). */
export interface RestartArgs {
  /** Restarts at most (with bipop, the large-population ones; the small ones come on top, as pycma). Default 0. */
  restarts?: number;
  /** λ's factor at each (large) restart. Default 2. */
  incpopsize?: number;
  /** BIPOP instead of IPOP. Default false. */
  bipop?: boolean;
}

/**
 * pycma's fmin2(objective, x0, sigma0, options, { restarts, incpopsize, bipop }): returns
 * [xbest, es] (a Promise of it when the objective returns Promises), es holding the result of the
 * last run over the totals of all runs. IPOP (Auger & Hansen 2005) or BIPOP (Hansen 2009) via the
 * drivers' restarts; x0 may be a function called for each start.
 */
export function fmin2(objective: (x: Float64Array) => number, x0: Vector | (() => Vector), sigma0: number, options?: CMAOptions, args?: RestartArgs): [Float64Array | null, CMAEvolutionStrategy];
export function fmin2(objective: (x: Float64Array) => PromiseLike<number>, x0: Vector | (() => Vector), sigma0: number, options?: CMAOptions, args?: RestartArgs): Promise<[Float64Array | null, CMAEvolutionStrategy]>;
export function fmin2(objective: ObjectiveFunction, x0: Vector | (() => Vector), sigma0: number, options?: CMAOptions, args?: RestartArgs): [Float64Array | null, CMAEvolutionStrategy] | Promise<[Float64Array | null, CMAEvolutionStrategy]>;
export function fmin2(objective: ObjectiveFunction, x0: Vector | (() => Vector), sigma0: number, options: CMAOptions = {}, args: RestartArgs = {}):
  [Float64Array | null, CMAEvolutionStrategy] | Promise<[Float64Array | null, CMAEvolutionStrategy]> {
  if (typeof objective !== "function") fail("type", "fmin2(objective):", `objective must be a function, got ${describe(objective)}`);
  checkKeys("fmin2(…, args):", args ?? {}, ["restarts", "incpopsize", "bipop"]);
  const nr = num("restarts", args?.restarts, 0, { min: 0, integer: true });
  const inc = num("incpopsize", args?.incpopsize, 2, { min: 1 });
  const bipop = bool("bipop", args?.bipop, false);
  const x0fn = typeof x0 === "function" ? x0 : null;
  const mean0 = vec("x0", x0fn ? x0fn() : x0);
  const d = mean0.length;
  const o = resolveOptions("fmin2:", options, d, num("sigma0", sigma0, NaN, { gt: 0 }));
  // the drivers' BIPOP counts only the large-population restarts against maxRestarts, as pycma's
  // `restarts` (fmin: `irun - runs_with_small > restarts`)
  const R = restartOptions({ kind: bipop ? "bipop" : "ipop", maxRestarts: nr, popSizeFactor: inc });
  let evals = 0, iters = 0, best = Infinity, evalsBest = 0, snap: Snapshot | null = null, popsize = 0;
  const t0 = now();
  let shown = 0, iterRun = 0;
  const snapshot = (c: CMAES): Snapshot => {
    popsize = c.popSize;
    const map: Record<string, number> = {};
    for (const r of c.shouldStop() as StopReason[]) { const n = PYCMA_NAME[r] ?? r; map[n] = o.values[n] ?? 0; }
    return { mean: c.mean, stds: c.stds, sigma: c.sigma, stop: map };
  };
  const steps = restarts({
    Cls: CMAES,
    options: { ...o.strategy, mean: mean0 },
    restarts: R,
    startOptions: x0fn ? (st) => (st.index > 0 ? { mean: vec("x0()", x0fn()) } : {}) : undefined,
    onStart: () => { iterRun = 0; },
    onRestart: (s) => { snap = snapshot(s as CMAES); },
    onEnd: (s) => { if (s) snap = snapshot(s as CMAES); },
    loop: {
      onGeneration: (info, values) => {
        for (let i = 0; i < values.length; i++) if (values[i] < best) { best = values[i]; evalsBest = evals + i + 1; }
        evals += values.length;
        iters++;
        iterRun++;
        if (o.verbose >= 1 && o.verbDisp > 0 && (iterRun <= 3 || iterRun % o.verbDisp === 0)) {
          if (shown++ === 0) o.log(HEADER);
          o.log(line(iters, evals, info.bestF, NaN, info.sigma, new Float64Array(0), now() - t0));
        }
      },
    },
  });
  const done = (r: { best: { x: Float64Array | null; f: number }; reasons: string[] }): [Float64Array | null, CMAEvolutionStrategy] => {
    const s = snap ?? { mean: mean0, stds: new Float64Array(d), sigma: o.strategy.sigma as number, stop: {} };
    for (const x of r.reasons) { if (x === "halt") continue; const n = PYCMA_NAME[x] ?? x; if (!(n in s.stop)) s.stop[n] = o.values[n] ?? 0; }
    const es = CMAEvolutionStrategy.finished(d, o, { x: r.best.x, f: r.best.f, evalsBest, evals, iters, snap: s, popsize });
    return [r.best.x, es];
  };
  const out = drive(steps, objective, "fmin2:");
  return isThenable(out) ? Promise.resolve(out).then(done) : done(out);
}
