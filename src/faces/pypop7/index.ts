/**
 * evostrat/pypop7: PyPop7's interface, `new RMES(problem, options).optimize()` (and `CMAES`,
 * `SEPCMAES`, `LMMAES` the same way), over evostrat's strategies and drivers.
 *
 * see: PyPop7 (github Evolutionary-Intelligence/pypop) optimizers/core/optimizer.py, es/es.py,
 * es/r1es.py and es/rmes.py, as written up in ../shared/reference/ALGORITHMS.md §1. Option names,
 * defaults, the termination signals and their order, early stopping, restarts, `saving_fitness` and
 * the verbose lines follow PyPop7. The strategy itself is the `RMES` of src/strategies/rmes.ts; the
 * evaluation loop and the restarts are the drivers' (src/drivers/restarts.ts, kind 'pypop7'): a restart
 * is a fresh optimizer with the doubled λ and d_σ, seeded from the previous optimizer's generator.
 *
 * Differences from PyPop7, on purpose:
 * - Random streams are evostrat's (xoshiro256++), so runs are repeatable per seed but are not PyPop7's
 *   numbers. `seed_rng` derives `seed_initialization` and `seed_optimization` (SplitMix64) when they
 *   are not given, as PyPop7 draws them from `default_rng(seed_rng)`. The optimizer is seeded with
 *   `seed_optimization`, and initial and restart means are drawn from the optimizer's own generator
 *   (the drivers' rule for every strategy), so `seed_initialization` is reported but draws nothing.
 * - A missing sigma, or one ≤ 0, is a RangeError/TypeError naming the option (PyPop7 asserts); unknown
 *   option or problem keys are a TypeError. Boundaries are required when they are needed: when no
 *   `mean` is given, or when `is_restart` is on (a restart draws its mean in the initial bounds).
 * - Terminations are checked before *every* evaluation, including f(mean) at the start and after a
 *   restart (PyPop7 evaluates those unchecked), so max_function_evaluations is never exceeded.
 * - The fitness may return a Promise; `optimize` then returns a Promise of the results, and the
 *   evaluations still run one at a time, in PyPop7's order.
 * - Verbose lines go to `options.logger` (default console.log), never to stdout directly.
 * - CMAES, SEPCMAES and LMMAES share RMES's machinery (the ES base class below: the same dictionaries,
 *   checks, terminations, restarts by PyPop7's rule and results) over evostrat's CMAES (pycma 4.x's
 *   active CMA-ES), SepCMAES (pycma's diagonal mode) and LMMAES; their rates default to those
 *   strategies' (PyPop7's own formulas differ in small ways, e.g. its c_w and sep-CMA's single c_cov).
 *   For CMAES and SEPCMAES μ is ⌊λ/2⌋ by construction (another n_parents is refused). Like PyPop7 they
 *   evaluate no f(mean) at a start. A run without restarts also ends when σ collapses (the core's
 *   sigmaCollapse), where PyPop7 would go on sampling the same point until the budget ends.
 */
import { RMES as CoreRMES } from "../../strategies/rmes.js";
import { CMAES as CoreCMAES } from "../../strategies/cma.js";
import { SepCMAES as CoreSepCMAES } from "../../strategies/sepcma.js";
import { LMMAES as CoreLMMAES } from "../../strategies/lmmaes.js";
import type { Strategy } from "../../contract/strategy.js";
import { checkKeys, describe, fail, isThenable, num, seedOf, seedValue } from "../../check.js";
import { drive, type Batch } from "../../drivers/evaluate.js";
import { restarts } from "../../drivers/restarts.js";
import { defaultPopSize } from "../../contract/defaults.js";

/** PyPop7's termination signals (an IntEnum there). */
export const Terminations = {
  NO_TERMINATION: 0,
  MAX_FUNCTION_EVALUATIONS: 1,
  MAX_RUNTIME: 2,
  FITNESS_THRESHOLD: 3,
  EARLY_STOPPING: 4,
} as const;
export type TerminationSignal = (typeof Terminations)[keyof typeof Terminations];

export type FitnessFunction = (x: Float64Array, args?: unknown) => number | PromiseLike<number>;
/** A boundary: one number for every coordinate, or one per coordinate. */
export type Bound = number | ArrayLike<number>;

/** PyPop7's problem dict. */
export interface Problem {
  /** The function to minimise; called as f(x), or f(x, args) when optimize() got args. */
  fitness_function?: FitnessFunction;
  /** d > 0. Required. */
  ndim_problem: number;
  /** Used only to draw initial/restart means and to set `success`; never applied to samples. */
  upper_boundary?: Bound;
  lower_boundary?: Bound;
  /** Default: upper_boundary. */
  initial_upper_boundary?: Bound;
  /** Default: lower_boundary. */
  initial_lower_boundary?: Bound;
  /** Default: the fitness function's name. */
  problem_name?: string;
}

