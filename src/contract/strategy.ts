/**
 * The strategy contract, written once: every strategy is `new X(options)`, then ask/tell.
 *
 * The base class does the shared work (evosax's base.py, hash-wasm's WASMInterface): options from the
 * strategy's spec (./options.ts), the config block and the core's status (assembly/abi.ts), the
 * ask/tell order, NaN as the worst value, best so far (./archive.ts), counters, stop criteria
 * (./stop.ts), versioned save/load (./state.ts), the optimizer's generator, dispose. A strategy file
 * supplies its spec, its four core exports, the config words, and what it writes after init.
 *
 * Every core answers the universal slots (abi.ts SLOT_*): mean, population (λ×d, row-major), fitness,
 * scalars (σ, the largest and smallest coordinate standard deviation over σ) and its generator block.
 */
import * as abi from "../../assembly/abi.js";
import { BUILD_ID, Core } from "../wasm.js";
import type { CoreExports, StrategyExports } from "../wasm/exports.js";
import { checkStatus } from "../wasm/errors.js";
import { describe, fail, vec, rows } from "../check.js";
import { defaultPopSize } from "./defaults.js";
import { choice, custom, integer, number, optionalNumber, resolve, seed, vector, type OptionsOf, type ParamsOf, type SpecMap } from "./options.js";
import { Archive } from "./archive.js";
import { defaultStagnation, FifthsRing, Ring, stopReasons, type StopReason } from "./stop.js";
import { decode, encode, type Fields } from "./state.js";

export type { StopReason } from "./stop.js";

/** A population: `count` rows of `dimension` values, row-major, in the optimizer's memory. */
export interface Population {
  readonly count: number;
  readonly dimension: number;
  /** The generation this population belongs to (0 for the first ask). */
  readonly generation: number;
  /** count × dimension values, row-major. A view: valid until the next ask() or tell(). */
  readonly data: Float64Array;
  /** Row i as a view (no copy), valid until the next ask() or tell(). */
  row(i: number): Float64Array;
}

/** A bound: a number for every coordinate, or an array of d (±Infinity leaves a side unbounded). */
function bound(name: string, v: unknown, d: number): Float64Array {
  if (typeof v === "number") {
    if (Number.isNaN(v)) fail("range", `option "${name}"`, "must be a number or an array of numbers, got NaN");
    return new Float64Array(d).fill(v);
  }
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail("type", `option "${name}"`, `must be a number or an array of ${d} numbers, got ${describe(v)}`);
  const a = v as ArrayLike<unknown>;
  if (a.length !== d) fail("range", `option "${name}"`, `must have length ${d} (the dimension), got ${a.length}`);
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const x = a[i];
    if (typeof x !== "number" || Number.isNaN(x)) fail("type", `option "${name}"`, `element ${i} must be a number (±Infinity for none), got ${describe(x)}`);
    out[i] = x as number;
  }
  return out;
}

/** The options every strategy takes (each strategy's spec starts with these). */
export const baseSpec = {
  /** The initial mean; its length is the dimension. Required unless `lower` and `upper` are finite arrays, then it is drawn uniformly in that box from the optimizer's generator. */
  mean: vector(),
  /** Lower bounds of the box every evaluated point lies in: a number, or an array of d (−Infinity: none). Default: none. */
  lower: custom<Float64Array | undefined, number | ArrayLike<number>>((name, v, p) => bound(name, v, p.d), undefined),
  /** Upper bounds of that box. Default: none. */
  upper: custom<Float64Array | undefined, number | ArrayLike<number>>((name, v, p) => bound(name, v, p.d), undefined),
  /**
   * How a sampled point becomes the evaluated point in the box (the distribution and its update stay
   * in the unbounded space; best.x is the evaluated point): 'transform', pycma's BoundTransform (smooth,
   * quadratic near the bounds); 'reflect', mirrored at the bounds; 'clip', the nearest point of the box
   * (NEORL's way). Default 'transform'.
   */
  boundHandling: choice(["transform", "reflect", "clip"] as const, "transform"),
  /** Initial step size σ0 > 0. Default 1. */
  sigma: number({ gt: 0, default: 1 }),
  /** Seed of the optimizer's own generator: an integer in [0, 2^53) or a bigint. Default: drawn from crypto.getRandomValues (the instance's `seed` says which, so any run can be repeated). */
  seed: seed(),
  /** Population size λ (2 ≤ λ ≤ 2^20). Default: 4 + ⌊3 ln d⌋ unless the strategy says otherwise. */
  popSize: integer({ min: 2, max: 1 << 20, default: (p) => defaultPopSize(p.d) }),
  /** shouldStop() reports "maxEvaluations" once this many evaluations were told. Default Infinity. */
  maxEvaluations: number({ min: 0, infinite: true, default: Infinity }),
  /** shouldStop() reports "maxTime" after this many seconds since construction. Default Infinity. */
  maxTime: number({ min: 0, infinite: true, default: Infinity }),
  /** shouldStop() reports "target" once best.f ≤ target (≥ target when maximising). Default: none. */
  target: optionalNumber({ infinite: true }),
  /** "tolFun": the generation-best values over the last 10 + ⌈30d/λ⌉ generations, and the current generation's values, span less than tolFun (pycma's tolfun with its tolfunhist window). Default 1e-12. */
  tolFun: number({ min: 0, default: 1e-12 }),
  /** "tolX": σ times the largest coordinate standard deviation is below tolX. Default 1e-12. */
  tolX: number({ min: 0, default: 1e-12 }),
  /** "tolUpSigma": σ times the largest coordinate standard deviation grew by more than this factor since the start (pycma's tolupsigma). Default 1e20. */
  tolUpSigma: number({ gt: 0, infinite: true, default: 1e20 }),
  /** "tolStagnation": over the last tolStagnation generations, the newest fifth's median best and median values are no better than the oldest fifth's (after pycma's tolstagnation). Default 10·(100 + 100·d^1.5/λ) for strategies that adapt σ, pycma's 100 + 100·d^1.5/λ for SimpleES and OpenAI-ES; at most 20,000. */
  tolStagnation: integer({ min: 20, max: 20_000, default: (p) => defaultStagnation(p.d, p.popSize) }),
  /** "conditionCov": the ratio of the largest to the smallest coordinate variance exceeds this (a lower bound of pycma's condition_cov; only strategies with a matrix can reach it). Default 1e14. */
  conditionCov: number({ gt: 1, infinite: true, default: 1e14 }),
  /** 'min' minimises f, 'max' maximises it (fitness, best.f, tell's figures and `target` are then in that sign). Default 'min'. */
  mode: choice(["min", "max"] as const, "min"),
};

