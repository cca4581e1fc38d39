/**
 * The strategy contract, written once: every strategy is `new X(options)`, then ask/tell.
 *
 * The base class does the shared work (evosax's base.py, hash-wasm's WASMInterface): option checks,
 * the ask/tell order, NaN-as-worst, best-so-far, generation and evaluation counts, stop conditions,
 * versioned save/load and dispose. A strategy file supplies its options with defaults, the wasm export
 * prefix, and `init` (sizes the memory and writes the initial state); sampling and the update run in
 * the wasm core (`<prefix>_ask`, `<prefix>_tell`).
 *
 * Every wasm strategy exposes the same pointers through `<prefix>_ptr(i)`: 0 mean (d), 1 population
 * (λ×d, row-major), 2 fitness (λ), 3 scalars, with scalars[0] = σ and scalars[1] = the largest
 * coordinate-wise standard deviation of the search distribution divided by σ.
 */
import { BUILD_ID, Core } from "./wasm.js";
import { checkKeys, fail, num, seedOf, vec } from "./check.js";

/** A population: `count` rows of `dimension` values, row-major, in the optimizer's memory. */
export interface Population {
  readonly count: number;
  readonly dimension: number;
  /** count × dimension values, row-major. A view: valid until the next ask() or tell(). */
  readonly data: Float64Array;
  /** Row i as a view (no copy), valid until the next ask() or tell(). */
  row(i: number): Float64Array;
}

/** Why an optimizer should stop. */
export type StopReason = "maxEvaluations" | "maxTime" | "target" | "tolFun" | "tolX" | "sigmaCollapse";

/** Options every strategy takes. */
export interface BaseOptions {
  /** The initial mean; its length is the dimension. Required. */
  mean: ArrayLike<number>;
  /** Initial step size σ0 > 0. Default 1. */
  sigma?: number;
  /** Seed of the optimizer's own generator: an integer in [0, 2^53) or a bigint. Default: drawn from crypto.getRandomValues (see `seed`). */
  seed?: number | bigint;
  /** Population size λ. Default: strategy-specific (4 + ⌊3 ln d⌋ for CSA-ES, XNES and RMES). */
  popSize?: number;
  /** shouldStop() reports "maxEvaluations" once this many evaluations were told. Default Infinity. */
  maxEvaluations?: number;
  /** shouldStop() reports "maxTime" after this many seconds since construction. Default Infinity. */
  maxTime?: number;
  /** shouldStop() reports "target" once best.f ≤ target (≥ target when maximising). Default: none. */
  target?: number;
  /** "tolFun": the generation-best values over the last 10 + ⌈30d/λ⌉ generations, and the current generation's values, span less than tolFun (pycma's tolfun with its tolfunhist window). Default 1e-12. */
  tolFun?: number;
  /** "tolX": σ times the largest coordinate standard deviation is below tolX. Default 1e-12. */
  tolX?: number;
}

export const BASE_KEYS = ["mean", "sigma", "seed", "popSize", "maxEvaluations", "maxTime", "target", "tolFun", "tolX"] as const;

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
}

interface Resolved {
  d: number;
  mean: Float64Array;
  sigma: number;
  seed: bigint;
  maxEvaluations: number;
  maxTime: number;
  target: number;
  tolFun: number;
  tolX: number;
}

const MAGIC = 0x54535645; // "EVST" little-endian
const FORMAT = 2;

/** FNV-1a, 32 bits: the save() header's checksum. */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

const now = (): number => (globalThis.performance?.now?.() ?? Date.now()) / 1000;

export abstract class Strategy {
  /** The name stamped into save() bytes; load() rejects bytes of another strategy. */
  static readonly strategyName: string = "strategy";

  readonly dimension: number;
  /** The seed actually used (drawn from crypto when none was given), so any run can be repeated. */
  readonly seed: bigint;
  protected readonly core: Core;
  protected readonly opts: Resolved;
  /** The options as given (kept for save/load). */
  private readonly given: Record<string, unknown>;
  /** +1 when minimising, -1 when the strategy was asked to maximise (SimpleES, OpenAIES). */
  protected sign = 1;

  private _disposed = false;
  private expectTell = false;
  private _generation = 0;
  private _evaluations = 0;
  private bestX: Float64Array;
  private bestF = Infinity; // internal (minimised) sign
  private t0: number;
  // tolFun window: the last histLen generation-best values (internal sign), a ring buffer
  private fhist: Float64Array = new Float64Array(0);
  private fhead = 0;
  private fcount = 0;
  private lastRange = Infinity;
  // the core's ask and tell, looked up once
  private askFn!: () => void;
  private tellFn!: () => void;

