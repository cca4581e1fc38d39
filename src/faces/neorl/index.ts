/**
 * evostrat/neorl: NEORL's XNES interface, `new XNES({ mode, bounds, fit, ... }).evolute(ngen, x0)`,
 * over the evostrat XNES core (src/strategies/xnes.ts).
 *
 * see: NEORL (github mradaideh/neorl) neorl/evolu/xnes.py, as written up in
 * ../shared/reference/ALGORITHMS.md §3: option names and defaults, `mode`, `bounds`, the initial
 * distribution from `A`, adaptation sampling, the verbose block, the history and `last_pop` order,
 * and what persists across `evolute` calls (σ, B, η_σ, σ_old and the best so far; the mean restarts
 * from x0 or a new draw in the bounds).
 *
 * Differences from NEORL, on purpose:
 * - One convention, x = μ + σ B z, in sampling and in the updates. NEORL samples with Bᵀ and steps
 *   with B, which stalls even on the sphere (ALGORITHMS.md §3.2).
 * - 'int' variables are rounded to the nearest integer in the point that is evaluated (NEORL only
 *   rounds the initial draw). 'grid' bounds are an error: XNES is continuous.
 * - Adaptation sampling uses the unclipped samples, in closed form (see assembly/strategies/xnes.ts).
 * - Random streams are evostrat's (xoshiro256++, seeded per optimizer), not NumPy's global MT19937.
 * - x0 may be a typed array; npop must be ≥ 2 (NEORL's npop = 1 raw-fitness mode is not offered).
 * - ncores > 1 evaluates on a worker pool (src/drivers/pool.ts: worker_threads in Node, Web Workers in
 *   browsers, Deno and Bun), so the fitness is given as a module URL and an export name; each worker
 *   gets one block of rows per generation. A fitness that returns a Promise is awaited. Then evolute
 *   returns a Promise.
 * - verbose prints every generation (NEORL skips generations 0, npop, 2·npop, …), through `logger`.
 */
import { XNES as CoreXNES } from "../../strategies/xnes.js";
import { bool, checkKeys, describe as show, fail, num, oneOf, vec } from "../../check.js";
import { drive, generations, type Batch, type Evaluator, type Limits } from "../../drivers/evaluate.js";
import { checkFitnessModule, isFitnessModule, loadFitness, openPool, type FitnessModule } from "../../drivers/pool.js";
import { Archive } from "../../contract/archive.js";

export { ready } from "../../wasm.js";
export type { FitnessModule } from "../../drivers/pool.js";

export type SyncFitness = (x: Float64Array) => number;
export type AsyncFitness = (x: Float64Array) => PromiseLike<number>;
export type Fitness = SyncFitness | AsyncFitness | FitnessModule;

export type Bound = readonly ["float", number, number] | readonly ["int", number, number];

/** `R` is what the fitness returns: a number (evolute is synchronous) or a Promise of one. */
export interface NeorlXNESOptions<R extends number | PromiseLike<number> = number | PromiseLike<number>> {
  /** 'min' or 'max'. Required. */
  mode: "min" | "max";
  /** `{ name: ['float', lo, hi] | ['int', lo, hi] }`; d is the number of entries, in key order. Required. */
  bounds: Record<string, Bound>;
  /** The fitness: a function of x (a Float64Array of length d), or a module and export name (required when ncores > 1). Required. */
  fit: ((x: Float64Array) => R) | FitnessModule;
  /** Initial matrix A (d×d); σ0 = |det A|^{1/d}, B0 = A/σ0. Default I (σ0 = 1). */
  A?: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** Population size. Default 4 + ⌊3 ln d⌋. */
  npop?: number;
  /** η_μ. Default 1. */
  eta_mu?: number;
  /** η_σ (the initial one with adapt_sampling). Default 3(3 + ln d)/(5 d √d). */
  eta_sigma?: number;
  /** η_B. Default 3(3 + ln d)/(5 d √d). */
  eta_Bmat?: number;
  /** Adapt η_σ by adaptation sampling. Default false. */
  adapt_sampling?: boolean;
  /** Evaluations run in parallel on this many worker threads. Default 1 (in the calling thread). */
  ncores?: number;
  /** Seed (integer or bigint). Default: drawn from crypto.getRandomValues. */
  seed?: number | bigint;
  /** Receives the verbose lines. Default console.log. (Not a NEORL option.) */
  logger?: (line: string) => void;
  /**
   * Seconds an asynchronous evaluation may stay pending (a generation's evaluations run together; with
   * ncores > 1, each worker's block): past it, evolute rejects with an Error naming "timeout", the
   * evaluations are abandoned and the workers terminated. Default Infinity. (Not a NEORL option.)
   */
  timeout?: number;
}