/** The options every ES here takes (PyPop7's Optimizer and ES base classes), with PyPop7's defaults. */
export interface ESOptions {
  /** Default Infinity. Counts the evaluations of the initial (and restart) means where the ES evaluates them (RMES). */
  max_function_evaluations?: number;
  /** Seconds since optimize() started. Default Infinity. */
  max_runtime?: number;
  /** Stop once best_so_far_y ≤ this. Default -Infinity. */
  fitness_threshold?: number;
  /** Stop after this many evaluations in a row that improve on the last reference by at most early_stopping_threshold. Default Infinity. */
  early_stopping_evaluations?: number;
  /** Default 0. */
  early_stopping_threshold?: number;
  /** Seeds seed_initialization and seed_optimization. Default: drawn from crypto.getRandomValues. */
  seed_rng?: number | bigint;
  /** Seed of the stream that draws initial and restart means. Default: derived from seed_rng. */
  seed_initialization?: number | bigint;
  /** Seed of the sampling stream. Default: derived from seed_rng. */
  seed_optimization?: number | bigint;
  /** The initial mean (length d). Default: uniform in the initial bounds. */
  mean?: ArrayLike<number>;
  /** Alias of mean (mean wins when both are set). Default: none (see `mean`). */
  x?: ArrayLike<number>;
  /** The initial step size σ > 0. Required. */
  sigma: number;
  /** λ. Default 4 + ⌊3 ln d⌋. */
  n_individuals?: number;
  /** μ. Default ⌊λ/2⌋ (after a restart always ⌊λ/2⌋). */
  n_parents?: number;
  /** Restart on σ collapse or stagnation (PyPop7's ES.restart_reinitialize), λ doubled. Default true. */
  is_restart?: boolean;
  /** Restart when σ < this. Default 1e-12. */
  sigma_threshold?: number;
  /** Restart when the best value has improved by less than fitness_diff over this many generations. Default ⌊10 + ⌈30d/λ⌉⌋. */
  stagnation?: number;
  /** Default 1e-12. */
  fitness_diff?: number;
  /** 0: results.fitness is null; 1: [evaluation, best-so-far y] for every evaluation; k > 1: every k-th (PyPop7's layout). Default 0. */
  saving_fitness?: number;
  /** Print every `verbose` generations (0: silent). Default 10. */
  verbose?: number | boolean;
  /** Where verbose lines go. Default console.log. (Not a PyPop7 option.) */
  logger?: (line: string) => void;
}

/** PyPop7 RMES's options (ALGORITHMS.md §1.1), with its defaults. */
export interface RMESOptions extends ESOptions {
  /** Default 1/(3√d + 5). */
  c_cov?: number;
  /** The path learning rate. Default 2/(d + 7). */
  c?: number;
  /** Default 0.3. */
  c_s?: number;
  /** Default 0.3. */
  q_star?: number;
  /** Default 1; doubled on every restart. */
  d_sigma?: number;
  /** m. Default 2. */
  n_evolution_paths?: number;
  /** T. Default d. */
  generation_gap?: number;
}

/**
 * PyPop7 CMAES's options (pypop7/optimizers/es/cmaes.py). c_s defaults to PyPop7's (the tutorial's);
 * the other rates to evostrat's CMA-ES (pycma 4.x's, src/strategies/cma.ts), which PyPop7's formulas
 * match except c_w (PyPop7 subtracts 1e-8 from its cap). The update is evostrat's: the negative
 * weights' scaling, h_σ, E‖N(0, I)‖ and the ±1 clip of the log σ change are pycma 4.4's.
 */
export interface CMAESOptions extends ESOptions {
  /** c_σ (0 < c_s ≤ 1). Default (μ_eff + 2)/(d + μ_eff + 5). */
  c_s?: number;
  /** d_σ > 0. Default 1 + 2 max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ. */
  d_sigma?: number;
  /** c_c (0 < c_c ≤ 1). Default (4 + μ_eff/d)/(d + 4 + 2μ_eff/d). */
  c_c?: number;
  /** c_1 (0 ≤ c_1 ≤ 1). Default 2/((d + 1.3)² + μ_eff). */
  c_1?: number;
  /** c_μ, PyPop7's c_w (0 ≤ c_w ≤ 1 − c_1). Default min(1 − c_1, 2(μ_eff − 2 + 1/μ_eff)/((d + 2)² + μ_eff)). */
  c_w?: number;
}

/** PyPop7 SEPCMAES's options (pypop7/optimizers/es/sepcmaes.py); rates default to evostrat's sep-CMA-ES (pycma's diagonal mode, src/strategies/sepcma.ts). */
export interface SEPCMAESOptions extends ESOptions {
  /** c_c (0 < c_c ≤ 1). Default: sep-CMA-ES's. */
  c_c?: number;
  /** c_σ (0 < c_s ≤ 1). Default (μ_eff + 2)/(d + μ_eff + 3). */
  c_s?: number;
  /** d_σ > 0. Default 1 + 2 max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ. */
  d_sigma?: number;
}

/** PyPop7 LMMAES's options (pypop7/optimizers/es/lmmaes.py), with its defaults. */
export interface LMMAESOptions extends ESOptions {
  /** m, the number of direction vectors (1 ≤ m ≤ 1024). Default 4 + ⌊3 ln d⌋. */
  n_evolution_paths?: number;
  /** c_σ (0 < c_s ≤ 1). Default min(1, 2λ/d) (PyPop7: 2λ/d, patched where it exceeds 1). */
  c_s?: number;
}

/** What optimize() returns (PyPop7's results dict), common to every ES here. */
export interface ESResults {
  best_so_far_x: Float64Array | null;
  best_so_far_y: number;
  n_function_evaluations: number;
  /** seconds */
  runtime: number;
  termination_signal: TerminationSignal;
  /** seconds spent in the fitness function */
  time_function_evaluations: number;
  /** [evaluation (1-based), best-so-far y] rows when saving_fitness > 0, else null */
  fitness: [number, number][] | null;
  /** false when best_so_far_x lies outside the given bounds or is (or contains) NaN */
  success: boolean;
  mean: Float64Array;
  initial_mean: Float64Array;
  _list_initial_mean: Float64Array[];
  sigma: number;
  _n_restart: number;
  _n_generations: number;
  _list_generations: number[];
}
/** RMES's results: the common ones, its evolution path p and its success measure s. */
export interface RMESResults extends ESResults {
  p: Float64Array;
  s: number;
}
/** CMAES's results: the common ones and the coordinate standard deviations σ√C_ii (PyPop7 returns p_s, p_c, eig_va instead). */
export interface CMAESResults extends ESResults {
  stds: Float64Array;
}
/** SEPCMAES's results: the σ path s, the covariance path p and d = √diag(C), as PyPop7's. */
export interface SEPCMAESResults extends ESResults {
  s: Float64Array;
  p: Float64Array;
  d: Float64Array;
}
/** LMMAES's results: the σ path s and the direction vectors tm (m rows of length d), as PyPop7's. */
export interface LMMAESResults extends ESResults {
  s: Float64Array;
  tm: Float64Array[];
}

