/**
 * LM-MA-ES, the limited-memory matrix adaptation evolution strategy (Loshchilov, Glasmachers & Beyer,
 * "Large scale black-box optimization by limited-memory matrix adaptation", IEEE TEC 23(2):353-358,
 * 2019, Algorithm 1): m direction vectors shape the samples, O(m·d) memory and time per sample, so it
 * runs at d = 1e6 ((λ + m)·d values; (2λ + m)·d while λ·d ≤ 2^24, where the samples' z are kept). The core (assembly/strategies/lmmaes.ts) computes the paper's
 * per-sample transformation for the whole population as two matrix products; the result is the same.
 *
 * Defaults are the paper's (and PyPop7's lmmaes.py, the reference the figures come from): λ = 4 +
 * ⌊3 ln d⌋, μ = ⌊λ/2⌋, log weights, m = 4 + ⌊3 ln d⌋, c_σ = 2λ/d, c_d,i = 1/(1.5^(i−1) d),
 * c_c,i = λ/(4^(i−1) d), d_σ = 2.
 *
 * Differences, on purpose:
 * - Where the paper's rates exceed 1 (d < 2λ for c_σ, d < λ/4^(i−1) for c_c,i) they are capped at 1;
 *   the paper leaves them undefined and PyPop7 patches the factors (1 − c → 0.5). Only small d is
 *   concerned; LM-MA-ES is meant for large d.
 * - Random numbers: one xoshiro256++ stream per row (the base's row streams), not numpy's generator.
 * - tell(fitness, x) with other points than the ones asked is refused (`injectable` is false): the update
 *   needs the z behind each selected point.
 * - σ·scalars' standard deviations (tolX and friends) are bounds: every coordinate standard deviation
 *   over σ lies in [Π (1 − c_d,j), Π (1 − c_d,j + c_d,j ‖M_j‖²)].
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy } from "../contract/strategy.js";
import { derived, integer, number, vector, type OptionsOf, type ParamsOf } from "../contract/options.js";
import { defaultMu, defaultPopSize, logWeights, muEff } from "../contract/defaults.js";
import type { CoreExports } from "../wasm/exports.js";

export const lmmaesSpec = {
  ...baseSpec,
  /** μ, the number of parents (1 ≤ μ ≤ λ). Default ⌊λ/2⌋. */
  mu: integer({ min: 1, max: (p) => p.popSize, default: (p) => defaultMu(p.popSize) }),
  /** The recombination weights w_i ∝ ln((λ+1)/2) − ln i, i = 1..μ, summing to 1 (PyPop7's). */
  weights: derived((p) => logWeights(p.popSize, p.mu)),
  /** μ_eff = 1/Σ w_i². */
  muEff: derived((p) => muEff(p.weights)),
  /** m, the number of direction vectors (1 ≤ m ≤ 1024). Default 4 + ⌊3 ln d⌋. */
  nVectors: integer({ min: 1, max: 1024, default: (p) => defaultPopSize(p.d) }),
  /** c_σ, the learning rate of the σ path (0 < c_σ ≤ 1). Default min(1, 2λ/d). */
  cSigma: number({ gt: 0, max: 1, default: (p) => Math.min(1, (2 * p.popSize) / p.d) }),
  /** d_σ, the σ damping: σ ← σ exp(c_σ/d_σ (‖p_σ‖²/d − 1)). Default 2. */
  dSigma: number({ gt: 0, default: 2 }),
  /** c_d,i, i = 1..m, the learning rates of the transformation (each in (0, 1)). Default 1/(1.5^(i−1) d). */
  cd: { ...vector({ length: (p) => p.nVectors }), default: (p: { d: number; nVectors: number }) => Float64Array.from({ length: p.nVectors }, (_, i) => 1 / (1.5 ** i * p.d)) },
  /** c_c,i, i = 1..m, the learning rates of the direction vectors (each in (0, 1]). Default min(1, λ/(4^(i−1) d)). */
  cc: { ...vector({ length: (p) => p.nVectors }), default: (p: { d: number; nVectors: number; popSize: number }) => Float64Array.from({ length: p.nVectors }, (_, i) => Math.min(1, p.popSize / (4 ** i * p.d))) },
};

/** The options of `new LMMAES(options)`: every option, its range and its default, is listed under `lmmaesSpec`. */
export type LMMAESOptions = OptionsOf<typeof lmmaesSpec>;
/** LMMAES's resolved parameters (`es.params`, `LMMAES.defaults(d)`), derived ones included. */
export type LMMAESParams = ParamsOf<typeof lmmaesSpec>;

export class LMMAES extends Strategy<LMMAESParams> {
  static override readonly strategyName: string = "lmmaes";
  static readonly spec: typeof lmmaesSpec = lmmaesSpec;

  constructor(options: LMMAESOptions) {
    super("LMMAES", lmmaesSpec, options);
    const p = this.params;
    const bad = (name: string, v: Float64Array, max: number) => {
      for (let i = 0; i < v.length; i++) if (!(v[i] > 0 && v[i] <= max)) { this.dispose(); throw new RangeError(`LMMAES: option "${name}"[${i}] must be in (0, ${max}], got ${v[i]}`); }
    };
    bad("cd", p.cd!, 0.999999);
    bad("cc", p.cc!, 1);
  }

  protected exports(x: CoreExports) {
    return { init: x.lmmaes_init, ask: x.lmmaes_ask, tell: x.lmmaes_tell, ptr: x.lmmaes_ptr };
  }

  protected configure(c: ConfigWriter, p: LMMAESParams): void {
    c.set(abi.LM_MU, p.mu, "mu").set(abi.LM_M, p.nVectors, "nVectors").set(abi.LM_CSIGMA, p.cSigma, "cSigma")
      .set(abi.LM_DSIGMA, p.dSigma, "dSigma").set(abi.LM_MUEFF, p.muEff, "mu");
  }

  protected override afterInit(p: LMMAESParams): void {
    this.slot(abi.LM_WEIGHTS, p.mu).set(p.weights);
    this.slot(abi.LM_CD, p.nVectors).set(p.cd!);
    this.slot(abi.LM_CC, p.nVectors).set(p.cc!);
  }

  protected override scalarCount(): number {
    return 1;
  }

  // the m direction vectors, the kept z rows (λ·d while λ·d ≤ 2^24, as the core), the λ×m coefficient
  // arrays and the gemm packing buffer (the base counts λ·d + 4·d)
  protected override memoryEstimate(p: LMMAESParams): number {
    return 8 * p.nVectors * p.d + (p.popSize * p.d <= 2 ** 24 ? 8 * p.popSize * p.d : 0) + 16 * p.popSize * p.nVectors + 8 * p.nVectors * p.nVectors + 2 * 768 * 1024 + 32 * p.popSize;
  }

  /** A copy of the σ path p_σ. */
  get ps(): Float64Array {
    this.live("ps");
    return this.slot(abi.LM_PS, this.dimension).slice();
  }

  /** A copy of the direction vectors, m×d row-major (row i is M_i). */
  get vectors(): Float64Array {
    this.live("vectors");
    return this.slot(abi.LM_DIRS, this.params.nVectors * this.dimension).slice();
  }
}