/**
 * The options of a strategy with spec S, as users write them: a mean, or (instead) a finite box given
 * as arrays to draw it from.
 */
export type StrategyOptions<S extends SpecMap> =
  | (OptionsOf<S> & {
      /** The initial mean; its length is the dimension d. Required (unless `lower` and `upper` are arrays, below). */
      mean: ArrayLike<number>;
    })
  | (Omit<OptionsOf<S>, "mean" | "lower" | "upper"> & {
      /** Omitted: the initial mean is drawn uniformly in the box [lower, upper]. Default: none. */
      mean?: undefined;
      /** The box's lower corner (finite, length d), to draw the initial mean from and to bound the search. Required here. */
      lower: ArrayLike<number>;
      /** The box's upper corner (finite, length d). Required here. */
      upper: ArrayLike<number>;
    });

/** The options every strategy takes (baseSpec). */
export type BaseOptions = StrategyOptions<typeof baseSpec>;
/** The resolved parameters every strategy has (`es.params`). */
export type BaseParams = ParamsOf<typeof baseSpec>;

/** What tell() returns: this generation's figures (evosax-style metrics; nothing is printed). */
export interface GenerationInfo {
  generation: number;
  evaluations: number;
  /** best f of this generation (user sign) */
  bestF: number;
  /** mean of this generation's finite f values (user sign) */
  meanF: number;
  /** best f so far (user sign) */
  bestSoFar: number;
  sigma: number;
  /** median of this generation's finite f values (user sign; NaN when none is finite) */
  medianF: number;
  /** the largest coordinate standard deviation of the distribution, σ·max_i √C_ii (σ when C = I) */
  maxStd: number;
  /** the smallest coordinate standard deviation, σ·min_i √C_ii */
  minStd: number;
}

/** Writes the config block's words and remembers which option each came from (for the core's status). */
export class ConfigWriter {
  readonly names = new Map<number, string>();
  private readonly f: Float64Array;
  private readonly u: BigUint64Array;

  constructor(buffer: ArrayBuffer, ptr: number) {
    this.f = new Float64Array(buffer, ptr, abi.CFG_WORDS).fill(0);
    this.u = new BigUint64Array(buffer, ptr, abi.CFG_WORDS);
  }

  /** Word `word` = v (a number; booleans as 0/1), from option `name`. */
  set(word: number, v: number | boolean, name: string): this {
    this.f[word] = typeof v === "boolean" ? (v ? 1 : 0) : v;
    this.names.set(word, name);
    return this;
  }

  setU64(word: number, v: bigint, name: string): this {
    this.u[word] = BigInt.asUintN(64, v);
    this.names.set(word, name);
    return this;
  }
}


/** The largest dimension any strategy can hold: 8·d·(2 + 4) bytes must fit in wasm32's 4 GiB. */
const MAX_D = Math.floor(2 ** 32 / 48);

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;

export abstract class Strategy<P extends BaseParams = BaseParams> {
  /** The name stamped into save() bytes; load() rejects bytes of another strategy. */
  static readonly strategyName: string = "strategy";