const PROBLEM_KEYS = ["fitness_function", "ndim_problem", "upper_boundary", "lower_boundary", "initial_upper_boundary", "initial_lower_boundary", "problem_name"];
const ES_KEYS = [
  "max_function_evaluations", "max_runtime", "fitness_threshold", "early_stopping_evaluations", "early_stopping_threshold",
  "seed_rng", "seed_initialization", "seed_optimization", "mean", "x", "sigma", "n_individuals", "n_parents",
  "is_restart", "sigma_threshold", "stagnation", "fitness_diff", "saving_fitness", "verbose", "logger",
];

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;
// PyPop7 takes None for "the default": null is read as undefined, then check.ts's rules apply.
function keys(where: string, o: unknown, allowed: string[]): Record<string, unknown> {
  checkKeys(where, o as object, allowed);
  return o as Record<string, unknown>;
}
function number(name: string, v: unknown, def: number, spec: { min?: number; gt?: number; max?: number; integer?: boolean; finite?: boolean } = {}): number {
  return num(name, v === null ? undefined : v, def, { ...spec, infinite: !spec.finite });
}
function vector(name: string, v: unknown, d: number, finite = true): Float64Array {
  if (typeof v === "number") {
    if (Number.isNaN(v)) fail("range", name, "must not be NaN");
    return new Float64Array(d).fill(v);
  }
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail("type", name, `must be an array or typed array of ${d} numbers, got ${describe(v)}`);
  const a = v as ArrayLike<unknown>;
  if (a.length !== d) fail("range", name, `must have length ndim_problem = ${d}, got ${a.length}`);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const x = a[i];
    if (typeof x !== "number" && typeof x !== "bigint") fail("type", name, `element ${i} must be a number, got ${describe(x)}`);
    const n = Number(x);
    if (finite ? !Number.isFinite(n) : Number.isNaN(n)) fail("range", name, `element ${i} must be ${finite ? "finite" : "a number"}, got ${n}`);
    out[i] = n;
  }
  return out;
}

const MASK64 = (1n << 64n) - 1n;
/** One SplitMix64 step: [next state, output]. */
function splitmix64(state: bigint): [bigint, bigint] {
  const s = (state + 0x9e3779b97f4a7c15n) & MASK64;
  let z = s;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return [s, z ^ (z >> 31n)];
}


/**
 * Refuses, before anything of size d is allocated (bounds, defaults, the core), a problem whose
 * optimizer cannot fit in wasm32's 4 GiB: the core's own up-front estimate (the base class's
 * 8·d·(λ + 4) bytes plus the strategy's memoryEstimate), with λ and the strategy's size parameters as
 * given (when they are valid numbers; their own checks come later) or defaulted.
 */
function refuseOversized(Cls: CoreClass, d: number, lambda: unknown, sizes: Record<string, number>): void {
  const n = typeof lambda === "number" && Number.isInteger(lambda) && lambda >= 2 ? lambda : defaultPopSize(d);
  // the estimate is written once, in src/strategies/*.ts; it reads nothing but d, popSize and the sizes
  const extra = (Cls.prototype as unknown as { memoryEstimate(p: object): number }).memoryEstimate({ d, popSize: n, ...sizes });
  const bytes = 8 * d * (n + 4) + extra;
  if (bytes >= 2 ** 32) {
    fail("range", `problem "ndim_problem"`, `(d = ${d}, n_individuals = ${n}) needs at least ${(bytes / 2 ** 30).toFixed(1)} GiB; WebAssembly memory is limited to 4 GiB`);
  }
}
const intOr = (v: unknown, lo: number, def: number): number => (typeof v === "number" && Number.isInteger(v) && v >= lo ? v : def);

/** Formats like Python's '{:7.5e}'. */
function pyE(v: number): string {
  if (Number.isNaN(v)) return "    nan";
  if (!Number.isFinite(v)) return (v > 0 ? "inf" : "-inf").padStart(7);
  return v.toExponential(5).replace(/e([+-])(\d)$/, "e$10$2");
}

type CoreClass = typeof CoreRMES | typeof CoreCMAES | typeof CoreSepCMAES | typeof CoreLMMAES;

/**
 * What one ES tells the shared machinery (the base class ES and its Run): the core strategy, its
 * options, what changes at a restart and what its results add.
 */
interface Kind {
  Cls: CoreClass;
  /** PyPop7's R1ES/RMES evaluate f(mean) at every start; CMAES, SEPCMAES and LMMAES do not. */
  evaluateMean: boolean;
  /** The core strategy's options (besides mean, σ, seed and λ). */
  coreOptions(): Record<string, unknown>;
  /** Extra core options for a start (index > 0: a restart). */
  startOptions(index: number, popSize: number, meanF: number | undefined): Record<string, unknown>;
  /** A restart happened: PyPop7's own mutations beyond λ and μ. */
  restarted(): void;
  /** What the results add, from the last strategy (null: none was built). */
  extra(s: Strategy | null): Record<string, unknown>;
}

/**
 * The shared part of PyPop7's ES classes here: the problem and options dictionaries, the checks, and
 * optimize() over the drivers (one evaluation loop, src/drivers/restarts.ts with kind 'pypop7').
 */
abstract class ES<Res extends ESResults> {
  readonly fitness_function: FitnessFunction | undefined;
  readonly ndim_problem: number;
  readonly upper_boundary: Float64Array | undefined;
  readonly lower_boundary: Float64Array | undefined;
  readonly initial_upper_boundary: Float64Array | undefined;
  readonly initial_lower_boundary: Float64Array | undefined;
  readonly problem_name: string | undefined;