  // views, rebuilt by bindViews()
  private meanV!: Float64Array;
  private popV!: Float64Array;
  private fitV!: Float64Array;
  protected scal!: Float64Array;
  private pop!: Population;
  private rows!: Float64Array[];

  /** λ, the number of rows ask() returns. */
  abstract readonly popSize: number;
  /** The wasm export prefix (`csa` → csa_init, csa_ask, csa_tell, csa_ptr). */
  protected abstract readonly prefix: string;

  /**
   * Checks the base options; subclasses call this first, then resolve their own options, then
   * `start()`. `keys` lists every option the subclass accepts (unknown keys are rejected).
   */
  constructor(name: string, options: BaseOptions, keys: readonly string[]) {
    checkKeys(name, options, keys);
    const o = options as unknown as Record<string, unknown>;
    if (o.mean === undefined) fail("type", `${name}: option "mean"`, "is required (its length is the dimension)");
    const mean = vec("mean", o.mean);
    const d = mean.length;
    this.opts = {
      d,
      mean,
      sigma: num("sigma", o.sigma, 1, { gt: 0 }),
      seed: seedOf(o.seed),
      maxEvaluations: num("maxEvaluations", o.maxEvaluations, Infinity, { min: 0, infinite: true }),
      maxTime: num("maxTime", o.maxTime, Infinity, { min: 0, infinite: true }),
      target: num("target", o.target, NaN, { infinite: true }), // NaN: no target
      tolFun: num("tolFun", o.tolFun, 1e-12, { min: 0 }),
      tolX: num("tolX", o.tolX, 1e-12, { min: 0 }),
    };
    if (o.popSize !== undefined) num("popSize", o.popSize, 0, { min: 2, integer: true, max: 1 << 20 });
    this.dimension = d;
    this.seed = this.opts.seed;
    this.given = { ...o, seed: this.seed.toString() };
    this.bestX = new Float64Array(d).fill(NaN);
    this.t0 = now();
    this.core = new Core();
  }

  /** Subclasses call this at the end of their constructor, after resolving their options. */
  protected start(): void {
    this.fhist = new Float64Array(10 + Math.ceil((30 * this.dimension) / this.popSize));
    // Every strategy holds at least the population and a few d-vectors; XNES adds d×d matrices
    // (memoryEstimate). Refuse at once what cannot fit in wasm32, rather than after growing the memory.
    const bytes = 8 * this.dimension * (this.popSize + 4) + this.memoryEstimate();
    if (bytes >= 2 ** 32) {
      fail("range", `${this.constructor.name}: options "mean" and "popSize"`, `(d = ${this.dimension}, popSize = ${this.popSize}) need at least ${(bytes / 2 ** 30).toFixed(1)} GiB; WebAssembly memory is limited to 4 GiB`);
    }
    try {
      this.init();
      this.bindViews();
    } catch (e) {
      // the core traps (or a view cannot be made) when the buffers do not fit in wasm32's 4 GiB
      if (e instanceof WebAssembly.RuntimeError || (e instanceof RangeError && !String(e.message).startsWith("evostrat"))) {
        throw new RangeError(`evostrat: ${this.constructor.name}: options "mean" (d = ${this.dimension}) and "popSize" (${this.popSize}) need more memory than WebAssembly allows (4 GiB) or than this runtime grants`);
      }
      throw e;
    }
  }

  /** Bytes the strategy needs beyond 8·d·(λ + 4), for the up-front size check (XNES: its d×d matrices). */
  protected memoryEstimate(): number {
    return 0;
  }

  /** Sizes the core's memory (all of it, once) and writes the initial state. */
  protected abstract init(): void;

  private bindViews(): void {
    const x = this.core.x, p = this.prefix, d = this.dimension, n = this.popSize;
    this.core.views();
    const ptr = x[`${p}_ptr`] as (i: number) => number;
    this.askFn = x[`${p}_ask`];
    this.tellFn = x[`${p}_tell`];
    this.meanV = this.core.f64(ptr(0), d);
    this.popV = this.core.f64(ptr(1), n * d);
    this.fitV = this.core.f64(ptr(2), n);
    this.scal = this.core.f64(ptr(3), 2);
    this.rows = Array.from({ length: n }, (_, i) => this.popV.subarray(i * d, (i + 1) * d));
    const rows = this.rows, data = this.popV;
    this.pop = { count: n, dimension: d, data, row: (i: number) => rows[i] ?? fail("range", "row(i):", `i must be an integer in [0, ${n}), got ${i}`) };
    this.onViews();
  }