  /**
   * Every parameter this strategy would use at dimension d with these options (the rest defaulted),
   * without creating an optimizer: `CSAES.defaults(10).popSize` is 10. `mean` defaults to zeros and
   * `seed` to 0 here.
   */
  static defaults<S extends SpecMap>(this: { spec: S; strategyName: string }, d: number, options: Partial<OptionsOf<S>> = {}): ParamsOf<S> {
    const o = options as Record<string, unknown>;
    const mean = o.mean === undefined ? new Float64Array(d) : vec("mean", o.mean, d);
    return resolve(this.strategyName, this.spec, { seed: 0, ...o, mean }, { d, mean }) as ParamsOf<S>;
  }

  readonly dimension: number;
  /** The seed actually used (drawn from crypto when none was given), so any run can be repeated. */
  readonly seed: bigint;
  /** λ, the number of rows ask() returns. */
  readonly popSize: number;
  /** The resolved parameters: every option with its default, and the derived ones (weights, …). */
  readonly params: P;
  protected readonly core: Core;
  /** The four exports of this strategy's core. */
  protected readonly fns: StrategyExports;
  /** The options as given (kept for save/load). */
  private readonly given: Record<string, unknown>;
  /** +1 when minimising, -1 when maximising (mode 'max'). */
  protected readonly sign: number;

  private _disposed = false;
  private expectTell = false;
  private _generation = 0;
  private _evaluations = 0;
  private asks = 0;
  private readonly archive: Archive;
  private t0: number;
  // stop-criteria windows (internal sign, finite values only): tolFun's generation-best values, and
  // tolStagnation's generation-best values and medians
  private readonly fhist: Ring;
  private readonly stagBest: FifthsRing;
  private readonly stagMedian: FifthsRing;
  private lastRange = Infinity;
  // λ values of scratch for tell() (the snapshot of the fitness, then the finite values' median)
  private readonly scratch: Float64Array;
  private maxsd0 = 1;
  // box bounds: addresses of the box, its margins and the evaluated points, and the map (abi BOUNDS_*)
  private box: { lo: number; hi: number; al: number; au: number; img: number; mode: number } | undefined;
  // the sampled population (the strategy's); popV is what is evaluated (the images when bounded)
  private sampledV!: Float64Array;
  private sigma0 = 1;

  // views, rebuilt by bindViews()
  private meanV!: Float64Array;
  private popV!: Float64Array;
  private fitV!: Float64Array;
  /** The core's scalars (abi.ts SC_*; the strategy's own from SC_FIRST). */
  protected scal!: Float64Array;
  private pop!: Population;
  private rows!: Float64Array[];

