/**
 * XNES, the exponential natural evolution strategy: x = μ + σ B z, z ~ N(0, I), with natural-gradient
 * updates of μ, σ and B, and optional adaptation sampling of η_σ.
 *
 * see: T. Glasmachers, T. Schaul, Y. Sun, D. Wierstra, J. Schmidhuber, "Exponential Natural Evolution
 * Strategies", GECCO 2010, Algorithm 1 (and §2.4 for adaptation sampling, in NEORL's form). Defaults as
 * in NEORL's and PyPop7's XNES (ALGORITHMS.md §2, §3). The core, assembly/strategies/xnes.ts, forms
 * B·expm(η_B/2 · G_B) from a thin QR of the population in O(d²λ), never O(d³).
 */
import { BASE_KEYS, Strategy, type BaseOptions } from "../base.js";
import { bool, fail, num, vec } from "../check.js";
import { ln } from "../math.js";

export interface XNESOptions extends Omit<BaseOptions, "mean"> {
  /** The initial mean; its length is the dimension. Required unless `lower` and `upper` are given, in which case it is drawn uniformly in that box from the optimizer's generator. */
  mean?: ArrayLike<number>;
  /** Initial step size σ0 > 0. Default 1, or |det A|^{1/d} when `A` is given (then `sigma` must be omitted). */
  sigma?: number;
  /** Initial matrix A (d×d: an array of rows, or d² values row-major); σ0 = |det A|^{1/d} and B0 = A/σ0, as NEORL does. Default: I (with σ0 = `sigma`). */
  A?: ArrayLike<number> | ArrayLike<ArrayLike<number>>;
  /** Lower corner of the box the initial mean is drawn from when `mean` is omitted (samples are not clipped). */
  lower?: ArrayLike<number>;
  /** Upper corner of that box. */
  upper?: ArrayLike<number>;
  /** λ. Default 4 + ⌊3 ln d⌋. */
  popSize?: number;
  /** η_μ, the mean's learning rate. Default 1. */
  etaMu?: number;
  /** η_σ, the step size's learning rate (the initial one with adaptSampling). Default 3(3 + ln d)/(5 d √d). */
  etaSigma?: number;
  /** η_B, the shape matrix's learning rate. Default 3(3 + ln d)/(5 d √d). */
  etaB?: number;
  /** Adapt η_σ by adaptation sampling (Glasmachers et al. 2010 §2.4, as NEORL's adasam). Default false. */
  adaptSampling?: boolean;
}

const KEYS = [...BASE_KEYS, "A", "lower", "upper", "etaMu", "etaSigma", "etaB", "adaptSampling"] as const;

/**
 * Every default, from d and λ, in one place. Utilities by rank k = 1..λ (best first):
 * u_k = max(0, ln(λ/2 + 1) − ln k) / Σ − 1/λ, so Σ u = 0. The optimizer computes the same formulas in
 * its wasm core; ln here is the core's too (src/math.ts), so both agree in every runtime.
 */
export function xnesDefaults(d: number, popSize?: number) {
  const lambda = popSize ?? 4 + Math.floor(3 * ln(d));
  const raw = Array.from({ length: lambda }, (_, k) => Math.max(0, ln(lambda / 2 + 1) - ln(k + 1)));
  const sum = raw.reduce((a, b) => a + b, 0);
  const utilities = raw.map((v) => v / sum - 1 / lambda);
  const eta = (3 * (3 + ln(d))) / (5 * d * Math.sqrt(d));
  return { popSize: lambda, etaMu: 1, etaSigma: eta, etaB: eta, utilities };
}

/** A d×d matrix option as d² row-major values. */
export function matrixOption(name: string, v: unknown, d: number): Float64Array {
  const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (!ok) fail("type", `option "${name}"`, `must be a d×d matrix: an array of ${d} rows or ${d * d} numbers row-major`);
  const a = v as ArrayLike<unknown>;
  if (a.length === d * d && (d === 1 || !Array.isArray(a[0]) && !ArrayBuffer.isView(a[0]))) return vec(name, a, d * d);
  if (a.length !== d) fail("range", `option "${name}"`, `must be ${d}×${d} (d = ${d}), got ${a.length} rows`);
  const out = new Float64Array(d * d);
  for (let i = 0; i < d; i++) out.set(vec(`${name}[${i}]`, a[i], d), i * d);
  return out;
}

export class XNES extends Strategy {
  static override readonly strategyName: string = "xnes";
  readonly popSize: number;
  /** The resolved strategy parameters. */
  readonly params: ReturnType<typeof xnesDefaults> & { adaptSampling: boolean };
  protected readonly prefix = "xnes";
  private readonly A0: Float64Array | null;
  private readonly etaGiven: [number, number];
  private readonly box: [Float64Array, Float64Array] | null;