  readonly max_function_evaluations: number;
  readonly max_runtime: number;
  readonly fitness_threshold: number;
  readonly early_stopping_evaluations: number;
  readonly early_stopping_threshold: number;
  /** The seeds actually used, so any run can be repeated. */
  readonly seed_rng: bigint;
  readonly seed_initialization: bigint;
  readonly seed_optimization: bigint;
  /** The initial mean as given (null: drawn in the initial bounds). */
  readonly mean: Float64Array | null;
  readonly sigma: number;
  /** λ; doubled by every restart (PyPop7 mutates these too, so a second optimize() starts from them). */
  n_individuals: number;
  /** μ; ⌊λ/2⌋ after a restart. */
  n_parents: number;
  readonly is_restart: boolean;
  readonly sigma_threshold: number;
  readonly stagnation: number;
  readonly fitness_diff: number;
  readonly saving_fitness: number;
  readonly verbose: number;
  /** @internal */
  readonly log: (line: string) => void;
  private readonly esName: string;

  protected constructor(name: string, problem: Problem, options: ESOptions, extraKeys: string[], Cls: CoreClass, sizes: (op: Record<string, unknown>) => Record<string, number>) {
    this.esName = name;
    const pr = keys(`${name}(problem):`, problem, PROBLEM_KEYS);
    const op = keys(`${name}(problem, options):`, options, [...ES_KEYS, ...extraKeys]);
    const d = pr.ndim_problem;
    if (typeof d !== "number" || !Number.isInteger(d) || d <= 0) fail(typeof d === "number" ? "range" : "type", `problem "ndim_problem"`, `must be a positive integer, got ${describe(d)}`);
    if (pr.fitness_function !== undefined && pr.fitness_function !== null && typeof pr.fitness_function !== "function") fail("type", `problem "fitness_function"`, `must be a function, got ${describe(pr.fitness_function)}`);
    refuseOversized(Cls, d as number, op.n_individuals, sizes(op));
    this.fitness_function = (pr.fitness_function ?? undefined) as FitnessFunction | undefined;
    this.ndim_problem = d;
    const bound = (k: string, v: unknown) => (v === undefined || v === null ? undefined : vector(`problem "${k}"`, v, d, false));
    this.upper_boundary = bound("upper_boundary", pr.upper_boundary);
    this.lower_boundary = bound("lower_boundary", pr.lower_boundary);
    this.initial_upper_boundary = bound("initial_upper_boundary", pr.initial_upper_boundary) ?? this.upper_boundary;
    this.initial_lower_boundary = bound("initial_lower_boundary", pr.initial_lower_boundary) ?? this.lower_boundary;
    if (pr.problem_name !== undefined && typeof pr.problem_name !== "string") fail("type", `problem "problem_name"`, `must be a string, got ${describe(pr.problem_name)}`);
    this.problem_name = (pr.problem_name as string | undefined) ?? (this.fitness_function?.name || undefined);

    this.max_function_evaluations = number("max_function_evaluations", op.max_function_evaluations, Infinity, { min: 0 });
    this.max_runtime = number("max_runtime", op.max_runtime, Infinity, { min: 0 });
    this.fitness_threshold = number("fitness_threshold", op.fitness_threshold, -Infinity);
    this.early_stopping_evaluations = number("early_stopping_evaluations", op.early_stopping_evaluations, Infinity, { min: 0 });
    this.early_stopping_threshold = number("early_stopping_threshold", op.early_stopping_threshold, 0);

    const rs = seedOf(op.seed_rng, "seed_rng"); // PyPop7: None → unseeded; here a seed drawn from crypto, kept
    this.seed_rng = rs;
    // Both draws happen even when the seeds are given, as in PyPop7; [0, 2^63 − 1) like rng.integers(int64 max).
    const [s1, z1] = splitmix64(rs);
    const [, z2] = splitmix64(s1);
    this.seed_initialization = seedValue("seed_initialization", op.seed_initialization) ?? (z1 >> 1n) % ((1n << 63n) - 1n);
    this.seed_optimization = seedValue("seed_optimization", op.seed_optimization) ?? (z2 >> 1n) % ((1n << 63n) - 1n);

    const m0 = op.mean ?? op.x;
    this.mean = m0 === undefined || m0 === null ? null : vector(`option "${op.mean != null ? "mean" : "x"}"`, m0, d);
    if (op.sigma === undefined || op.sigma === null) fail("type", `option "sigma"`, "is required: the initial step size, a number > 0 (PyPop7 asserts sigma > 0)");
    this.sigma = number("sigma", op.sigma, NaN, { gt: 0, finite: true });

    // the core's limits (src/strategies/*.ts), checked here so the error names PyPop7's option
    this.n_individuals = number("n_individuals", op.n_individuals, defaultPopSize(d), { min: 2, max: 1 << 20, integer: true, finite: true });
    this.n_parents = number("n_parents", op.n_parents, Math.floor(this.n_individuals / 2), { min: 1, integer: true, finite: true });
    if (this.n_parents > this.n_individuals) fail("range", `option "n_parents"`, `must be <= n_individuals = ${this.n_individuals}, got ${this.n_parents}`);
    if (op.is_restart !== undefined && typeof op.is_restart !== "boolean") fail("type", `option "is_restart"`, `must be a boolean, got ${describe(op.is_restart)}`);
    this.is_restart = (op.is_restart as boolean | undefined) ?? true;
    this.sigma_threshold = number("sigma_threshold", op.sigma_threshold, 1e-12, { min: 0 });
    this.stagnation = number("stagnation", op.stagnation, Math.floor(10 + Math.ceil((30 * d) / this.n_individuals)), { min: 1, integer: true, finite: true });
    this.fitness_diff = number("fitness_diff", op.fitness_diff, 1e-12);
    this.saving_fitness = number("saving_fitness", op.saving_fitness, 0, { min: 0, integer: true, finite: true });
    const vb = typeof op.verbose === "boolean" ? (op.verbose ? 1 : 0) : op.verbose;
    this.verbose = number("verbose", vb, 10, { min: 0, integer: true, finite: true });
    if (op.logger !== undefined && typeof op.logger !== "function") fail("type", `option "logger"`, `must be a function, got ${describe(op.logger)}`);
    this.log = (op.logger as ((line: string) => void) | undefined) ?? ((line: string) => console.log(line));

    const needBounds = this.mean === null || this.is_restart;
    if (needBounds && (this.initial_lower_boundary === undefined || this.initial_upper_boundary === undefined)) {
      fail("type", `${name}(problem):`, `"lower_boundary" and "upper_boundary" (or the initial_ ones) are required ${this.mean === null ? "when options.mean is not given" : "when is_restart is true (a restart draws a new mean in them); pass is_restart: false to run without bounds"}`);
    }
  }