  /**
   * Resolves `options` against `spec` (unknown keys, types and ranges are checked, naming the option,
   * before anything is allocated), refuses at once what cannot fit in wasm32, then creates the core,
   * writes the config block and runs init. Subclasses pass their name and spec, nothing else.
   */
  constructor(name: string, spec: SpecMap, options: unknown) {
    if (options === null || typeof options !== "object") fail("type", `${name}:`, `options must be an object, got ${describe(options)}`);
    const o = options as Record<string, unknown>;
    let mean: Float64Array | undefined;
    let d: number;
    if (o.mean !== undefined) {
      mean = vec("mean", o.mean, undefined, MAX_D);
      d = mean.length;
    } else {
      // the mean is drawn in the box (`lower`/`upper`, arrays): the box gives the dimension
      if (o.lower === undefined || typeof o.lower === "number" || o.upper === undefined) fail("type", `${name}: option "mean"`, `is required unless "lower" and "upper" are given as arrays (its length is the dimension)`);
      const lo = o.lower as ArrayLike<unknown>;
      if (!(Array.isArray(lo) || ArrayBuffer.isView(lo))) fail("type", `${name}: option "lower"`, `must be an array when "mean" is omitted, got ${describe(lo)}`);
      if (lo.length > MAX_D || lo.length === 0) fail("range", `${name}: option "lower"`, `has length ${lo.length}: the dimension must be in [1, ${MAX_D}]`);
      d = lo.length;
    }
    const p = resolve(name, spec, o, { d, mean }) as unknown as P;
    if ((p.lower === undefined) !== (p.upper === undefined)) fail("type", `${name}: option "${p.lower ? "upper" : "lower"}"`, `is required with "${p.lower ? "lower" : "upper"}"`);
    if (p.lower && p.upper) {
      for (let i = 0; i < d; i++) if (!(p.lower[i] <= p.upper[i])) fail("range", `${name}: option "lower"`, `must be <= upper elementwise (index ${i}: ${p.lower[i]} > ${p.upper[i]})`);
      if (!mean && !(p.lower.every(Number.isFinite) && p.upper.every(Number.isFinite))) fail("type", `${name}: option "mean"`, "is required when the box is not finite (it cannot be drawn in an unbounded box)");
    }
    // σ0 so large that mean + σ0·z overflows (z reaches a few tens at most) would start non-finite
    let mx = 0;
    if (mean) for (let i = 0; i < d; i++) mx = Math.max(mx, Math.abs(mean[i]));
    if (!Number.isFinite(mx + 1e3 * p.sigma)) fail("range", `${name}: option "sigma"`, `is too large: mean + sigma·z would overflow (got ${p.sigma})`);
    this.params = p;
    this.dimension = d;
    this.popSize = p.popSize;
    this.seed = p.seed;
    this.sign = p.mode === "max" ? -1 : 1;
    this.given = { ...o, seed: this.seed.toString() };
    // Every strategy holds at least the population and a few d-vectors; the strategy adds the rest
    // (memoryEstimate). Refuse at once what cannot fit in wasm32, before allocating anything.
    const bytes = 8 * d * (p.popSize + 4) + this.memoryEstimate(p) + (p.lower ? 8 * d * (p.popSize + 4) : 0);
    if (bytes >= 2 ** 32) {
      fail("range", `${name}: options "mean" and "popSize"`, `(d = ${d}, popSize = ${p.popSize}) need at least ${(bytes / 2 ** 30).toFixed(1)} GiB; WebAssembly memory is limited to 4 GiB`);
    }
    this.archive = new Archive(d);
    this.fhist = new Ring(10 + Math.ceil((30 * d) / p.popSize));
    this.stagBest = new FifthsRing(p.tolStagnation);
    this.scratch = new Float64Array(p.popSize);
    this.stagMedian = new FifthsRing(p.tolStagnation);
    this.t0 = now();
    this.core = new Core(`${name}:`);
    this.fns = this.exports(this.core.x as unknown as CoreExports);
    const x = this.core.x as unknown as CoreExports;
    const cfgPtr = x.config_ptr() >>> 0;
    const cfg = new ConfigWriter(x.memory.buffer, cfgPtr);
    cfg.set(abi.CFG_D, d, "mean").set(abi.CFG_LAMBDA, p.popSize, "popSize").setU64(abi.CFG_SEED, p.seed, "seed").set(abi.CFG_SIGMA, p.sigma, "sigma");
    this.configure(cfg, p);
    checkStatus(name, this.fns.init(cfgPtr), cfg.names, `d = ${d}, popSize = ${p.popSize}`);
    if (p.lower && p.upper) {
      // the box, its transform margins and the evaluated points, in this optimizer's memory
      const lo = x.allocF64(d) >>> 0, hi = x.allocF64(d) >>> 0, al = x.allocF64(d) >>> 0, au = x.allocF64(d) >>> 0;
      const img = x.allocF64(p.popSize * d) >>> 0;
      const L = this.core.f64(lo, d), U = this.core.f64(hi, d), AL = this.core.f64(al, d), AU = this.core.f64(au, d);
      L.set(p.lower); U.set(p.upper);
      for (let i = 0; i < d; i++) { const w = p.upper[i] - p.lower[i]; AL[i] = x.bounds_margin(p.lower[i], w); AU[i] = x.bounds_margin(p.upper[i], w); }
      const mode = { transform: abi.BOUNDS_TRANSFORM, reflect: abi.BOUNDS_REFLECT, clip: abi.BOUNDS_CLIP }[p.boundHandling];
      this.box = { lo, hi, al, au, img, mode };
    }
    this.bindViews();
    if (mean) this.meanV.set(mean);
    else if (p.lower && p.upper) {
      const u = this.uniform(d), m = new Float64Array(d);
      for (let i = 0; i < d; i++) m[i] = p.lower[i] + u[i] * (p.upper[i] - p.lower[i]);
      this.meanV.set(m);
    }
    this.afterInit(p);
    this.maxsd0 = this.scal[abi.SC_MAXSD];
    this.sigma0 = this.scal[abi.SC_SIGMA];
  }

  /** The strategy's four core exports. */
  protected abstract exports(x: CoreExports): StrategyExports;

  /** Writes the strategy's config words (the base wrote d, λ, seed and σ). */
  protected abstract configure(cfg: ConfigWriter, p: P): void;

  /** Writes what the core needs after init (weights, utilities, …); the base wrote the mean. */
  protected afterInit(_p: P): void {}

  /** Bytes the strategy needs beyond 8·d·(λ + 4), for the up-front size check. */
  protected memoryEstimate(_p: P): number {
    return 0;
  }

  /** A Float64Array view of n values at a slot of the core (abi.ts), valid until the memory grows. */
  protected slot(slot: number, n: number): Float64Array {
    return this.core.f64(this.fns.ptr(slot), n);
  }

  private bindViews(): void {
    const d = this.dimension, n = this.popSize;
    this.core.views();
    this.meanV = this.slot(abi.SLOT_MEAN, d);
    this.sampledV = this.slot(abi.SLOT_POP, n * d);
    this.popV = this.box ? this.core.f64(this.box.img, n * d) : this.sampledV;
    this.fitV = this.slot(abi.SLOT_FIT, n);
    this.scal = this.slot(abi.SLOT_SCALARS, abi.SC_FIRST + this.scalarCount());
    this.rows = Array.from({ length: n }, (_, i) => this.popV.subarray(i * d, (i + 1) * d));
    const rows = this.rows, data = this.popV, self = this;
    this.pop = {
      count: n, dimension: d, data,
      get generation() { return self.asks - 1; },
      row: (i: number) => rows[i] ?? fail("range", "row(i):", `i must be an integer in [0, ${n}), got ${i}`),
    };
  }