  constructor(options: XNESOptions) {
    const o = (options ?? {}) as Record<string, unknown>;
    // `mean` may be omitted when a box is given: the base needs a mean of the right length, which
    // init() then replaces with a uniform draw.
    let box: [Float64Array, Float64Array] | null = null;
    let opts = options as BaseOptions;
    if (o && typeof o === "object" && o.mean === undefined && (o.lower !== undefined || o.upper !== undefined)) {
      const lo = vec("lower", o.lower);
      const hi = vec("upper", o.upper, lo.length);
      for (let i = 0; i < lo.length; i++) if (!(lo[i] <= hi[i])) fail("range", `option "lower"`, `must be <= upper elementwise (index ${i}: ${lo[i]} > ${hi[i]})`);
      box = [lo, hi];
      opts = { ...(options as object), mean: lo.map((v, i) => 0.5 * (v + hi[i])) } as BaseOptions;
    }
    super("XNES", opts, KEYS);
    const d = this.dimension;
    if (box === null && (o.lower !== undefined || o.upper !== undefined)) {
      // given with a mean: still checked, so a typo does not pass silently
      const lo = vec("lower", o.lower, d), hi = vec("upper", o.upper, d);
      for (let i = 0; i < d; i++) if (!(lo[i] <= hi[i])) fail("range", `option "lower"`, `must be <= upper elementwise (index ${i}: ${lo[i]} > ${hi[i]})`);
    }
    const lambda = num("popSize", o.popSize, 4 + Math.floor(3 * ln(d)), { min: 2, integer: true });
    const p = xnesDefaults(d, lambda);
    p.etaMu = num("etaMu", o.etaMu, p.etaMu, { gt: 0 });
    p.etaSigma = num("etaSigma", o.etaSigma, p.etaSigma, { gt: 0 });
    p.etaB = num("etaB", o.etaB, p.etaB, { gt: 0 });
    const adaptSampling = bool("adaptSampling", o.adaptSampling, false);
    let A: Float64Array | null = null;
    if (o.A !== undefined) {
      if (o.sigma !== undefined) fail("type", `option "A"`, `and option "sigma" are exclusive: σ0 is |det A|^(1/d)`);
      A = matrixOption("A", o.A, d);
    }
    this.popSize = lambda;
    this.params = { ...p, adaptSampling };
    // the learning rates and utilities the core uses are computed in wasm (bit-identical in every
    // runtime); NaN asks for the default
    this.etaGiven = [o.etaSigma === undefined ? NaN : p.etaSigma, o.etaB === undefined ? NaN : p.etaB];
    this.A0 = A;
    this.box = box;
    this.start();
    const x = this.core.x, S = this.core.f64(x.xnes_ptr(3), 8);
    this.params.etaSigma = S[2];
    this.params.etaB = S[7];
    this.params.utilities = Array.from(this.core.f64(x.xnes_ptr(4), lambda));
  }

  // B (d×d), plus three d×d buffers of the dense update when 2λ > d (assembly/strategies/xnes.ts)
  protected override memoryEstimate(): number {
    const d = this.dimension;
    return 8 * d * d * (2 * this.popSize > d ? 4 : 1);
  }

  protected init(): void {
    const x = this.core.x, p = this.params, d = this.dimension;
    x.xnes_init(d, p.popSize, this.seed, this.opts.sigma, p.etaMu, this.etaGiven[0], this.etaGiven[1], p.adaptSampling ? 1 : 0, this.coreMode());
    const A = this.A0;
    if (A) {
      // σ0 = |det A|^{1/d}, B0 = A/σ0, in the core (LU in place, then A again and a scale)
      this.core.f64(x.xnes_ptr(6), d * d).set(A);
      if (!Number.isFinite(x.xnes_det_b())) fail("range", `option "A"`, "must be nonsingular (det A = 0)");
      this.core.f64(x.xnes_ptr(6), d * d).set(A);
      x.xnes_scale_b();
    }
    if (this.box) {
      x.xnes_uniform();
      const u = this.core.f64(x.xnes_ptr(9), d), [lo, hi] = this.box;
      const m = this.core.f64(x.xnes_ptr(0), d);
      for (let i = 0; i < d; i++) m[i] = lo[i] + u[i] * (hi[i] - lo[i]);
    } else {
      this.core.f64(x.xnes_ptr(0), d).set(this.opts.mean);
    }
  }

  /** The core's B-update path: -1 automatic (low rank when 2λ ≤ d), 0 dense, 1 low rank. Tests override it. */
  protected coreMode(): number {
    return -1;
  }

  /** The current η_σ (changes only with adaptSampling). */
  get etaSigma(): number {
    this.live("etaSigma");
    return this.S[2];
  }

  /** A copy of the current shape matrix B (d×d row-major); the search covariance is σ² B Bᵀ. */
  get B(): Float64Array {
    this.live("B");
    const d = this.dimension;
    return this.core.f64(this.core.x.xnes_ptr(6), d * d).slice();
  }

  /** Replaces the mean (NEORL's evolute restarts μ on every call). Only between tell() and ask(). */
  setMean(m: ArrayLike<number>): void {
    this.live("setMean()");
    if (this.asked) throw new Error("evostrat: XNES.setMean() called out of order: expected tell(fitness) for the population of the last ask() first");
    const v = vec("mean", m, this.dimension);
    this.core.f64(this.core.x.xnes_ptr(0), this.dimension).set(v);
  }

  /** d uniforms in [0, 1) from the optimizer's own generator (for draws in a box). */
  uniform(): Float64Array {
    this.live("uniform()");
    this.core.x.xnes_uniform();
    return this.core.f64(this.core.x.xnes_ptr(9), this.dimension).slice();
  }

  // the core's scalars (σ, …, η_σ at 2, η_B at 7), a view rebuilt with the base's views
  private S: Float64Array = new Float64Array(0);

  protected override onViews(): void {
    this.S = this.core.f64(this.core.x.xnes_ptr(3), 8);
  }
}