  /** @internal what this ES tells the shared machinery */
  protected abstract kind(): Kind;

  /** For a strategy whose μ is ⌊λ/2⌋ by construction (CMAES, SEPCMAES): any other n_parents is refused. */
  protected fixedParents(): void {
    if (this.n_parents !== Math.floor(this.n_individuals / 2)) {
      fail("range", `option "n_parents"`, `must be ⌊n_individuals/2⌋ = ${Math.floor(this.n_individuals / 2)} for ${this.esName} (evostrat's ${this.esName} derives μ from λ), got ${this.n_parents}`);
    }
  }

  /**
   * Runs until a termination signal. Returns the results, or a Promise of them when the fitness
   * function returns a Promise. `args`, when given, is passed as f(x, args).
   */
  optimize(fitness_function?: (x: Float64Array, args?: unknown) => number, args?: unknown): Res;
  optimize(fitness_function: (x: Float64Array, args?: unknown) => PromiseLike<number>, args?: unknown): Promise<Res>;
  optimize(fitness_function?: FitnessFunction, args?: unknown): Res | Promise<Res>;
  optimize(fitness_function?: FitnessFunction, args?: unknown): Res | Promise<Res> {
    const f = fitness_function ?? this.fitness_function;
    if (typeof f !== "function") fail("type", `${this.esName}.optimize(fitness_function):`, "no fitness function: pass one here or as problem.fitness_function");
    // one run at a time: a second optimize() (concurrent, or from inside the fitness) would interleave
    // with the first one's restarts (PyPop7 mutates n_individuals and n_parents on restart)
    if (this.running) throw new Error(`evostrat: ${this.esName}.optimize() called while another optimize() of this instance is running (concurrently, or from inside its fitness): await it first, or use another instance`);
    const run = new Run(this, this.kind(), this.log);
    const call = args === undefined ? (x: Float64Array) => f(x) : (x: Float64Array) => f(x, args);
    // time spent in the fitness function (until its Promise settles, for an async one)
    const timed = (x: Float64Array): unknown => {
      const t0 = now();
      const v = call(x);
      if (isThenable(v)) return Promise.resolve(v).then((y) => { run.tfe += now() - t0; return y; });
      run.tfe += now() - t0;
      return v;
    };
    // max_runtime holds while an evaluation is pending: at the deadline it is abandoned (MAX_RUNTIME)
    const maxRuntime = this.max_runtime;
    this.running = true;
    let out: Res | Promise<Res> | undefined;
    try {
      out = drive(run.steps(), timed, `${this.esName}.optimize:`, { remaining: () => maxRuntime - (now() - run.t0) }) as Res | Promise<Res>;
      return out;
    } finally {
      if (out instanceof Promise) out.then(() => { this.running = false; }, () => { this.running = false; });
      else this.running = false;
    }
  }
  private running = false;
}

/**
 * PyPop7's RMES: `new RMES(problem, options).optimize(fitness_function?, args?)`.
 *
 * ```ts
 * import { RMES } from "evostrat/pypop7";
 * const rosenbrock = (x) => { let s = 0; for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2; return s; };
 * const res = new RMES(
 *   { fitness_function: rosenbrock, ndim_problem: 2, lower_boundary: [-5, -5], upper_boundary: [5, 5] },
 *   { max_function_evaluations: 5000, seed_rng: 2022, mean: [3, 3], sigma: 0.1 },
 * ).optimize();
 * console.log(`RMES: ${res.n_function_evaluations}, ${res.best_so_far_y}`);
 * ```
 */
export class RMES extends ES<RMESResults> {
  readonly c_cov: number;
  readonly c: number;
  readonly c_s: number;
  readonly q_star: number;
  /** d_σ; doubled by every restart. */
  d_sigma: number;
  readonly n_evolution_paths: number;
  readonly generation_gap: number;

  constructor(problem: Problem, options: RMESOptions) {
    super("RMES", problem, options, ["c_cov", "c", "c_s", "q_star", "d_sigma", "n_evolution_paths", "generation_gap"], CoreRMES,
      (op) => ({ nEvolutionPaths: intOr(op.n_evolution_paths, 1, 2) }));
    const op = options as unknown as Record<string, unknown>, d = this.ndim_problem;
    const def = CoreRMES.defaults(d);
    this.c_cov = number("c_cov", op.c_cov, def.cCov, { gt: 0, finite: true });
    if (this.c_cov > 1) fail("range", `option "c_cov"`, `must be <= 1, got ${this.c_cov}`);
    this.c = number("c", op.c, def.c, { gt: 0, finite: true });
    if (this.c > 1) fail("range", `option "c"`, `must be <= 1, got ${this.c}`);
    this.c_s = number("c_s", op.c_s, def.cS, { gt: 0, finite: true });
    if (this.c_s > 1) fail("range", `option "c_s"`, `must be <= 1, got ${this.c_s}`);
    this.q_star = number("q_star", op.q_star, def.qStar, { finite: true });
    this.d_sigma = number("d_sigma", op.d_sigma, def.dSigma, { gt: 0, finite: true });
    this.n_evolution_paths = number("n_evolution_paths", op.n_evolution_paths, def.nEvolutionPaths, { min: 1, max: 64, integer: true, finite: true });
    this.generation_gap = number("generation_gap", op.generation_gap, d, { min: 0 });
  }