  /**
   * After load() wrote a heap: a reason it cannot be this strategy's state (an index out of range, a
   * size that does not match), or null. The checksums catch damage, this catches forgery that would
   * make the core read out of bounds.
   */
  protected validateHeap(): string | null {
    return null;
  }

  /** How many scalars the strategy keeps beyond the universal ones (abi.ts SC_FIRST). */
  protected scalarCount(): number {
    return 0;
  }

  /** Throws on a disposed optimizer and rebuilds the views if the memory ever grew. Every public entry calls it. */
  protected live(call: string): void {
    if (this._disposed) throw new Error(`evostrat: ${call} called on a disposed optimizer`);
    if (this.core.stale) this.bindViews();
  }

  /** Samples a population. Call tell() with its fitness before the next ask(). */
  ask(): Population {
    this.live("ask()");
    if (this.expectTell) throw new Error("evostrat: ask() called out of order: expected tell(fitness) for the population of the previous ask()");
    this.draw(0, this.popSize);
    // the next ask draws from the next generation's row streams (askRows draws leave it where it is)
    const x = this.core.x as unknown as CoreExports;
    x.gen_advance(this.fns.ptr(abi.SLOT_RNG));
    this.asks++;
    this.expectTell = true;
    return this.pop;
  }

  /**
   * Rows [first, end) of the population the next ask() returns (or, between ask() and tell(), of the
   * pending one), drawn alone: each row comes from its own random stream, so these are the bits
   * those rows of ask() have, and the other rows are not drawn (a distributed worker samples only its
   * rows). (end − first)·d values, row-major: the evaluated points (in the box when bounded). A view,
   * valid until the next ask(), tell() or askRows(). The optimizer's state does not change: `asked`
   * stays false and the next ask() is the same.
   */
  askRows(first: number, end: number): Float64Array {
    this.live("askRows()");
    const n = this.popSize, d = this.dimension;
    if (!Number.isInteger(first) || first < 0 || first >= n) fail("range", "askRows(first, end):", `first must be an integer in [0, ${n}), got ${describe(first)}`);
    if (!Number.isInteger(end) || end <= first || end > n) fail("range", "askRows(first, end):", `end must be an integer in (${first}, ${n}], got ${describe(end)}`);
    if (!this.expectTell) this.draw(first, end);
    return this.popV.subarray(first * d, end * d);
  }

  // rows [first, end) of the current generation into the population (and their images in the box)
  private draw(first: number, end: number): void {
    this.fns.ask(first, end);
    const b = this.box;
    if (b) {
      const x = this.core.x as unknown as CoreExports, o = 8 * first * this.dimension;
      x.bounds_apply((this.fns.ptr(abi.SLOT_POP) >>> 0) + o, b.img + o, b.lo, b.hi, b.al, b.au, end - first, this.dimension, b.mode);
    }
  }