/** One row of `last_pop`: var1..vard and fitness. */
export type PopRow = Record<string, number>;

export interface History {
  /** η_σ per generation. */
  eta_sigma: number[];
  /** σ after each generation's update. */
  sigma: number[];
  /** Best fitness so far per generation (user sign). */
  fitness: number[];
  /** The last generation's evaluated points, worst first as NEORL sorts them, as rows `{ var1..vard, fitness }`. */
  last_pop: PopRow[];
}

export type EvoluteResult = [xBest: number[], yBest: number, history: History];

/** Synchronous for a fitness function returning numbers, a Promise otherwise (async fitness, module). */
export type EvoluteReturn<R> = [R] extends [number] ? EvoluteResult : Promise<EvoluteResult>;

const KEYS = ["mode", "bounds", "fit", "A", "npop", "eta_mu", "eta_sigma", "eta_Bmat", "adapt_sampling", "ncores", "seed", "logger", "timeout"] as const;

/** NEORL's XNES. */
export class XNES<R extends number | PromiseLike<number> = PromiseLike<number>> {
  readonly mode: "min" | "max";
  readonly bounds: Record<string, Bound>;
  readonly npop: number;
  readonly eta_mu: number;
  readonly eta_sigma: number;
  readonly eta_Bmat: number;
  readonly adapt_sampling: boolean;
  readonly ncores: number;
  /** The seed in use. */
  readonly seed: bigint;
  /** The evostrat optimizer underneath (σ, B, η_σ and the random stream persist across evolute calls). */
  readonly core: CoreXNES;
  private readonly fit: Fitness;
  private readonly d: number;
  private readonly lo: Float64Array;
  private readonly hi: Float64Array;
  private readonly isInt: Uint8Array;
  private readonly log: (line: string) => void;
  // the best evaluated point (clipped, ints rounded) and its value, minimised sign: the contract's archive
  private readonly archive: Archive;
  private readonly timeout: number;
  private running = false;