  protected kind(): Kind {
    const dSigma0 = this.d_sigma;
    return {
      Cls: CoreRMES,
      evaluateMean: true,
      coreOptions: () => ({
        mu: this.n_parents, cCov: this.c_cov, c: this.c, cS: this.c_s, qStar: this.q_star, dSigma: this.d_sigma,
        nEvolutionPaths: this.n_evolution_paths, generationGap: this.generation_gap,
      }),
      // initialize(): f(mean) is the first generation's "previous y" (NaN sorts last in numpy, like +∞)
      startOptions: (index, popSize, f0) => ({
        initialF: f0 === f0 ? f0 : Infinity,
        ...(index > 0 ? { mu: Math.floor(popSize / 2), dSigma: dSigma0 * 2 ** index } : {}),
      }),
      restarted: () => { this.d_sigma *= 2; },
      extra: (s) => {
        const r = s as CoreRMES | null;
        return { p: r ? r.p : new Float64Array(this.ndim_problem), s: r ? r.s : 0 };
      },
    };
  }
}

/**
 * PyPop7's CMAES over evostrat's active CMA-ES (src/strategies/cma.ts, pycma 4.x's defaults, C kept
 * as a factor updated in O(d²λ)): `new CMAES(problem, options).optimize()`. With is_restart (the
 * default, as PyPop7's ES) it restarts on σ collapse or stagnation with λ doubled.
 *
 * ```ts
 * import { CMAES } from "evostrat/pypop7";
 * const rosenbrock = (x) => { let s = 0; for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2; return s; };
 * const res = new CMAES(
 *   { fitness_function: rosenbrock, ndim_problem: 2, lower_boundary: [-5, -5], upper_boundary: [5, 5] },
 *   { max_function_evaluations: 5000, seed_rng: 2022, is_restart: false, mean: [3, 3], sigma: 0.1 },
 * ).optimize();
 * console.log(`CMAES: ${res.n_function_evaluations}, ${res.best_so_far_y}`);
 * ```
 */
export class CMAES extends ES<CMAESResults> {
  readonly c_s: number | undefined;
  readonly d_sigma: number | undefined;
  readonly c_c: number | undefined;
  readonly c_1: number | undefined;
  readonly c_w: number | undefined;

  constructor(problem: Problem, options: CMAESOptions) {
    super("CMAES", problem, options, ["c_s", "d_sigma", "c_c", "c_1", "c_w"], CoreCMAES, () => ({}));
    this.fixedParents();
    const op = options as unknown as Record<string, unknown>;
    this.c_s = rate("c_s", op.c_s, { gt: 0, max: 1 });
    this.d_sigma = rate("d_sigma", op.d_sigma, { gt: 0 });
    this.c_c = rate("c_c", op.c_c, { gt: 0, max: 1 });
    this.c_1 = rate("c_1", op.c_1, { min: 0, max: 1 });
    this.c_w = rate("c_w", op.c_w, { min: 0, max: 1 - (this.c_1 ?? 0) });
  }

  protected kind(): Kind {
    return {
      Cls: CoreCMAES,
      evaluateMean: false,
      // pycma's own stops other than σ collapse are the restart rule's business (PyPop7 has none of them)
      coreOptions: () => defined({ cSigma: this.c_s, dSigma: this.d_sigma, cc: this.c_c, c1: this.c_1, cMu: this.c_w }),
      // PyPop7's c_σ, (μ_eff + 2)/(d + μ_eff + 5) (the tutorial's eq. (55)), for this start's λ: evostrat's
      // CMAES defaults to pycma 4.4's d + μ_eff + 3
      startOptions: (_index, popSize) => {
        if (this.c_s !== undefined) return {};
        const d = this.ndim_problem, mueff = CoreCMAES.defaults(d, popSize > 0 ? { popSize } : {}).muEff;
        return { cSigma: (mueff + 2) / (d + mueff + 5) };
      },
      restarted: () => {},
      extra: (s) => ({ stds: s ? (s as CoreCMAES).stds : new Float64Array(this.ndim_problem).fill(this.sigma) }),
    };
  }
}

/**
 * PyPop7's SEPCMAES over evostrat's sep-CMA-ES (src/strategies/sepcma.ts: pycma's diagonal mode,
 * Ros & Hansen 2008): `new SEPCMAES(problem, options).optimize()`.
 */
export class SEPCMAES extends ES<SEPCMAESResults> {
  readonly c_c: number | undefined;
  readonly c_s: number | undefined;
  readonly d_sigma: number | undefined;

  constructor(problem: Problem, options: SEPCMAESOptions) {
    super("SEPCMAES", problem, options, ["c_c", "c_s", "d_sigma"], CoreSepCMAES, () => ({}));
    this.fixedParents();
    const op = options as unknown as Record<string, unknown>;
    this.c_c = rate("c_c", op.c_c, { gt: 0, max: 1 });
    this.c_s = rate("c_s", op.c_s, { gt: 0, max: 1 });
    this.d_sigma = rate("d_sigma", op.d_sigma, { gt: 0 });
  }