  /**
   * Updates the distribution from the fitness of the last ask()'s population (one value per row,
   * lower is better when minimising; NaN counts as the worst value). Throws, leaving the state
   * unchanged, on a wrong length or a call out of order.
   *
   * `x`, optional: the points that were actually evaluated, when they differ from the ones asked
   * (repaired or injected solutions, as pycma's tell(X, f)): λ rows of d values (an array of rows, or
   * λ·d values row-major). Only strategies whose update can be recomputed from x accept it (`injectable`).
   */
  tell(fitness: ArrayLike<number>, x?: ArrayLike<number> | ArrayLike<ArrayLike<number>>): GenerationInfo {
    this.live("tell()");
    if (!this.expectTell) throw new Error("evostrat: tell() called out of order: expected ask() first");
    if (fitness === null || typeof fitness !== "object" || typeof (fitness as ArrayLike<number>).length !== "number") {
      fail("type", "tell(fitness):", `fitness must be an array or typed array of numbers, got ${typeof fitness}`);
    }
    const n = this.popSize, d = this.dimension;
    if (fitness.length !== n) fail("range", "tell(fitness):", `fitness must have length ${n} (the population size), got ${fitness.length}`);
    // read every value once (an array-like's getters could answer differently on a second read)
    const vals = this.scratch;
    for (let i = 0; i < n; i++) {
      const v = fitness[i];
      if (typeof v !== "number") fail("type", "tell(fitness):", `fitness[${i}] must be a number, got ${typeof v}`);
      vals[i] = v;
    }
    let told: Float64Array | undefined;
    if (x !== undefined) {
      if (!this.injectable) fail("type", "tell(fitness, x):", `${(this.constructor as typeof Strategy).strategyName} cannot update from points other than the ones it asked (x must be omitted)`);
      told = rows("tell(fitness, x): x", "x", x, n, d);
    }
    // All checks passed: from here on, state changes.
    if (told) {
      // the strategy updates from these points; they are also what was evaluated
      this.sampledV.set(told);
      if (this.popV !== this.sampledV) this.popV.set(told);
      this.scal[abi.SC_INJECTED] = 1;
    }
    const fit = this.fitV, s = this.sign;
    let gBest = Infinity, gi = -1, avg = 0, cnt = 0;
    for (let i = 0; i < n; i++) {
      const v = vals[i];
      const f = v !== v ? Infinity : s * v; // NaN is the worst value
      fit[i] = f;
      if (f < gBest || gi < 0) { gBest = f; gi = i; }
      if (Number.isFinite(f)) cnt++;
    }
    this.archive.offer(this.rows[gi], gBest);
    // the stop windows see finite values only (NaN ranks last, ±Infinity are no level to converge to)
    let fBest = NaN, median = NaN;
    if (cnt > 0) {
      const finite = this.scratch.subarray(0, cnt); // vals is no longer needed
      for (let i = 0, j = 0; i < n; i++) if (Number.isFinite(fit[i])) finite[j++] = fit[i];
      finite.sort();
      fBest = finite[0];
      this.lastRange = finite[cnt - 1] - fBest;
      // the mean of the finite values as Σ f/n, kept within [min, max] (a plain sum of values near
      // ±1e308 would overflow, and so may the rounding of Σ f/n)
      for (let i = 0; i < cnt; i++) avg += finite[i] / cnt;
      avg = Math.min(Math.max(avg, fBest), finite[cnt - 1]);
      median = cnt % 2 ? finite[cnt >> 1] : 0.5 * finite[(cnt >> 1) - 1] + 0.5 * finite[cnt >> 1]; // halves first: no overflow
      this.stagBest.push(fBest);
      this.stagMedian.push(median);
    }
    this.fns.tell();
    this.expectTell = false;
    this._generation++;
    this._evaluations += n;
    this.fhist.push(fBest);
    return {
      generation: this._generation,
      evaluations: this._evaluations,
      bestF: s * gBest,
      meanF: cnt ? s * avg : NaN,
      bestSoFar: s * this.archive.f,
      sigma: this.scal[abi.SC_SIGMA],
      medianF: s * median,
      maxStd: this.scal[abi.SC_SIGMA] * this.scal[abi.SC_MAXSD],
      minStd: this.scal[abi.SC_SIGMA] * this.scal[abi.SC_MINSD],
    };
  }

  /**
   * Forgets the population of the last ask() without an update, e.g. after its evaluation failed:
   * the next ask() samples a fresh population (the next generation's row streams). Does nothing when
   * no population is outstanding.
   */
  discard(): void {
    this.live("discard()");
    this.expectTell = false;
  }

  /**
   * The population waiting for its fitness (the last ask()'s, also after load() of a state saved
   * between ask() and tell()), or undefined when none is.
   */
  get population(): Population | undefined {
    this.live("population");
    return this.expectTell ? this.pop : undefined;
  }

  /** True when tell(fitness, x) accepts evaluated points other than the ones asked. */
  get injectable(): boolean {
    this.live("injectable");
    return this.scal[abi.SC_INJECTABLE] === 1;
  }

  /** True between ask() and tell() (a population is waiting for its fitness). */
  get asked(): boolean {
    return this.expectTell;
  }

  /** The reasons to stop that hold now (empty: keep going). */
  shouldStop(): StopReason[] {
    this.live("shouldStop()");
    const p = this.params, sc = this.scal;
    return stopReasons(
      {
        evaluations: this._evaluations, elapsed: now() - this.t0, bestF: this.archive.f, sign: this.sign,
        fhist: this.fhist, lastRange: this.lastRange, stagBest: this.stagBest, stagMedian: this.stagMedian,
        sigma: sc[abi.SC_SIGMA], sigma0: this.sigma0, maxsd: sc[abi.SC_MAXSD], minsd: sc[abi.SC_MINSD], maxsd0: this.maxsd0, mean: this.meanV,
      },
      { maxEvaluations: p.maxEvaluations, maxTime: p.maxTime, target: p.target ?? NaN, tolFun: p.tolFun, tolX: p.tolX, tolUpSigma: p.tolUpSigma, conditionCov: p.conditionCov },
    );
  }

  /** A copy of the current mean. */
  get mean(): Float64Array {
    this.live("mean");
    return this.meanV.slice();
  }

  /** Replaces the mean (e.g. a restart from a new point). Only between tell() and ask(). */
  setMean(m: ArrayLike<number>): void {
    this.live("setMean()");
    if (this.expectTell) throw new Error("evostrat: setMean() called out of order: expected tell(fitness) for the population of the last ask() first");
    this.meanV.set(vec("mean", m, this.dimension));
  }

  /** The current step size σ. */
  get sigma(): number {
    this.live("sigma");
    return this.scal[abi.SC_SIGMA];
  }