  constructor(options: NeorlXNESOptions<R>) {
    checkKeys("XNES (neorl)", options, KEYS);
    const o = options as unknown as Record<string, unknown>;
    if (o.mode === undefined) fail("type", `option "mode"`, "is required: 'min' or 'max'");
    this.mode = oneOf("mode", o.mode, "min", ["min", "max"] as const);
    const { lo, hi, isInt } = parseBounds(o.bounds);
    const d = lo.length;
    this.d = d; this.lo = lo; this.hi = hi; this.isInt = isInt;
    this.bounds = o.bounds as Record<string, Bound>;
    this.fit = checkFit(o.fit);
    this.ncores = num("ncores", o.ncores, 1, { min: 1, integer: true, max: 1024 });
    if (this.ncores > 1 && typeof this.fit === "function") {
      fail("type", `option "fit"`, `must be a module, { module: url, name: "exportName" }, when ncores > 1: worker threads cannot receive a function (functions cannot be sent between threads), so each worker imports the fitness from its module`);
    }
    const def = CoreXNES.defaults(d);
    this.npop = num("npop", o.npop, def.popSize, { min: 2, integer: true, max: 1 << 20 });
    this.eta_mu = num("eta_mu", o.eta_mu, 1, { gt: 0 });
    const etaS = num("eta_sigma", o.eta_sigma, NaN, { gt: 0 });
    const etaB = num("eta_Bmat", o.eta_Bmat, NaN, { gt: 0 });
    this.adapt_sampling = bool("adapt_sampling", o.adapt_sampling, false);
    if (o.logger !== undefined && typeof o.logger !== "function") fail("type", `option "logger"`, `must be a function, got ${show(o.logger)}`);
    this.log = (o.logger as ((line: string) => void) | undefined) ?? ((line: string) => console.log(line));
    this.timeout = num("timeout", o.timeout, Infinity, { gt: 0, infinite: true });
    this.core = new CoreXNES({
      // NEORL evaluates its samples clipped to the bounds and updates from the samples themselves
      lower: lo, upper: hi, boundHandling: "clip", popSize: this.npop, etaMu: this.eta_mu,
      ...(o.eta_sigma !== undefined ? { etaSigma: etaS } : {}), ...(o.eta_Bmat !== undefined ? { etaB: etaB } : {}),
      adaptSampling: this.adapt_sampling, seed: o.seed as number | bigint | undefined,
      ...(o.A !== undefined ? { A: o.A as ArrayLike<number> } : {}),
    });
    this.seed = this.core.seed;
    // the defaults as the core computed them (bit-identical in every runtime)
    this.eta_sigma = this.core.params.etaSigma;
    this.eta_Bmat = this.core.params.etaB;
    this.archive = new Archive(d);
  }

  /**
   * Runs ngen generations from x0 (default: a uniform draw in the bounds, int variables drawn as
   * integers). Returns [xBest, yBest, history], or a Promise of it when the fitness is async or a
   * module. σ, B, η_σ and the best so far carry over to the next call; the mean restarts.
   */
  evolute(ngen: number, x0?: ArrayLike<number> | null, verbose = false): EvoluteReturn<R> {
    // one run at a time: a second evolute() (concurrent, or from inside the fitness) would share the
    // optimizer and silently discard the first one's population
    if (this.running) throw new Error("evostrat: XNES.evolute() called while another evolute() of this instance is running (concurrently, or from inside its fitness): await it first, or use another instance");
    num("ngen", ngen, 0, { min: 0, integer: true });
    if (typeof verbose !== "boolean") fail("type", "evolute(ngen, x0, verbose):", `verbose must be a boolean, got ${show(verbose)}`);
    this.running = true;
    let out: EvoluteReturn<R> | undefined;
    try {
      out = this.evoluteRun(ngen, x0, verbose);
      return out;
    } finally {
      if (out instanceof Promise) out.then(() => { this.running = false; }, () => { this.running = false; });
      else this.running = false;
    }
  }

  private evoluteRun(ngen: number, x0: ArrayLike<number> | null | undefined, verbose: boolean): EvoluteReturn<R> {
    const core = this.core, d = this.d, n = this.npop;
    // A fitness that threw (or rejected) in an earlier call left its population unanswered: drop it,
    // so one failed evaluation never wedges the optimizer (σ, B, η_σ and the best so far are kept).
    if (core.asked) core.discard();
    if (x0 !== undefined && x0 !== null && !(Array.isArray(x0) && x0.length === 0)) {
      core.setMean(vec("x0", x0, d));
    } else {
      const u = core.uniform(d), m = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        const lo = this.lo[i], hi = this.hi[i];
        m[i] = this.isInt[i] ? Math.min(hi, lo + Math.floor(u[i] * (hi - lo + 1))) : lo + u[i] * (hi - lo);
      }
      core.setMean(m);
    }
    const history: History = { eta_sigma: [], sigma: [], fitness: [], last_pop: [] };
    // the evaluated points: clipped to the bounds, int variables rounded, one contiguous block
    const data = new Float64Array(n * d);
    const rows = Array.from({ length: n }, (_, k) => data.subarray(k * d, k * d + d));
    const pts: Batch = { count: n, dimension: d, data, row: (k) => rows[k] };
    const s = this.mode === "min" ? 1 : -1;
    let g = 0;