  /** Hook for subclasses that keep views of their own. */
  protected onViews(): void {}

  /** Throws on a disposed optimizer and rebuilds the views if the memory ever grew. Every public entry calls it. */
  protected live(call: string): void {
    if (this._disposed) throw new Error(`evostrat: ${call} called on a disposed optimizer`);
    if (this.core.stale) this.bindViews();
  }

  /** Samples a population. Call tell() with its fitness before the next ask(). */
  ask(): Population {
    this.live("ask()");
    if (this.expectTell) throw new Error("evostrat: ask() called out of order: expected tell(fitness) for the population of the previous ask()");
    this.askFn();
    this.expectTell = true;
    return this.pop;
  }

  /**
   * Updates the distribution from the fitness of the last ask()'s population (one value per row,
   * lower is better; NaN counts as the worst value). Throws, leaving the state unchanged, on a wrong
   * length or a call out of order.
   */
  tell(fitness: ArrayLike<number>): GenerationInfo {
    this.live("tell()");
    if (!this.expectTell) throw new Error("evostrat: tell() called out of order: expected ask() first");
    if (fitness === null || typeof fitness !== "object" || typeof (fitness as ArrayLike<number>).length !== "number") {
      fail("type", "tell(fitness):", `fitness must be an array or typed array of numbers, got ${typeof fitness}`);
    }
    const n = this.popSize;
    if (fitness.length !== n) fail("range", "tell(fitness):", `fitness must have length ${n} (the population size), got ${fitness.length}`);
    for (let i = 0; i < n; i++) {
      const v = fitness[i];
      if (typeof v !== "number") fail("type", "tell(fitness):", `fitness[${i}] must be a number, got ${typeof v}`);
    }
    // All checks passed: from here on, state changes.
    const fit = this.fitV, s = this.sign;
    let gBest = Infinity, gi = -1, sum = 0, cnt = 0, gMax = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = fitness[i];
      const f = v !== v ? Infinity : s * v; // NaN is the worst value
      fit[i] = f;
      if (f < gBest || gi < 0) { gBest = f; gi = i; }
      if (Number.isFinite(f)) { sum += f; cnt++; if (f > gMax) gMax = f; }
    }
    if (gBest < this.bestF) {
      this.bestF = gBest;
      this.bestX.set(this.rows[gi]);
    }
    this.lastRange = cnt === n ? gMax - gBest : Infinity;
    this.tellFn();
    this.expectTell = false;
    this._generation++;
    this._evaluations += n;
    this.fhist[this.fhead] = gBest;
    this.fhead = (this.fhead + 1) % this.fhist.length;
    if (this.fcount < this.fhist.length) this.fcount++;
    return {
      generation: this._generation,
      evaluations: this._evaluations,
      bestF: s * gBest,
      meanF: cnt ? (s * sum) / cnt : NaN,
      bestSoFar: s * this.bestF,
      sigma: this.scal[0],
    };
  }

  /**
   * Forgets the population of the last ask() without an update, e.g. after its evaluation failed:
   * the next ask() samples a fresh population (the generator moves on). Does nothing when no
   * population is outstanding.
   */
  discard(): void {
    this.live("discard()");
    this.expectTell = false;
  }

  /** True between ask() and tell() (a population is waiting for its fitness). */
  get asked(): boolean {
    return this.expectTell;
  }

  /** The reasons to stop that hold now (empty: keep going). */
  shouldStop(): StopReason[] {
    this.live("shouldStop()");
    const o = this.opts, r: StopReason[] = [];
    if (this._evaluations >= o.maxEvaluations) r.push("maxEvaluations");
    if (now() - this.t0 >= o.maxTime) r.push("maxTime");
    // internal sign: maximising with target t stops once -bestF ≥ t, i.e. bestF ≤ -t
    if (this.bestF <= this.sign * o.target) r.push("target");
    const h = this.fhist;
    if (this.fcount === h.length && this.lastRange < o.tolFun) {
      let lo = Infinity, hi = -Infinity;
      for (const v of h) { if (v < lo) lo = v; if (v > hi) hi = v; }
      if (hi - lo < o.tolFun) r.push("tolFun");
    }
    const sd = this.scal[0] * this.scal[1];
    if (sd < o.tolX) r.push("tolX");
    if (!(sd > 0) || !Number.isFinite(sd) || this.noEffect(sd)) r.push("sigmaCollapse");
    return r;
  }

  // σ·sd no longer changes the mean in any coordinate (pycma's "noeffectaxis", for all axes)
  private noEffect(sd: number): boolean {
    const m = this.meanV;
    for (let i = 0; i < m.length; i++) if (m[i] + 0.1 * sd !== m[i]) return false;
    return true;
  }

  /** A copy of the current mean. */
  get mean(): Float64Array {
    this.live("mean");
    return this.meanV.slice();
  }

  /** The current step size σ. */
  get sigma(): number {
    this.live("sigma");
    return this.scal[0];
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
    return { x: this.bestX.slice(), f: this.sign * this.bestF };
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
   * best-so-far) and the optimizer's heap. `X.load(bytes)` continues bit for bit.
   */
  save(): Uint8Array {
    this.live("save()");
    const heap = this.core.heap();
    const header = JSON.stringify(
      {
        format: FORMAT,
        build: BUILD_ID,
        strategy: (this.constructor as typeof Strategy).strategyName,
        options: this.given,
        heapHash: this.core.x.mem_hash(heap.byteOffset, heap.length) >>> 0,
        state: {
          generation: this._generation,
          evaluations: this._evaluations,
          expectTell: this.expectTell,
          bestF: this.bestF,
          bestX: Array.from(this.bestX),
          fhist: Array.from(this.fhist),
          fhead: this.fhead,
          fcount: this.fcount,
          lastRange: this.lastRange,
          elapsed: now() - this.t0,
          extra: this.saveExtra(),
        },
      },
      // typed arrays as plain arrays; ±Infinity and NaN (not JSON) as tagged strings
      // (bigint elements, which the options accept, as the numbers the optimizer used)
      (_k, v) =>
        ArrayBuffer.isView(v) ? Array.from(v as Float64Array, Number)
        : typeof v === "bigint" ? Number(v)
        : typeof v === "number" && !Number.isFinite(v) ? { $num: String(v) }
        : v,
    );
    const head = new TextEncoder().encode(header);
    // magic, format, header length, header (JSON), heap length, heap, FNV-1a of the header
    const out = new Uint8Array(12 + head.length + 4 + heap.length + 4);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, MAGIC, true);
    dv.setUint32(4, FORMAT, true);
    dv.setUint32(8, head.length, true);
    out.set(head, 12);
    dv.setUint32(12 + head.length, heap.length, true);
    out.set(heap, 16 + head.length);
    dv.setUint32(out.length - 4, fnv1a(head), true);
    return out;
  }

  /** Subclass state kept on the JS side, if any (JSON-able). */
  protected saveExtra(): unknown {
    return null;
  }

  protected loadExtra(_extra: unknown): void {}

  /**
   * Restores an optimizer saved by `save()` of the same strategy and the same build. Anything else
   * (another strategy or build, truncated or damaged bytes: both parts carry a checksum) is a
   * RangeError naming load(bytes), and nothing is left allocated.
   */
  static load<T extends Strategy>(this: { new (o: never): T; strategyName: string }, bytes: Uint8Array): T {
    const bad = (msg: string): never => fail("range", "load(bytes):", msg);
    if (!(bytes instanceof Uint8Array)) fail("type", "load(bytes):", "bytes must be a Uint8Array from save()");
    if (bytes.length < 20) bad("too short to be evostrat state");
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (dv.getUint32(0, true) !== MAGIC) bad("not evostrat state (bad magic)");
    const fmt = dv.getUint32(4, true);
    if (fmt !== FORMAT) bad(`state format ${fmt} is not supported (this build reads format ${FORMAT})`);
    const hl = dv.getUint32(8, true);
    if (12 + hl + 8 > bytes.length) bad("truncated state");
    const heapLen = dv.getUint32(12 + hl, true);
    if (16 + hl + heapLen + 4 !== bytes.length) bad("truncated state");
    const head = bytes.subarray(12, 12 + hl);
    if (fnv1a(head) !== dv.getUint32(bytes.length - 4, true)) bad("damaged state (header checksum)");
    let h: { build?: unknown; strategy?: unknown; options?: Record<string, unknown>; heapHash?: unknown; state?: Record<string, unknown> };
    try {
      h = JSON.parse(new TextDecoder().decode(head), (_k, v) => (v && typeof v === "object" && "$num" in v ? Number(v.$num) : v));
    } catch {
      return bad("damaged state (header is not JSON)");
    }
    if (h.build !== BUILD_ID) bad(`state was saved by build ${String(h.build)}, this is build ${BUILD_ID}`);
    if (h.strategy !== this.strategyName) bad(`state is of strategy "${String(h.strategy)}", not "${this.strategyName}"`);
    const st = h.state, opts = h.options;
    if (!st || typeof st !== "object" || !opts || typeof opts !== "object" || typeof opts.seed !== "string") bad("damaged state (header fields)");
    const int = (v: unknown) => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
    if (!int(st!.generation) || !int(st!.evaluations) || typeof st!.expectTell !== "boolean" || typeof st!.bestF !== "number" ||
      !Array.isArray(st!.bestX) || !Array.isArray(st!.fhist) || !int(st!.fhead) || !int(st!.fcount) ||
      typeof st!.lastRange !== "number" || typeof st!.elapsed !== "number") bad("damaged state (counters)");
    const o = new this({ ...opts, seed: BigInt(opts!.seed as string) } as never) as T & Strategy;
    try {
      const heap = o.core.heap();
      if (heap.length !== heapLen) bad("state does not match its options (heap size differs)");
      heap.set(bytes.subarray(16 + hl, 16 + hl + heapLen));
      if (o.core.x.mem_hash(heap.byteOffset, heap.length) >>> 0 !== h.heapHash) bad("damaged state (heap checksum)");
      const self = o as unknown as { _generation: number; _evaluations: number; expectTell: boolean; bestF: number; bestX: Float64Array; fhist: Float64Array; fhead: number; fcount: number; lastRange: number; t0: number };
      const fh = st!.fhist as number[], bx = st!.bestX as number[];
      if (bx.length !== self.bestX.length || fh.length !== self.fhist.length || (st!.fhead as number) >= fh.length || (st!.fcount as number) > fh.length) {
        bad("state does not match its options (window or dimension differs)");
      }
      self._generation = st!.generation as number;
      self._evaluations = st!.evaluations as number;
      self.expectTell = st!.expectTell as boolean;
      self.bestF = st!.bestF as number;
      self.bestX.set(bx);
      self.fhist.set(fh);
      self.fhead = st!.fhead as number;
      self.fcount = st!.fcount as number;
      self.lastRange = st!.lastRange as number;
      self.t0 = now() - (st!.elapsed as number);
      o.loadExtra(st!.extra);
      return o;
    } catch (e) {
      o.dispose();
      throw e;
    }
  }

}