  /** n uniform variates in [0, 1) from the optimizer's own generator (its main stream, saved with the state). */
  uniform(n: number): Float64Array {
    this.live("uniform()");
    const g = this.generatorMain(), x = this.core.x as unknown as CoreExports, out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x.rng_uniform(g);
    return out;
  }

  /** n standard normal variates from the optimizer's own generator (its main stream). */
  normal(n: number): Float64Array {
    this.live("normal()");
    const g = this.generatorMain(), x = this.core.x as unknown as CoreExports, out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = x.rng_normal(g);
    return out;
  }

  /** The generator block's bytes (seed, generation index, main state; abi.ts RNG_*), a copy. */
  rngState(): Uint8Array {
    this.live("rngState()");
    return new Uint8Array(this.core.x.memory.buffer, this.fns.ptr(abi.SLOT_RNG) >>> 0, 8 * abi.RNG_WORDS).slice();
  }

  /** Overwrites the generator block with bytes from rngState() (of any optimizer). */
  setRngState(state: Uint8Array): void {
    this.live("setRngState()");
    if (!(state instanceof Uint8Array) || state.length !== 8 * abi.RNG_WORDS) fail("type", "setRngState(state):", `state must be ${8 * abi.RNG_WORDS} bytes from rngState()`);
    new Uint8Array(this.core.x.memory.buffer, this.fns.ptr(abi.SLOT_RNG) >>> 0, 8 * abi.RNG_WORDS).set(state);
  }

  private generatorMain(): number {
    return (this.fns.ptr(abi.SLOT_RNG) >>> 0) + 8 * abi.RNG_MAIN;
  }

  /** A 32-bit checksum of the state: replicas that agree on it and on `generation` hold the same distribution. */
  // The heap without the λ×d buffers ask() rewrites before anything reads them (the population, the
  // box images, scratchSlots()): O(state), not O(λ·d), 1.1 µs instead of 19 µs for CSA-ES at d = 100,
  // λ = 64, once per generation in every process of a distributed run (evostrat/distributed compares
  // replicas with it after every tell). save() stores heapHash, over the whole heap, for load().
  stateHash(): number {
    this.live("stateHash()");
    const heap = this.core.heap(), x = this.core.x;
    let at = heap.byteOffset, h = 0x811c9dc5;
    const part = (a: number, b: number) => { if (b > a) h = Math.imul(h ^ x.mem_hash(a, b - a), 0x01000193) ^ (b - a); };
    for (const [a, b] of (this.hashRanges ??= this.scratchRanges())) {
      part(at, a);
      at = Math.max(at, b);
    }
    part(at, heap.byteOffset + heap.length);
    return h >>> 0;
  }

  private hashRanges: [number, number][] | undefined;
  // byte ranges [a, b) of the buffers stateHash leaves out, sorted and disjoint
  private scratchRanges(): [number, number][] {
    const d = this.dimension, pop = this.fns.ptr(abi.SLOT_POP) >>> 0, n = 8 * this.popSize * d;
    const r: [number, number][] = [[pop, pop + n]];
    for (const [slot, rows] of this.scratchSlots()) {
      const p = this.fns.ptr(slot) >>> 0;
      if (p) r.push([p, p + 8 * rows * d]);
    }
    if (this.box) r.push([this.box.img, this.box.img + n]);
    return r.sort((u, v) => u[0] - v[0]);
  }

  // The strategy's buffers of rows×d values that ask() rewrites before anything reads them ([slot,
  // rows] pairs): left out of stateHash, as the population is. None by default.
  protected scratchSlots(): [number, number][] {
    return [];
  }

  /** Completed generations (tell() calls). */
  get generation(): number {
    return this._generation;
  }

  /** Evaluations told so far. */
  get evaluations(): number {
    return this._evaluations;
  }

  /** The best point told so far and its value (x is a copy; f is +Infinity (-Infinity when maximising) before the first tell). */
  get best(): { x: Float64Array; f: number } {
    return { x: this.archive.x.slice(), f: this.sign * this.archive.f };
  }

  get disposed(): boolean {
    return this._disposed;
  }

  /** Releases the core instance; the optimizer is unusable afterwards. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    (this as unknown as { core: Core | undefined }).core = undefined;
    this.meanV = this.popV = this.fitV = this.scal = new Float64Array(0);
    this.rows = [];
  }

  /**
   * The whole state as versioned bytes: a header (format, build id, strategy, options, counters,
   * best so far) and the optimizer's heap. `X.load(bytes)` continues bit for bit.
   */
  save(): Uint8Array {
    this.live("save()");
    const heap = this.core.heap();
    const state: Fields = {
      generation: this._generation,
      evaluations: this._evaluations,
      expectTell: this.expectTell,
      bestF: this.archive.f,
      bestX: this.archive.x,
      fhist: this.fhist.values(),
      stagBest: this.stagBest.values(),
      stagMedian: this.stagMedian.values(),
      lastRange: this.lastRange,
      elapsed: now() - this.t0,
    };
    return encode({
      build: BUILD_ID,
      strategy: (this.constructor as typeof Strategy).strategyName,
      options: this.given,
      heapHash: this.core.x.mem_hash(heap.byteOffset, heap.length) >>> 0,
      state,
    }, heap);
  }