  protected kind(): Kind {
    const d = this.ndim_problem;
    return {
      Cls: CoreSepCMAES,
      evaluateMean: false,
      coreOptions: () => defined({ cc: this.c_c, cSigma: this.c_s, dSigma: this.d_sigma }),
      startOptions: () => ({}),
      restarted: () => {},
      extra: (s) => {
        const r = s as CoreSepCMAES | null;
        return { s: r ? r.ps : new Float64Array(d), p: r ? r.pc : new Float64Array(d), d: r ? r.stds : new Float64Array(d).fill(1) };
      },
    };
  }
}

/**
 * PyPop7's LMMAES over evostrat's LM-MA-ES (src/strategies/lmmaes.ts, Loshchilov, Glasmachers &
 * Beyer 2019): `new LMMAES(problem, options).optimize()`; O(m·d) per sample, for large d.
 *
 * ```ts
 * import { LMMAES } from "evostrat/pypop7";
 * const sphere = (x) => x.reduce((s, v) => s + v * v, 0);
 * const res = new LMMAES(
 *   { fitness_function: sphere, ndim_problem: 1000, lower_boundary: -5, upper_boundary: 5 },
 *   { max_function_evaluations: 2e5, fitness_threshold: 1e-8, seed_rng: 1, mean: 3, sigma: 0.1, is_restart: false, verbose: 0 },
 * ).optimize();
 * console.log(`LMMAES: ${res.n_function_evaluations}, ${res.best_so_far_y}`);
 * ```
 */
export class LMMAES extends ES<LMMAESResults> {
  readonly n_evolution_paths: number;
  readonly c_s: number;

  constructor(problem: Problem, options: LMMAESOptions) {
    super("LMMAES", problem, options, ["n_evolution_paths", "c_s"], CoreLMMAES,
      (op) => ({ nVectors: intOr(op.n_evolution_paths, 1, defaultPopSize(typeof problem?.ndim_problem === "number" ? problem.ndim_problem : 1)) }));
    const op = options as unknown as Record<string, unknown>, d = this.ndim_problem;
    this.n_evolution_paths = number("n_evolution_paths", op.n_evolution_paths, defaultPopSize(d), { min: 1, max: 1024, integer: true, finite: true });
    this.c_s = number("c_s", op.c_s, Math.min(1, (2 * this.n_individuals) / d), { gt: 0, finite: true });
    if (this.c_s > 1) fail("range", `option "c_s"`, `must be <= 1, got ${this.c_s}`);
  }

  protected kind(): Kind {
    const d = this.ndim_problem, m = this.n_evolution_paths, given = this.c_s !== Math.min(1, (2 * this.n_individuals) / d);
    return {
      Cls: CoreLMMAES,
      evaluateMean: false,
      coreOptions: () => ({ mu: this.n_parents, nVectors: m, ...(given ? { cSigma: this.c_s } : {}) }),
      // after a restart μ = ⌊λ/2⌋ and c_σ follows the doubled λ (PyPop7's initialize reads its default again)
      startOptions: (index, popSize) => (index > 0 ? { mu: Math.floor(popSize / 2) } : {}),
      restarted: () => {},
      extra: (s) => {
        const v = s ? (s as CoreLMMAES).vectors : new Float64Array(m * d);
        return { s: s ? (s as CoreLMMAES).ps : new Float64Array(d), tm: Array.from({ length: m }, (_, i) => v.slice(i * d, (i + 1) * d)) };
      },
    };
  }
}

// an optional rate: undefined (the core's default) or a checked number
function rate(name: string, v: unknown, spec: { gt?: number; min?: number; max?: number }): number | undefined {
  if (v === undefined || v === null) return undefined;
  const x = number(name, v, NaN, { ...spec, finite: true });
  if (spec.max !== undefined && x > spec.max) fail("range", `option "${name}"`, `must be <= ${spec.max}, got ${x}`);
  return x;
}
const defined = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The state of one optimize() call; `steps()` yields each point to evaluate and receives its value. */
class Run {
  tfe = 0;
  readonly t0 = now();
  private nfe = 0;
  private signal: TerminationSignal = 0;
  private bestY = Infinity;
  private bestX: Float64Array | null = null;
  private pendingBest: Float64Array | null = null; // a population row that improved: copied once per generation
  private esCounter = 0;
  private esBase = Infinity;
  private fitness: number[] | null;
  private printed = 0;
  private ngen = 0;

  constructor(private readonly o: ES<ESResults>, private readonly k: Kind, private readonly log: (line: string) => void) {
    this.fitness = o.saving_fitness ? [] : null;
  }

  private check(): boolean {
    const o = this.o;
    const runtime = now() - this.t0;
    let s: TerminationSignal = 0;
    if (this.nfe >= o.max_function_evaluations) s = 1;
    else if (runtime >= o.max_runtime) s = 2;
    else if (this.bestY <= o.fitness_threshold) s = 3;
    else if (this.esCounter >= o.early_stopping_evaluations) s = 4;
    this.signal = s;
    return s !== 0;
  }

  // PyPop7's _evaluate_fitness bookkeeping, after the call
  private record(x: Float64Array, y: number, isRow: boolean): void {
    this.nfe++;
    if (y < this.bestY) {
      this.bestY = y;
      if (isRow) this.pendingBest = x;
      else { this.bestX = x.slice(); this.pendingBest = null; }
    }
    if (this.esBase - y <= this.o.early_stopping_threshold) this.esCounter++;
    else { this.esCounter = 0; this.esBase = y; }
    if (this.fitness) this.fitness.push(y);
  }

  private flushBest(): void {
    if (this.pendingBest) {
      if (!this.bestX) this.bestX = this.pendingBest.slice();
      else this.bestX.set(this.pendingBest);
      this.pendingBest = null;
    }
  }