// SHIM(lead replaces): the generator API on the base until the lead's lands. A type plus prototype
// methods rather than class members, so that XNES's own setMean/uniform (which the lead removes)
// still compile under noImplicitOverride; with the real methods, WithGenerator is just Strategy.
export type WithGenerator = Strategy & {
  /** n uniforms in [0, 1) from the optimizer's own seeded generator (shim: xoshiro128** seeded from `seed` by SplitMix64). */
  uniform(n: number): Float64Array;
  /** Replaces the mean; only between tell() and ask(). */
  setMean(m: ArrayLike<number>): void;
};
const shimRng = new WeakMap<Strategy, Uint32Array>();
Object.assign(Strategy.prototype, {
  uniform(this: Strategy, n: number): Float64Array {
    if (this.disposed) throw new Error("evostrat: uniform() called on a disposed optimizer");
    let t = shimRng.get(this);
    if (!t) {
      // SplitMix64 of the seed fills the state
      t = new Uint32Array(4);
      let x = this.seed;
      for (let i = 0; i < 4; i += 2) {
        x = (x + 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn;
        let z = ((x ^ (x >> 30n)) * 0xbf58476d1ce4e5b9n) & 0xffffffffffffffffn;
        z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & 0xffffffffffffffffn;
        z ^= z >> 31n;
        t[i] = Number(z & 0xffffffffn);
        t[i + 1] = Number(z >> 32n);
      }
      shimRng.set(this, t);
    }
    const s = t, next = (): number => {
      const a = Math.imul(s[1], 5), r = Math.imul((a << 7) | (a >>> 25), 9) >>> 0, u = s[1] << 9;
      s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= u; s[3] = (s[3] << 11) | (s[3] >>> 21);
      return r;
    };
    return Float64Array.from({ length: n }, () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992);
  },
  setMean(this: Strategy, m: ArrayLike<number>): void {
    const self = this as unknown as { live(c: string): void; expectTell: boolean; meanV: Float64Array };
    self.live("setMean()");
    if (self.expectTell) throw new Error("evostrat: setMean() called out of order: expected tell(fitness) for the population of the last ask() first");
    self.meanV.set(vec("mean", m, this.dimension));
  },
});
// end SHIM