  /**
   * Restores an optimizer saved by `save()` of the same strategy and the same build. Anything else
   * (another strategy or build, truncated or damaged bytes: both parts carry a checksum) is a
   * RangeError naming load(bytes), and nothing is left allocated.
   */
  static load<T extends Strategy>(this: { new (o: never): T; strategyName: string }, bytes: Uint8Array): T {
    const bad = (msg: string): never => fail("range", "load(bytes):", msg);
    const { header: h, heap: saved } = decode(bytes);
    if (h.build !== BUILD_ID) bad(`state was saved by build ${String(h.build)}, this is build ${BUILD_ID}`);
    if (h.strategy !== this.strategyName) bad(`state is of strategy "${String(h.strategy)}", not "${this.strategyName}"`);
    const st = h.state, opts = h.options;
    if (!/^\d{1,20}$/.test(opts.seed as string) || BigInt(opts.seed as string) >= 1n << 64n) bad("damaged state (options.seed)");
    // sizes against the saved heap before constructing anything: every strategy holds at least its
    // λ×d population, so a forged popSize or mean cannot make load() build a large optimizer first
    const dimOf = (v: unknown) => (Array.isArray(v) || ArrayBuffer.isView(v) ? (v as ArrayLike<unknown>).length : NaN);
    const d = opts.mean !== undefined ? dimOf(opts.mean) : dimOf(opts.lower);
    let lambda = typeof opts.popSize === "number" ? opts.popSize : NaN;
    if (8 * d * lambda > saved.length) bad("state does not match its options (heap size differs)");
    try {
      lambda = (this as unknown as { defaults(d: number, o: object): { popSize: number } }).defaults(d, { ...opts, seed: 0, mean: undefined, lower: undefined, upper: undefined }).popSize;
    } catch (e) {
      bad(`damaged state (options: ${(e as Error).message})`);
    }
    if (!(d >= 1) || !(8 * d * lambda <= saved.length)) bad("state does not match its options (heap size differs)");
    let o: T & Strategy;
    try {
      o = new this({ ...opts, seed: BigInt(opts.seed as string) } as never) as T & Strategy;
    } catch (e) {
      // options that a forged header carries: named as load's, not as the constructor's
      return bad(`damaged state (options: ${(e as Error).message})`);
    }
    try {
      const heap = o.core.heap();
      if (heap.length !== saved.length) bad("state does not match its options (heap size differs)");
      heap.set(saved);
      if (o.core.x.mem_hash(heap.byteOffset, heap.length) >>> 0 !== h.heapHash) bad("damaged state (heap checksum)");
      const self = o as unknown as { _generation: number; _evaluations: number; expectTell: boolean; lastRange: number; archive: Archive; fhist: Ring; stagBest: FifthsRing; stagMedian: FifthsRing; asks: number; t0: number };
      // every field the contract trusts, checked against the options before it is used
      const finite = (a: Float64Array) => a.every(Number.isFinite);
      if (st.bestX.length !== o.dimension) bad("damaged state (field bestX: its length is not the dimension)");
      if (Number.isNaN(st.bestF)) bad("damaged state (field bestF)");
      for (const k of ["fhist", "stagBest", "stagMedian"] as const) {
        if (st[k].length > self[k].data.length || !finite(st[k])) bad(`damaged state (field ${k})`);
      }
      if (st.stagBest.length !== st.stagMedian.length) bad("damaged state (field stagMedian)");
      if (st.evaluations !== st.generation * o.popSize) bad("damaged state (field evaluations: not generation × popSize)");
      if (!(st.lastRange >= 0) || !(st.elapsed >= 0) || !Number.isFinite(st.elapsed)) bad("damaged state (field lastRange or elapsed)");
      // the generation index of the row streams is in the heap; asks follows it
      const asks = new BigUint64Array(o.core.x.memory.buffer, o.fns.ptr(abi.SLOT_RNG) >>> 0, abi.RNG_WORDS)[abi.RNG_GEN];
      if (asks < BigInt(st.generation) || asks > BigInt(Number.MAX_SAFE_INTEGER) || (st.expectTell && asks === 0n)) bad("damaged state (the generator's generation index)");
      const why = o.validateHeap();
      if (why) bad(`damaged state (${why})`);
      self._generation = st.generation;
      self._evaluations = st.evaluations;
      self.expectTell = st.expectTell;
      self.lastRange = st.lastRange;
      self.archive.f = st.bestF;
      self.archive.x.set(st.bestX);
      for (const k of ["fhist", "stagBest", "stagMedian"] as const) for (const v of st[k]) self[k].push(v);
      self.t0 = now() - st.elapsed;
      self.asks = Number(asks);
      return o;
    } catch (e) {
      o.dispose();
      throw e;
    }
  }
}
