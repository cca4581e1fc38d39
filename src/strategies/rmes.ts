/**
 * RMES, the Rank-m Evolution Strategy: isotropic sampling plus m stored evolution paths (a rank-m
 * covariance model) and a rank-based success rule for σ. Memory and time per sample are O(m·d), so it
 * runs at d = 1e6.
 *
 * see: Z. Li, Q. Zhang, "A simple yet efficient evolution strategy for large-scale black-box
 * optimization", IEEE TEVC 22(5):637-646 (2018); checked against PyPop7's rmes.py / r1es.py as
 * written up in ../shared/reference/ALGORITHMS.md §1 (every default below is PyPop7's). The core is
 * assembly/strategies/rmes.ts; PyPop7's own interface (restarts, per-evaluation terminations) is
 * `evostrat/pypop7`.
 *
 * Deviations from PyPop7, all outside the maths of §1.4:
 * - Random numbers: xoshiro256++ with a ziggurat, not numpy's PCG64; per individual the m scalar
 *   normals are drawn before z (so z is drawn and combined with the paths in one pass over memory).
 * - Sorting is stable (ties keep index order; in the success rule an old value ranks before an equal
 *   new one). numpy's quicksort behaves the same for up to 16 elements (λ ≤ 16, μ ≤ 8).
 * - The first generation's success rule: PyPop7 compares it with λ copies of f(mean0). Pass that
 *   value as `initialF`; without it the first update leaves s and σ unchanged and only records the
 *   generation's sorted values for the next one.
 * - The path timestamp g is the number of updates done before the current one (0 at the first update),
 *   the order of PyPop7's stored RMES loop (update, then g += 1).
 * - scalars[1] (for tolX) is an upper bound of the largest coordinate standard deviation / σ:
 *   √(a^(2m) + c_cov Σ_i a^(2(m−i)) max_k mp_i[k]²).
 */
import { BASE_KEYS, Strategy, type BaseOptions } from "../base.js";
import { num } from "../check.js";
import { ln } from "../math.js";

export interface RMESOptions extends BaseOptions {
  /** λ. Default 4 + ⌊3 ln d⌋. */
  popSize?: number;
  /** μ, the number of parents. Default ⌊λ/2⌋. */
  mu?: number;
  /** c_cov, the learning rate of the low-rank covariance. Default 1/(3√d + 5). */
  cCov?: number;
  /** c, the learning rate of the evolution path p. Default 2/(d + 7). */
  c?: number;
  /** c_s, the learning rate of the success-rule path s. Default 0.3. */
  cS?: number;
  /** q*, the target success quantity. Default 0.3. */
  qStar?: number;
  /** d_σ, the σ damping: σ ← σ·exp(s/d_σ). Default 1. */
  dSigma?: number;
  /** m, the number of stored evolution paths. Default 2. */
  nEvolutionPaths?: number;
  /** T, the generation gap between stored paths. Default d. */
  generationGap?: number;
  /**
   * The value the first generation's success rule compares against (μ copies of it), as PyPop7 does
   * with f(mean0). Default: none, and then the first update leaves σ unchanged.
   */
  initialF?: number;
}

const KEYS = [...BASE_KEYS, "mu", "cCov", "c", "cS", "qStar", "dSigma", "nEvolutionPaths", "generationGap", "initialF"] as const;

/** Every default, from d and λ (and μ), in one place (ALGORITHMS.md §1.1, PyPop7's values). */
export function rmesDefaults(d: number, popSize?: number, mu?: number) {
  const lambda = popSize ?? 4 + Math.floor(3 * ln(d));
  const nmu = mu ?? Math.floor(lambda / 2);
  // w_i = (ln((λ+1)/2) − ln i) / (μ ln((λ+1)/2) − Σ_j ln j), i = 1..μ; they sum to 1
  const base = ln((lambda + 1) / 2); // the core's ln: identical in every runtime (src/math.ts)
  let sumLn = 0;
  for (let j = 1; j <= nmu; j++) sumLn += ln(j);
  const weights = Array.from({ length: nmu }, (_, i) => (base - ln(i + 1)) / (nmu * base - sumLn));
  const muEff = 1 / weights.reduce((s, w) => s + w * w, 0);
  const cCov = 1 / (3 * Math.sqrt(d) + 5);
  const c = 2 / (d + 7);
  return {
    popSize: lambda,
    mu: nmu,
    weights,
    muEff,
    cCov,
    c,
    cS: 0.3,
    qStar: 0.3,
    dSigma: 1,
    nEvolutionPaths: 2,
    generationGap: d,
    /** √(c(2 − c)μ_eff), the path's normalisation; recomputed from c and μ_eff. */
    pCoef: Math.sqrt(c * (2 - c) * muEff),
  };
}

