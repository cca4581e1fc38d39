/**
 * OpenAIES: the evolution strategy of Salimans et al. (2017) for neural-network weights.
 *
 * Antithetic sampling (rows k and k + λ/2 are θ ± σε_k), centred-rank fitness shaping
 * (u = rank/(λ − 1) − ½), the search-gradient estimate g = 1/(λσ) Σ u_i ε_i, and an Adam step
 * (Kingma & Ba 2014, with bias correction) on g + weightDecay·θ; σ is fixed, or decays by sigmaDecay
 * per generation down to sigmaMin.
 *
 * see: T. Salimans et al., "Evolution Strategies as a Scalable Alternative to Reinforcement
 * Learning", arXiv:1703.03864, Algorithm 1 and sections 2.2, 3.1; written from the paper (and
 * evosax's OpenES for the option names' meaning, not its code). The core is assembly/strategies/openai.ts.
 */
import { BASE_KEYS, Strategy, type BaseOptions } from "../base.js";
import { fail, num, oneOf } from "../check.js";
import { ln } from "../math.js";

export interface OpenAIESOptions extends BaseOptions {
  /** The initial parameters θ0. Required. */
  mean: ArrayLike<number>;
  /** The noise scale σ. Default 1 (as every strategy; 0.01–0.1 suits network weights). */
  sigma?: number;
  /** λ, even (antithetic pairs; an odd value is a RangeError). Default 2·⌈(4 + ⌊3 ln d⌋)/2⌉. */
  popSize?: number;
  /** Adam's learning rate. Default 0.01. */
  learningRate?: number;
  /** Adam's β1. Default 0.9. */
  beta1?: number;
  /** Adam's β2. Default 0.999. */
  beta2?: number;
  /** Adam's ε. Default 1e-8. */
  epsilon?: number;
  /** L2 weight decay: weightDecay·θ is added to the gradient estimate. Default 0 (off). */
  weightDecay?: number;
  /** σ ← max(σ·sigmaDecay, sigmaMin) after every generation. Default 1 (σ fixed). */
  sigmaDecay?: number;
  /** The floor of a decaying σ. Default 0. */
  sigmaMin?: number;
  /** 'min' minimises f, 'max' maximises it (fitness, best.f, tell's figures and `target` are then in that sign). Default 'min'. */
  mode?: "min" | "max";
}

const KEYS = [...BASE_KEYS, "learningRate", "beta1", "beta2", "epsilon", "weightDecay", "sigmaDecay", "sigmaMin", "mode"] as const;

/** Every default in one place. */
export function openaiDefaults(d: number, popSize?: number) {
  const lambda = popSize ?? 2 * Math.ceil((4 + Math.floor(3 * ln(d))) / 2);
  return { popSize: lambda, learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, sigmaDecay: 1, sigmaMin: 0, mode: "min" as "min" | "max" };
}

export class OpenAIES extends Strategy {
  static override readonly strategyName: string = "openai";
  readonly popSize: number;
  /** The resolved strategy parameters. */
  readonly params: ReturnType<typeof openaiDefaults>;
  protected readonly prefix = "openai";

  constructor(options: OpenAIESOptions) {
    super("OpenAIES", options, KEYS);
    const p = openaiDefaults(this.dimension, options.popSize as number | undefined);
    const lambda = num("popSize", options.popSize, p.popSize, { min: 2, integer: true });
    if (lambda % 2 !== 0) fail("range", `option "popSize"`, `must be even (antithetic pairs), got ${lambda}`);
    p.learningRate = num("learningRate", options.learningRate, p.learningRate, { gt: 0 });
    p.beta1 = num("beta1", options.beta1, p.beta1, { min: 0, max: 0.999999999 });
    p.beta2 = num("beta2", options.beta2, p.beta2, { min: 0, max: 0.999999999 });
    p.epsilon = num("epsilon", options.epsilon, p.epsilon, { gt: 0 });
    p.weightDecay = num("weightDecay", options.weightDecay, p.weightDecay, { min: 0 });
    p.sigmaDecay = num("sigmaDecay", options.sigmaDecay, p.sigmaDecay, { gt: 0, max: 1 });
    p.sigmaMin = num("sigmaMin", options.sigmaMin, p.sigmaMin, { min: 0 });
    p.mode = oneOf("mode", options.mode, p.mode, ["min", "max"]);
    this.popSize = lambda;
    this.params = p;
    if (p.mode === "max") this.sign = -1;
    this.start();
  }

  protected init(): void {
    const x = this.core.x, p = this.params, d = this.dimension;
    x.openai_init(d, p.popSize, this.seed, this.opts.sigma, p.learningRate, p.beta1, p.beta2, p.epsilon, p.weightDecay, p.sigmaDecay, p.sigmaMin);
    this.core.f64(x.openai_ptr(0), d).set(this.opts.mean);
  }
}
