/**
 * CMA-ES: the (μ/μ_w, λ)-CMA-ES with active (negative) weights, cumulative step-size adaptation and
 * pycma 4.x's defaults.
 *
 * see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772 (2016), eqs. (38)-(53)
 * and Table 1; defaults checked against pycma 4.x (cma/evolution_strategy.py, _CMAParameters and
 * RecombinationWeights). The core, assembly/strategies/cma.ts, keeps C = A Aᵀ as a factor updated in
 * O(d²λ) per generation (never O(d³) at large d). `tell(fitness, x)` accepts repaired or injected
 * points (pycma's tell(X, f)).
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type GenerationInfo } from "../contract/strategy.js";
import { boolean, derived, number, type OptionsOf, type ParamsOf } from "../contract/options.js";
import { cmaActiveWeights, defaultMu, logWeights, muEff, muEffMinus } from "../contract/defaults.js";
import { cmaStopReasons, type StopReason } from "../contract/stop.js";
import type { CoreExports } from "../wasm/exports.js";

/** α_cov of eqs. (57)-(58). */
const ALPHA_COV = 2;

export const cmaSpec = {
  ...baseSpec,
  /** μ = ⌊λ/2⌋, the number of positive weights (Table 1). */
  mu: derived((p) => defaultMu(p.popSize)),
  /** The positive weights: w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ, summing to 1 (eqs. (49), (53)). */
  positiveWeights: derived((p) => logWeights(p.popSize, p.mu)),
  /** μ_eff = 1/Σ w_i² over the positive weights (Table 1). */
  muEff: derived((p) => muEff(p.positiveWeights)),
  /** μ_eff^- = (Σ w'_i)²/Σ w'_i² over the negative raw weights (p. 31). */
  muEffMinus: derived((p) => muEffMinus(p.popSize, p.mu)),
  /**
   * c_σ, the σ path's learning rate (0 < c_σ ≤ 1). Default (μ_eff + 2)/(d + μ_eff + 3), pycma 4.4's
   * (sigma_adaptation.py CMAAdaptSigmaCSA.initialize; the tutorial's eq. (55) has d + μ_eff + 5).
   */
  cSigma: number({ gt: 0, max: 1, default: (p) => (p.muEff + 2) / (p.d + p.muEff + 3) }),
  /** d_σ, the σ damping. Default 1 + 2·max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ (eq. (55)). */
  dSigma: number({ gt: 0, default: (p) => 1 + 2 * Math.max(0, Math.sqrt((p.muEff - 1) / (p.d + 1)) - 1) + p.cSigma }),
  /** c_c, the c path's learning rate (0 < c_c ≤ 1). Default (4 + μ_eff/d)/(d + 4 + 2μ_eff/d) (eq. (56)). */
  cc: number({ gt: 0, max: 1, default: (p) => (4 + p.muEff / p.d) / (p.d + 4 + (2 * p.muEff) / p.d) }),
  /** c_1, the rank-one learning rate (0 ≤ c_1 ≤ 1). Default α_cov/((d + 1.3)² + μ_eff), α_cov = 2 (eq. (57)). */
  c1: number({ min: 0, max: 1, default: (p) => ALPHA_COV / ((p.d + 1.3) ** 2 + p.muEff) }),
  /**
   * c_μ, the rank-μ learning rate (0 ≤ c_μ ≤ 1 − c_1). Default min(1 − c_1, α_cov(1/4 + μ_eff + 1/μ_eff − 2)/((d + 2)² + α_cov μ_eff/2))
   * (eq. (58), with pycma 4.x's 1/4, also in the tutorial's later revisions).
   */
  cMu: number({
    min: 0, max: (p) => 1 - p.c1,
    default: (p) => Math.min(1 - p.c1, (ALPHA_COV * (0.25 + p.muEff + 1 / p.muEff - 2)) / ((p.d + 2) ** 2 + (ALPHA_COV * p.muEff) / 2)),
  }),
  /** c_m, the mean's learning rate (eq. (41)). Default 1. */
  cMean: number({ gt: 0, default: 1 }),
  /** All λ weights by rank, best first: the positive ones and the negative ones scaled by α_min^- (eqs. (50)-(53)). */
  weights: derived((p) => cmaActiveWeights(p.popSize, p.c1, p.cMu, p.d)),
  /** "tolFunHist": the generation-best values of the last 10 + ⌈30d/λ⌉ generations span less than this (pycma's tolfunhist). Default 0 (off). */
  tolFunHist: number({ min: 0, default: 0 }),
  /** "noEffectAxis" (pycma's noeffectaxis): adding 0.1σ times a principal column of the factor A (axis g mod d) leaves the mean unchanged. Default true. */
  noEffectAxis: boolean(true),
  /** "noEffectCoord" (pycma's noeffectcoord): adding 0.2σ√C_ii to m_i leaves m_i unchanged for some i. Default true. */
  noEffectCoord: boolean(true),
};