    const steps = generations(core, {
      maxGenerations: ngen,
      stop: () => [], // NEORL runs ngen generations
      points: (pop) => {
        const src = pop.data;
        for (let j = 0; j < n * d; j++) {
          const i = j % d;
          let v = src[j];
          v = v < this.lo[i] ? this.lo[i] : v > this.hi[i] ? this.hi[i] : v; // NaN stays NaN
          data[j] = this.isInt[i] ? Math.round(v) + 0 : v; // + 0: an int variable is never −0
        }
        return pts;
      },
      beforeTell: (vals) => {
        for (let k = 0; k < n; k++) {
          const y = vals[k];
          const f = y !== y ? Infinity : s * y; // NaN is the worst value
          vals[k] = f;
          this.archive.offer(rows[k], f);
        }
      },
      onGeneration: (_info, internal) => {
        history.eta_sigma.push(core.etaSigma);
        history.sigma.push(core.sigma);
        history.fitness.push(s * this.archive.f);
        if (g === ngen - 1) history.last_pop = this.lastPop(internal, rows, s);
        if (verbose) this.printGeneration(g, ngen);
        g++;
      },
    });
    const result = (): EvoluteResult => {
      if (verbose) {
        this.log("------------------------ XNES Summary --------------------------");
        this.log(`Best fitness (y) found: ${fmt(s * this.archive.f)}`);
        this.log(`Best individual (x) found: ${fmtVec(this.archive.x)}`);
        this.log("--------------------------------------------------------------");
      }
      return [Array.from(this.archive.x), s * this.archive.f, history];
    };
    function* whole() {
      yield* steps;
      return result();
    }

    const fit = this.fit;
    const limits: Limits = { timeout: this.timeout };
    if (typeof fit === "function") {
      // NEORL's fitness gets its own copy of the point
      return drive(whole(), (x: Float64Array) => (fit as (x: Float64Array) => unknown)(x.slice()), "fit(x):", limits) as EvoluteReturn<R>;
    }
    // a module: loaded here (ncores = 1) or in each worker
    return (async () => {
      const ev = this.ncores > 1 ? await openPool(fit, this.ncores) : await loadFitness(fit);
      try {
        const evaluator: Evaluator = "evaluateBatch" in ev ? ev : (x: Float64Array) => ev.fitness(x.slice());
        return await drive(whole(), evaluator, "fit(x):", limits);
      } finally {
        if ("close" in ev) await ev.close();
      }
    })() as EvoluteReturn<R>;
  }

  private lastPop(internal: Float64Array, pts: Float64Array[], s: number): PopRow[] {
    // NEORL: ascending internal (maximised) fitness, i.e. worst first; ties in index order
    const n = this.npop, d = this.d;
    const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => internal[b] - internal[a] || a - b);
    return order.map((k) => {
      const row: PopRow = {};
      for (let i = 0; i < d; i++) row[`var${i + 1}`] = pts[k][i];
      row.fitness = s * internal[k];
      return row;
    });
  }

  private printGeneration(g: number, ngen: number): void {
    const line = "^".repeat(96), n = this.npop, c = this.core, d = this.d;
    this.log(line);
    this.log(`XNES step ${(g + 1) * n}/${ngen * n}, NPOP=${n}, ETA_MU=${fmt(this.eta_mu, 2)}, ETA_SIGMA=${fmt(this.eta_sigma, 2)}, ETA_BMAT=${fmt(this.eta_Bmat, 2)}, Ncores=${this.ncores}`);
    this.log(line);
    const s = this.mode === "min" ? 1 : -1;
    this.log(`Best XNES Fitness: ${fmt(s * this.archive.f, 6)}`);
    this.log(`Best XNES Position: ${fmtVec(this.archive.x, 6)}`);
    this.log(`MU: ${fmtVec(c.mean, 3)}`);
    this.log(`Sigma: ${fmt(c.sigma, 3)}`);
    if (d <= 10) {
      const B = c.B;
      const rows = Array.from({ length: d }, (_, i) => fmtVec(B.subarray(i * d, i * d + d), 3));
      this.log(`BMAT: [${rows.join("\n ")}]`);
    } else {
      this.log(`BMAT: (${d}×${d}, not shown for d > 10)`);
    }
    this.log(line);
  }

  /** The best point and value over all evolute calls (user sign). */
  get best(): { x: number[]; y: number } {
    return { x: Array.from(this.archive.x), y: (this.mode === "min" ? 1 : -1) * this.archive.f };
  }
}

