/**
 * CSA-ES: the (μ/μ_w, λ)-ES with cumulative step-size adaptation and isotropic sampling (C = I).
 *
 * see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, eqs. (39)-(44) with
 * C = I and the default weights, c_σ and d_σ of its Table 1; checked against pycma's purecma.py.
 * The core is assembly/strategies/csa.ts.
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type StrategyOptions } from "../contract/strategy.js";
import { derived, integer, number, type ParamsOf } from "../contract/options.js";
import { defaultMu, logWeights, muEff } from "../contract/defaults.js";
import type { CoreExports } from "../wasm/exports.js";

export const csaSpec = {
  ...baseSpec,
  /** μ, the number of parents (1 ≤ μ ≤ ⌊λ/2⌋, so every weight is positive). Default ⌊λ/2⌋. */
  mu: integer({ min: 1, max: (p) => Math.max(1, defaultMu(p.popSize)), default: (p) => defaultMu(p.popSize) }),
  /** The recombination weights: w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ (tutorial eq. (49)). */
  weights: derived((p) => logWeights(p.popSize, p.mu)),
  /** μ_eff = 1/Σ w_i². */
  muEff: derived((p) => muEff(p.weights)),
  /** c_σ, the learning rate of the σ path (0 < c_σ ≤ 1). Default (μ_eff + 2)/(d + μ_eff + 5). */
  cSigma: number({ gt: 0, max: 1, default: (p) => (p.muEff + 2) / (p.d + p.muEff + 5) }),
  /** d_σ, the σ damping. Default 1 + 2·max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ. */
  dSigma: number({ gt: 0, default: (p) => 1 + 2 * Math.max(0, Math.sqrt((p.muEff - 1) / (p.d + 1)) - 1) + p.cSigma }),
};

/** The options of `new CSAES(options)`: every option, its range and its default, is listed under `csaSpec`. */
export type CSAESOptions = StrategyOptions<typeof csaSpec>;
/** CSAES's resolved parameters (`es.params`, `CSAES.defaults(d)`), derived ones included. */
export type CSAESParams = ParamsOf<typeof csaSpec>;

export class CSAES extends Strategy<CSAESParams> {
  static override readonly strategyName: string = "csa";
  static readonly spec: typeof csaSpec = csaSpec;

  constructor(options: CSAESOptions) {
    super("CSAES", csaSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.csa_init, ask: x.csa_ask, tell: x.csa_tell, ptr: x.csa_ptr };
  }

  protected configure(c: ConfigWriter, p: CSAESParams): void {
    c.set(abi.CSA_MU, p.mu, "mu").set(abi.CSA_CSIGMA, p.cSigma, "cSigma").set(abi.CSA_DSIGMA, p.dSigma, "dSigma").set(abi.CSA_MUEFF, p.muEff, "mu");
  }

  protected override afterInit(p: CSAESParams): void {
    this.slot(abi.CSA_WEIGHTS, p.mu).set(p.weights);
  }

  // z_k of the last ask, rewritten by the next (assembly/strategies/csa.ts csa_ask)
  protected override scratchSlots(): [number, number][] {
    return [[abi.CSA_Z, this.popSize]];
  }

  // Z and X: two λ×d buffers (the base counts one)
  protected override memoryEstimate(p: CSAESParams): number {
    return 8 * p.d * p.popSize;
  }
}