export class RMES extends Strategy {
  static override readonly strategyName: string = "rmes";
  readonly popSize: number;
  /** The resolved strategy parameters. */
  readonly params: ReturnType<typeof rmesDefaults>;
  protected readonly prefix = "rmes";
  private readonly initialF: number | undefined;

  constructor(options: RMESOptions) {
    super("RMES", options, KEYS);
    const d = this.dimension;
    const lambda = num("popSize", options.popSize, 4 + Math.floor(3 * ln(d)), { min: 2, integer: true, max: 1 << 20 });
    const mu = num("mu", options.mu, Math.floor(lambda / 2), { min: 1, max: lambda, integer: true });
    const p = rmesDefaults(d, lambda, mu);
    p.cCov = num("cCov", options.cCov, p.cCov, { gt: 0, max: 1 });
    p.c = num("c", options.c, p.c, { gt: 0, max: 1 });
    p.cS = num("cS", options.cS, p.cS, { gt: 0, max: 1 });
    p.qStar = num("qStar", options.qStar, p.qStar);
    p.dSigma = num("dSigma", options.dSigma, p.dSigma, { gt: 0 });
    p.nEvolutionPaths = num("nEvolutionPaths", options.nEvolutionPaths, p.nEvolutionPaths, { min: 1, max: 64, integer: true });
    p.generationGap = num("generationGap", options.generationGap, p.generationGap, { min: 0, infinite: true });
    p.pCoef = Math.sqrt(p.c * (2 - p.c) * p.muEff);
    this.initialF = options.initialF === undefined ? undefined : num("initialF", options.initialF, 0, { infinite: true });
    this.popSize = lambda;
    this.params = p;
    this.start();
  }

  // the m paths beyond the base's 8·d·(λ + 4) bytes, and the per-individual arrays (size check in base.start)
  protected override memoryEstimate(): number {
    return 8 * this.dimension * Math.max(0, this.params.nEvolutionPaths - 3) + 32 * this.popSize;
  }

  protected init(): void {
    const x = this.core.x, p = this.params, d = this.dimension;
    const f0 = this.initialF;
    x.rmes_init(d, p.popSize, p.mu, p.nEvolutionPaths, this.seed, this.opts.sigma, p.cCov, p.c, p.cS, p.qStar, p.dSigma,
      p.generationGap, p.pCoef, f0 === undefined ? 0 : 1, f0 ?? 0);
    this.core.f64(x.rmes_ptr(0), d).set(this.opts.mean);
    this.core.f64(x.rmes_ptr(4), p.mu).set(p.weights);
  }

  /** s, the success-rule path. */
  get s(): number {
    this.live("s");
    return this.core.f64(this.core.x.rmes_ptr(3) >>> 0, 3)[2];
  }

  /** A copy of the evolution path p (the newest stored path). */
  get p(): Float64Array {
    this.live("p");
    return this.core.f64(this.core.x.rmes_ptr(5) >>> 0, this.dimension).slice();
  }

  /** The generator's 32 state bytes (a copy), e.g. to continue the stream in a new optimizer. */
  rngState(): Uint8Array {
    this.live("rngState()");
    return new Uint8Array(this.core.x.memory.buffer, this.core.x.rmes_ptr(6) >>> 0, 32).slice();
  }

  /** Overwrites the generator's state with bytes from rngState(). */
  setRngState(state: Uint8Array): void {
    this.live("setRngState()");
    if (!(state instanceof Uint8Array) || state.length !== 32) throw new TypeError("evostrat: setRngState(state): state must be 32 bytes from rngState()");
    new Uint8Array(this.core.x.memory.buffer, this.core.x.rmes_ptr(6) >>> 0, 32).set(state);
  }
}
