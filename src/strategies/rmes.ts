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
 * - Random numbers: xoshiro256++ with a ziggurat, not numpy's PCG64, one stream per row (the base's
 *   per-row streams); per individual the m scalar normals are drawn before z (so z is drawn and
 *   combined with the paths in one pass over memory).
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
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type StrategyOptions } from "../contract/strategy.js";
import { derived, integer, number, optionalNumber, type ParamsOf } from "../contract/options.js";
import { defaultMu, logWeights, muEff } from "../contract/defaults.js";
import type { CoreExports } from "../wasm/exports.js";

/** Every option with its default (ALGORITHMS.md §1.1, PyPop7's values). */
export const rmesSpec = {
  ...baseSpec,
  /** μ, the number of parents (1 ≤ μ ≤ λ). Default ⌊λ/2⌋. */
  mu: integer({ min: 1, max: (p) => p.popSize, default: (p) => defaultMu(p.popSize) }),
  /** The recombination weights w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ, summing to 1. */
  weights: derived((p) => logWeights(p.popSize, p.mu)),
  /** μ_eff = 1/Σ w_i². */
  muEff: derived((p) => muEff(p.weights)),
  /** c_cov, the learning rate of the low-rank covariance (0 < c_cov ≤ 1). Default 1/(3√d + 5). */
  cCov: number({ gt: 0, max: 1, default: (p) => 1 / (3 * Math.sqrt(p.d) + 5) }),
  /** c, the learning rate of the evolution path p (0 < c ≤ 1). Default 2/(d + 7). */
  c: number({ gt: 0, max: 1, default: (p) => 2 / (p.d + 7) }),
  /** c_s, the learning rate of the success-rule path s (0 < c_s ≤ 1). Default 0.3. */
  cS: number({ gt: 0, max: 1, default: 0.3 }),
  /** q*, the target success quantity. Default 0.3. */
  qStar: number({ default: 0.3 }),
  /** d_σ, the σ damping: σ ← σ·exp(s/d_σ). Default 1. */
  dSigma: number({ gt: 0, default: 1 }),
  /** m, the number of stored evolution paths (1 ≤ m ≤ 64). Default 2. */
  nEvolutionPaths: integer({ min: 1, max: 64, default: 2 }),
  /** T, the generation gap between stored paths (may be Infinity). Default d. */
  generationGap: number({ min: 0, infinite: true, default: (p) => p.d }),
  /** √(c(2 − c)μ_eff), the path's normalisation. */
  pCoef: derived((p) => Math.sqrt(p.c * (2 - p.c) * p.muEff)),
  /**
   * The value the first generation's success rule compares against (μ copies of it), as PyPop7 does
   * with f(mean0). Default: none, and then the first update leaves σ unchanged.
   */
  initialF: optionalNumber({ infinite: true }),
};

/** The options of `new RMES(options)`: every option, its range and its default, is listed under `rmesSpec`. */
export type RMESOptions = StrategyOptions<typeof rmesSpec>;
/** RMES's resolved parameters (`es.params`, `RMES.defaults(d)`), derived ones included. */
export type RMESParams = ParamsOf<typeof rmesSpec>;

export class RMES extends Strategy<RMESParams> {
  static override readonly strategyName: string = "rmes";
  static readonly spec: typeof rmesSpec = rmesSpec;

  constructor(options: RMESOptions) {
    super("RMES", rmesSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.rmes_init, ask: x.rmes_ask, tell: x.rmes_tell, ptr: x.rmes_ptr };
  }

  protected configure(c: ConfigWriter, p: RMESParams): void {
    c.set(abi.RMES_MU, p.mu, "mu").set(abi.RMES_M, p.nEvolutionPaths, "nEvolutionPaths").set(abi.RMES_CCOV, p.cCov, "cCov")
      .set(abi.RMES_C, p.c, "c").set(abi.RMES_CS, p.cS, "cS").set(abi.RMES_QSTAR, p.qStar, "qStar").set(abi.RMES_DSIGMA, p.dSigma, "dSigma")
      .set(abi.RMES_GAP, p.generationGap, "generationGap").set(abi.RMES_PCOEF, p.pCoef, "c")
      .set(abi.RMES_HAS_F0, p.initialF !== undefined, "initialF").set(abi.RMES_F0, p.initialF ?? 0, "initialF");
  }

  protected override afterInit(p: RMESParams): void {
    this.slot(abi.RMES_WEIGHTS, p.mu).set(p.weights);
  }

  protected override scalarCount(): number {
    return 4;
  }

  // the m paths beyond the base's 8·d·(λ + 4) bytes, and the per-individual arrays (size check in the base)
  protected override memoryEstimate(p: RMESParams): number {
    return 8 * p.d * Math.max(0, p.nEvolutionPaths - 3) + 32 * p.popSize;
  }

  // the path order (a permutation of 0..m-1) indexes the paths: a forged one would read out of bounds
  protected override validateHeap(): string | null {
    const m = this.params.nEvolutionPaths;
    const order = new Int32Array(this.core.x.memory.buffer, this.fns.ptr(abi.RMES_ORDER) >>> 0, m);
    const seen = new Set<number>();
    for (const j of order) if (!(j >= 0 && j < m) || seen.has(j)) return "RMES path order"; else seen.add(j);
    return null;
  }

  /** s, the success-rule path. */
  get s(): number {
    this.live("s");
    return this.scal[abi.RMES_SC_S];
  }

  /** A copy of the evolution path p (the newest stored path). */
  get p(): Float64Array {
    this.live("p");
    return this.slot(abi.RMES_P, this.dimension).slice();
  }
}