  private verboseInfo(y: Float64Array, force = false): void {
    const v = this.o.verbose;
    if (!v) return;
    const changed = this.printed !== this.nfe;
    if (changed && (this.ngen % v === 0 || this.signal > 0 || force)) {
      let mn = Infinity;
      for (let i = 0; i < y.length; i++) { const t = y[i]; if (t !== t) { mn = NaN; break; } if (t < mn) mn = t; }
      this.log(`  * Generation ${this.ngen}: best_so_far_y ${pyE(this.bestY)}, min(y) ${pyE(mn)} & Evaluations ${this.nfe}`);
      this.printed = this.nfe;
    }
  }

  *steps(): Generator<Batch, ESResults, Float64Array> {
    const o = this.o, k = this.k;
    const o2 = o as { n_individuals: number; n_parents: number };
    const listGenerations: number[] = [], listInitialMean: Float64Array[] = [];
    let nRestart = 0;
    let mean0 = o.mean ? o.mean.slice() : new Float64Array(o.ndim_problem);
    let y = new Float64Array(o.n_individuals); // this generation's values, as evaluated (verbose lines)
    let last: { mean: Float64Array; sigma: number; extra: Record<string, unknown> } | null = null;
    const box = o.initial_lower_boundary && o.initial_upper_boundary ? [o.initial_lower_boundary, o.initial_upper_boundary] : undefined;
    const ran = yield* restarts({
      Cls: k.Cls,
      options: { ...(o.mean ? { mean: o.mean } : {}), sigma: o.sigma, seed: o.seed_optimization, popSize: o.n_individuals, ...k.coreOptions() },
      restarts: {
        kind: "pypop7", popSizeFactor: 2, box: o.is_restart || !o.mean ? [box![0], box![1]] : null,
        // without restarts the rule never fires (and the run goes on until a termination)
        maxRestarts: o.is_restart ? Infinity : 0, sigmaThreshold: o.is_restart ? o.sigma_threshold : 0,
        stagnation: o.is_restart ? o.stagnation : Infinity, fitnessDiff: o.fitness_diff,
      },
      evaluateMean: k.evaluateMean,
      loop: {
        pointwise: true,
        halt: () => this.check(),
        onValue: (x, yk, i) => {
          if (i >= 0) y[i] = yk;
          this.record(x, yk, i >= 0);
        },
        beforeTell: () => this.flushBest(),
        onGeneration: (_info, values) => {
          this.ngen++;
          this.verboseInfo(values);
        },
      },
      startOptions: (st) => {
        mean0 = st.mean.slice();
        listInitialMean.push(mean0.slice());
        // initialize(): for RMES y = λ copies of f(mean0); the others start with no values
        y = new Float64Array(st.popSize).fill(k.evaluateMean ? st.meanF! : NaN);
        return k.startOptions(st.index, st.popSize, st.meanF);
      },
      onStart: () => {
        if (nRestart > 0) this.verboseInfo(y);
      },
      onRestart: (s) => {
        this.verboseInfo(y, true);
        if (o.verbose) this.log(" ....... *** restart *** .......");
        nRestart++;
        listGenerations.push(this.ngen);
        this.ngen = 0;
        // PyPop7 mutates these too, so a second optimize() starts from them
        o2.n_individuals = 2 * s.popSize;
        o2.n_parents = Math.floor(o2.n_individuals / 2);
        k.restarted();
      },
      onEnd: (s) => {
        if (s) last = { mean: s.mean, sigma: s.sigma, extra: k.extra(s) };
      },
    });
    // the deadline passed while an evaluation was pending (it was abandoned): PyPop7's MAX_RUNTIME
    if (this.signal === 0 && ran.reasons.includes("maxTime")) this.signal = Terminations.MAX_RUNTIME;
    this.flushBest();
    this.verboseInfo(y);
    const fin = last as { mean: Float64Array; sigma: number; extra: Record<string, unknown> } | null;
    const res: ESResults = {
      best_so_far_x: this.bestX ? this.bestX.slice() : null,
      best_so_far_y: this.bestY,
      n_function_evaluations: this.nfe,
      runtime: now() - this.t0,
      termination_signal: this.signal,
      time_function_evaluations: this.tfe,
      fitness: this.fitness ? compress(this.fitness, o.saving_fitness) : null,
      success: this.success(),
      mean: fin ? fin.mean : mean0.slice(),
      initial_mean: mean0.slice(),
      _list_initial_mean: listInitialMean,
      sigma: fin ? fin.sigma : o.sigma,
      _n_restart: nRestart,
      _n_generations: this.ngen,
      _list_generations: listGenerations,
      ...(fin ? fin.extra : k.extra(null)),
    };
    return res;
  }

  private success(): boolean {
    const o = this.o, x = this.bestX;
    if (!x) return false;
    const lo = o.lower_boundary, hi = o.upper_boundary;
    if (lo && hi) for (let i = 0; i < x.length; i++) if (lo[i] > x[i] || x[i] > hi[i]) return false;
    if (Number.isNaN(this.bestY)) return false;
    for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i])) return false;
    return true;
  }
}

/** PyPop7's _compress_fitness: best-so-far values; every evaluation (k = 1) or every k-th plus the last. */
function compress(all: number[], k: number): [number, number][] {
  const n = all.length;
  if (n === 0) return [];
  const f = all.slice();
  for (let i = 0; i + 1 < n; i++) if (f[i] < f[i + 1]) f[i + 1] = f[i];
  if (k === 1) return f.map((v, i) => [i + 1, v]);
  // PyPop7 keeps 1-based evaluations 1, 1 + k, 1 + 2k, ... and the last one, but labels the rows in
  // between with the 0-based index (its own quirk, kept so the arrays match).
  const idx: number[] = [];
  for (let i = 1; i < n; i += k) idx.push(i - 1);
  idx.push(n - 1);
  const out: [number, number][] = idx.map((i) => [i, f[i]]);
  out[0][0] = 1;
  out[out.length - 1][0] = n;
  return out;
}
