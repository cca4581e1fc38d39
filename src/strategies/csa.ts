/**
 * CSA-ES: the (μ/μ_w, λ)-ES with cumulative step-size adaptation and isotropic sampling (C = I).
 *
 * see: N. Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, eqs. (39)-(44) with
 * C = I and the default weights, c_σ and d_σ of its Table 1; checked against pycma's purecma.py.
 * The core is assembly/strategies/csa.ts.
 */
import { BASE_KEYS, Strategy, type BaseOptions } from "../base.js";
import { num } from "../check.js";
import { ln } from "../math.js";

export interface CSAESOptions extends BaseOptions {
  /** λ. Default 4 + ⌊3 ln d⌋. */
  popSize?: number;
  /** μ, the number of parents (1 ≤ μ ≤ ⌊λ/2⌋, so every weight is positive). Default ⌊λ/2⌋. */
  mu?: number;
  /** c_σ, the learning rate of the σ path. Default (μ_eff + 2)/(d + μ_eff + 5). */
  cSigma?: number;
  /** d_σ, the σ damping. Default 1 + 2·max(0, √((μ_eff − 1)/(d + 1)) − 1) + c_σ. */
  dSigma?: number;
}

const KEYS = [...BASE_KEYS, "mu", "cSigma", "dSigma"] as const;

/** Every default, from (d, λ) and μ, in one place (Hansen's tutorial, Table 1). */
export function csaDefaults(d: number, popSize?: number, mu?: number) {
  const lambda = popSize ?? 4 + Math.floor(3 * ln(d));
  const m = mu ?? Math.floor(lambda / 2);
  const raw = Array.from({ length: m }, (_, i) => ln((lambda + 1) / 2) - ln(i + 1));
  const sum = raw.reduce((a, b) => a + b, 0);
  const weights = raw.map((v) => v / sum);
  const muEff = 1 / weights.reduce((a, w) => a + w * w, 0);
  const cSigma = (muEff + 2) / (d + muEff + 5);
  const dSigma = 1 + 2 * Math.max(0, Math.sqrt((muEff - 1) / (d + 1)) - 1) + cSigma;
  return { popSize: lambda, mu: m, weights, muEff, cSigma, dSigma };
}

export class CSAES extends Strategy {
  static override readonly strategyName: string = "csa";
  readonly popSize: number;
  /** The resolved strategy parameters. */
  readonly params: ReturnType<typeof csaDefaults>;
  protected readonly prefix = "csa";

  constructor(options: CSAESOptions) {
    super("CSAES", options, KEYS);
    const d = this.dimension;
    const lambda = num("popSize", options.popSize, 4 + Math.floor(3 * ln(d)), { min: 2, integer: true });
    // μ ≤ ⌊λ/2⌋ keeps every log weight ln((λ+1)/2) − ln i positive (Hansen's tutorial recombines with positive weights)
    const mu = num("mu", options.mu, Math.floor(lambda / 2), { min: 1, max: Math.max(1, Math.floor(lambda / 2)), integer: true });
    const p = csaDefaults(d, lambda, mu);
    p.cSigma = num("cSigma", options.cSigma, p.cSigma, { gt: 0, max: 1 });
    p.dSigma = num("dSigma", options.dSigma, p.dSigma, { gt: 0 });
    this.popSize = lambda;
    this.params = p;
    this.start();
  }

  protected init(): void {
    const x = this.core.x, p = this.params, d = this.dimension;
    x.csa_init(d, p.popSize, p.mu, this.seed, this.opts.sigma, p.cSigma, p.dSigma, p.muEff);
    this.core.f64(x.csa_ptr(0), d).set(this.opts.mean);
    this.core.f64(x.csa_ptr(4), p.mu).set(p.weights);
  }
}