function checkFit(v: unknown): Fitness {
  if (typeof v === "function") return v as Fitness;
  if (isFitnessModule(v)) {
    checkFitnessModule(`option "fit"`, v);
    return v;
  }
  fail("type", `option "fit"`, `must be a function of x, or { module: url, name: "exportName" }, got ${show(v)}`);
}

/** Parses NEORL's bounds dict into lo, hi and an int mask, in key order. */
export function parseBounds(b: unknown): { lo: Float64Array; hi: Float64Array; isInt: Uint8Array; names: string[] } {
  if (b === null || typeof b !== "object" || Array.isArray(b)) fail("type", `option "bounds"`, `must be an object { name: ['float' | 'int', lo, hi] }, got ${show(b)}`);
  const names = Object.keys(b);
  if (names.length === 0) fail("range", `option "bounds"`, "must have at least one variable");
  const d = names.length, lo = new Float64Array(d), hi = new Float64Array(d), isInt = new Uint8Array(d);
  names.forEach((k, i) => {
    const e = (b as Record<string, unknown>)[k];
    if (Array.isArray(e) && e[0] === "grid") fail("range", `option "bounds"`, `entry "${k}" is 'grid': XNES is a continuous optimizer and supports only 'float' and 'int' bounds (encode a grid as an 'int' index)`);
    if (!Array.isArray(e) || e.length !== 3) fail("type", `option "bounds"`, `entry "${k}" must be [type, lo, hi], got ${show(e)}`);
    const [t, l, h] = e;
    if (t !== "float" && t !== "int") fail("range", `option "bounds"`, `entry "${k}" has type ${show(t)}; use 'float' or 'int'`);
    if (typeof l !== "number" || typeof h !== "number") fail("type", `option "bounds"`, `entry "${k}" needs numeric lo and hi`);
    if (!Number.isFinite(l) || !Number.isFinite(h) || !(l <= h)) fail("range", `option "bounds"`, `entry "${k}" needs finite lo <= hi, got [${l}, ${h}]`);
    if (t === "int" && (!Number.isInteger(l) || !Number.isInteger(h))) fail("range", `option "bounds"`, `entry "${k}" is 'int' and needs integer lo and hi, got [${l}, ${h}]`);
    lo[i] = l; hi[i] = h; isInt[i] = t === "int" ? 1 : 0;
  });
  return { lo, hi, isInt, names };
}

// Python-like number formatting for the verbose lines: round(x, nd).
function fmt(x: number, nd = 6): string {
  if (!Number.isFinite(x)) return String(x);
  const r = Math.round(x * 10 ** nd) / 10 ** nd;
  return Math.abs(r) >= 1e16 || (r !== 0 && Math.abs(r) < 1e-4) ? r.toExponential() : String(r);
}
function fmtVec(v: ArrayLike<number>, nd = 6): string {
  return "[" + Array.from(v, (x) => fmt(x, nd)).join(" ") + "]";
}