/** The options of `new CMAES(options)`: every option, its range and its default, is listed under `cmaSpec`. */
export type CMAESOptions = OptionsOf<typeof cmaSpec>;
/** CMAES's resolved parameters (`es.params`, `CMAES.defaults(d)`), derived ones included. */
export type CMAESParams = ParamsOf<typeof cmaSpec>;

/** H: generations tolFunHist looks back (pycma: 10 + ⌈30d/λ⌉). */
const histLength = (d: number, lambda: number): number => 10 + Math.ceil((30 * d) / lambda);

export class CMAES extends Strategy<CMAESParams> {
  static override readonly strategyName: string = "cma";
  static readonly spec: typeof cmaSpec = cmaSpec;

  constructor(options: CMAESOptions) {
    super("CMAES", cmaSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.cma_init, ask: x.cma_ask, tell: x.cma_tell, ptr: x.cma_ptr };
  }

  protected configure(c: ConfigWriter, p: CMAESParams): void {
    c.set(abi.CMA_MU, p.mu, "mu").set(abi.CMA_CSIGMA, p.cSigma, "cSigma").set(abi.CMA_DSIGMA, p.dSigma, "dSigma")
      .set(abi.CMA_CC, p.cc, "cc").set(abi.CMA_C1, p.c1, "c1").set(abi.CMA_CMU, p.cMu, "cMu").set(abi.CMA_CM, p.cMean, "cMean")
      .set(abi.CMA_MUEFF, p.muEff, "mu").set(abi.CMA_PATH, this.corePath(), "popSize")
      .set(abi.CMA_HISTLEN, histLength(p.d, p.popSize), "popSize");
  }

  protected override afterInit(p: CMAESParams): void {
    this.slot(abi.CMA_WEIGHTS, p.popSize).set(p.weights);
  }

  /** The core's update path: -1 automatic (low rank when 2(λ + 1) ≤ d), 0 dense, 1 low rank. Tests override it. */
  protected corePath(): number {
    return -1;
  }

  protected override scalarCount(): number {
    return 5;
  }

  // A and the LU of injection (d×d each), Z and Y (λ×d), and the dense path's three d×d buffers
  protected override memoryEstimate(p: CMAESParams): number {
    const lowRank = 2 * (p.popSize + 1) <= p.d;
    return 8 * p.d * p.d * (lowRank ? 2 : 5) + 16 * p.d * p.popSize + 8 * histLength(p.d, p.popSize);
  }

  override tell(fitness: ArrayLike<number>, x?: ArrayLike<number> | ArrayLike<ArrayLike<number>>): GenerationInfo {
    const info = super.tell(fitness, x);
    // the generation's best, minimised sign (NaN is the worst value)
    let best = Infinity;
    for (let i = 0; i < fitness.length; i++) { const v = fitness[i]; if (v === v && this.sign * v < best) best = this.sign * v; }
    const H = histLength(this.dimension, this.popSize), c = this.scal[abi.CMA_SC_HCOUNT];
    this.slot(abi.CMA_HIST, H)[c % H] = best;
    this.scal[abi.CMA_SC_HCOUNT] = c + 1;
    return info;
  }

  override shouldStop(): StopReason[] {
    const r = super.shouldStop();
    const p = this.params, d = this.dimension, H = histLength(d, p.popSize), h = this.slot(abi.CMA_HIST, H);
    // the ring, oldest first (only when tolFunHist reads it)
    const c = this.scal[abi.CMA_SC_HCOUNT], n = p.tolFunHist > 0 ? Math.min(c, H) : 0, genBest: number[] = [];
    for (let k = c - n; k < c; k++) genBest.push(h[k % H]);
    const more = cmaStopReasons(
      {
        generation: this.generation, best: genBest, mean: this.slot(abi.SLOT_MEAN, d),
        sigma: this.sigma, diagC: this.slot(abi.CMA_DIAGC, d), A: this.slot(abi.CMA_A, d * d),
      },
      {
        tolFunHist: p.tolFunHist, histLength: H, noEffectAxis: p.noEffectAxis, noEffectCoord: p.noEffectCoord,
      },
    );
    for (const m of more) if (!r.includes(m)) r.push(m);
    return r;
  }

  /** h_σ of the last update (1 or 0; eq. (45)). */
  get hSigma(): number {
    this.live("hSigma");
    return this.scal[abi.CMA_SC_HSIG];
  }

  /** σ·√C_ii, the coordinate-wise standard deviations of the search distribution (pycma's result.stds), a copy. O(d). */
  get stds(): Float64Array {
    this.live("stds");
    const s = this.sigma;
    return this.slot(abi.CMA_DIAGC, this.dimension).map((v) => s * Math.sqrt(v));
  }

  /** A copy of the current covariance matrix C = A Aᵀ (d×d row-major; the search covariance is σ² C). O(d³). */
  get C(): Float64Array {
    this.live("C");
    const d = this.dimension, A = this.slot(abi.CMA_A, d * d), C = new Float64Array(d * d);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let l = 0; l < d; l++) s += A[i * d + l] * A[j * d + l];
        C[i * d + j] = C[j * d + i] = s;
      }
    }
    return C;
  }
}
