/**
 * sep-CMA-ES: CMA-ES with a diagonal covariance matrix (Ros & Hansen, "A simple modification in CMA-ES
 * achieving linear time and space complexity", PPSN 2008). Memory and time per sample are O(d), so it
 * runs at d = 1e6 (the population, λ·d values, is the only large buffer).
 *
 * Its defaults and update are pycma 4.x's diagonal mode (`CMA_diagonal: true`, checked against
 * CMA-ES/pycma 8d16505; the core, assembly/strategies/sepcma.ts, cites each formula):
 * active (negative) weights finalised with c_1,sep and c_μ,sep, the learning rates c_c,sep, c_1,sep,
 * c_μ,sep (src/contract/defaults.ts sepCmaRates), a multiplicative update of the coordinate standard
 * deviations (pycma's DiagonalDecoding, rate factor ln 2) and CSA for σ.
 *
 * Differences from pycma, on purpose:
 * - σ is always adapted by CSA. pycma switches its diagonal mode to two-point adaptation (TPA) above
 *   d = 299, which needs two extra evaluations per generation on the line of the mean shift.
 * - No mirrored sampling for λ < 6 (pycma's CMA_mirrors default), and the damping d_σ is pycma's
 *   value without mirrors.
 * - tell(fitness, x) accepts any rows (the update is recomputed from x); each row's Mahalanobis length
 *   is then clipped to √d + 2d/(d + 2) as pycma's repair_genotype does, but the negative weights of
 *   injected rows are not zeroed (pycma's CMA_active_injected), since the core does not know which
 *   rows were replaced.
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy } from "../contract/strategy.js";
import { derived, number, type OptionsOf, type ParamsOf } from "../contract/options.js";
import { cmaActiveWeights, defaultMu, logWeights, muEff, sepCmaRates } from "../contract/defaults.js";
import type { CoreExports } from "../wasm/exports.js";

export const sepcmaSpec = {
  ...baseSpec,
  /** μ = ⌊λ/2⌋, the number of positive weights (derived from λ, as in pycma). */
  mu: derived((p) => defaultMu(p.popSize)),
  /** μ_eff = 1/Σ w_i² over the positive weights w_i ∝ ln((λ+1)/2) − ln i. */
  muEff: derived((p) => muEff(logWeights(p.popSize, p.mu))),
  /** c_c, the learning rate of the path p_c (0 < c_c ≤ 1). Default (1 + 1/d + μ_eff/d)/(√d + 1/d + 2μ_eff/d) (pycma's cc_sep). */
  cc: number({ gt: 0, max: 1, default: (p) => sepCmaRates(p.d, p.muEff).cc }),
  /** c_1, the rank-one learning rate (0 ≤ c_1 ≤ 0.999). Default 1/(d + 2√d + μ_eff/d) (pycma's c1_sep). */
  c1: number({ min: 0, max: 0.999, default: (p) => sepCmaRates(p.d, p.muEff).c1 }),
  /** c_μ, the rank-μ learning rate (0 ≤ c_μ ≤ 1 − c_1). Default min(1 − c_1, (1/4 + μ_eff + 1/μ_eff − 2)/(d + 4√d + μ_eff/2)) (pycma's cmu_sep). */
  cmu: number({ min: 0, max: (p) => 1 - p.c1, default: (p) => Math.min(1 - p.c1, sepCmaRates(p.d, p.muEff).cmu) }),
  /** c_σ, the learning rate of the σ path (0 < c_σ ≤ 1). Default (μ_eff + 2)/(d + μ_eff + 3) (pycma's CSA). */
  cSigma: number({ gt: 0, max: 1, default: (p) => (p.muEff + 2) / (p.d + p.muEff + 3) }),
  /** d_σ, the σ damping. Default 1 + 2·max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ. */
  dSigma: number({ gt: 0, default: (p) => 1 + 2 * Math.max(0, Math.sqrt((p.muEff - 1) / (p.d + 1)) - 1) + p.cSigma }),
  /** c_m, the learning rate of the mean (> 0). Default 1. */
  cMean: number({ gt: 0, default: 1 }),
  /** The λ weights by rank: the positive ones sum to 1, the negative ones (active) as tutorial eqs. (49)-(52) with c_1, c_μ (no positive-definiteness bound: pycma's pos_def=False). */
  weights: derived((p) => cmaActiveWeights(p.popSize, p.c1, p.cmu)),
};

/** The options of `new SepCMAES(options)`: every option, its range and its default, is listed under `sepcmaSpec`. */
export type SepCMAESOptions = OptionsOf<typeof sepcmaSpec>;
/** SepCMAES's resolved parameters (`es.params`, `SepCMAES.defaults(d)`), derived ones included. */
export type SepCMAESParams = ParamsOf<typeof sepcmaSpec>;

export class SepCMAES extends Strategy<SepCMAESParams> {
  static override readonly strategyName: string = "sepcma";
  static readonly spec: typeof sepcmaSpec = sepcmaSpec;

  constructor(options: SepCMAESOptions) {
    super("SepCMAES", sepcmaSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.sepcma_init, ask: x.sepcma_ask, tell: x.sepcma_tell, ptr: x.sepcma_ptr };
  }

  protected configure(c: ConfigWriter, p: SepCMAESParams): void {
    c.set(abi.SEP_MU, p.mu, "popSize").set(abi.SEP_CSIGMA, p.cSigma, "cSigma").set(abi.SEP_DSIGMA, p.dSigma, "dSigma")
      .set(abi.SEP_CC, p.cc, "cc").set(abi.SEP_C1, p.c1, "c1").set(abi.SEP_CMU, p.cmu, "cmu").set(abi.SEP_MUEFF, p.muEff, "popSize")
      .set(abi.SEP_CM, p.cMean, "cMean").set(abi.SEP_ETA, Math.LN2, "weights");
  }

  protected override afterInit(p: SepCMAESParams): void {
    this.slot(abi.SEP_WEIGHTS, p.popSize).set(p.weights);
  }

  protected override scalarCount(): number {
    return 2;
  }

  // six d-vectors (the base counts four) and the per-individual arrays
  protected override memoryEstimate(p: SepCMAESParams): number {
    return 16 * p.d + 32 * p.popSize + 4096;
  }

  /** A copy of the coordinate standard deviations over σ, √diag(C). */
  get stds(): Float64Array {
    this.live("stds");
    return this.slot(abi.SEP_STD, this.dimension).slice();
  }

  /** A copy of the evolution path p_c. */
  get pc(): Float64Array {
    this.live("pc");
    return this.slot(abi.SEP_PC, this.dimension).slice();
  }

  /** A copy of the σ path p_σ. */
  get ps(): Float64Array {
    this.live("ps");
    return this.slot(abi.SEP_PS, this.dimension).slice();
  }
}
