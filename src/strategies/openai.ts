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
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type StrategyOptions } from "../contract/strategy.js";
import { custom, integer, number, type ParamsOf } from "../contract/options.js";
import { defaultPopSize } from "../contract/defaults.js";
import { fail, num } from "../check.js";
import { defaultStagnation } from "../contract/stop.js";
import type { CoreExports } from "../wasm/exports.js";

export const openaiSpec = {
  ...baseSpec,
  /** λ, even (antithetic pairs; an odd value is a RangeError). Default 2·⌈(4 + ⌊3 ln d⌋)/2⌉. */
  popSize: custom((name, v) => {
    const n = num(name, v, NaN, { min: 2, max: 1 << 20, integer: true });
    return n % 2 === 0 ? n : fail("range", `option "${name}"`, `must be even (antithetic pairs), got ${n}`);
  }, (p) => 2 * Math.ceil(defaultPopSize(p.d) / 2)),
  /** Adam's learning rate. Default 0.01. */
  learningRate: number({ gt: 0, default: 0.01 }),
  /** Adam's β1. Default 0.9. */
  beta1: number({ min: 0, max: 0.999999999, default: 0.9 }),
  /** Adam's β2. Default 0.999. */
  beta2: number({ min: 0, max: 0.999999999, default: 0.999 }),
  /** Adam's ε. Default 1e-8. */
  epsilon: number({ gt: 0, default: 1e-8 }),
  /** L2 weight decay: weightDecay·θ is added to the gradient estimate. Default 0 (off). */
  weightDecay: number({ min: 0, default: 0 }),
  /** σ ← max(σ·sigmaDecay, sigmaMin) after every generation. Default 1 (σ fixed). */
  sigmaDecay: number({ gt: 0, max: 1, default: 1 }),
  /** The floor of a decaying σ. Default 0. */
  sigmaMin: number({ min: 0, default: 0 }),
  /** "tolStagnation" (see the base options): σ does not adapt here, so the default is pycma's window, 100 + 100·d^1.5/λ generations, at most 20,000. */
  tolStagnation: integer({ min: 20, max: 20_000, default: (p) => defaultStagnation(p.d, p.popSize, 1) }),
};

/** The options of `new OpenAIES(options)`: every option, its range and its default, is listed under `openaiSpec`. */
export type OpenAIESOptions = StrategyOptions<typeof openaiSpec>;
/** OpenAIES's resolved parameters (`es.params`, `OpenAIES.defaults(d)`), derived ones included. */
export type OpenAIESParams = ParamsOf<typeof openaiSpec>;

export class OpenAIES extends Strategy<OpenAIESParams> {
  static override readonly strategyName: string = "openai";
  static readonly spec: typeof openaiSpec = openaiSpec;

  constructor(options: OpenAIESOptions) {
    super("OpenAIES", openaiSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.openai_init, ask: x.openai_ask, tell: x.openai_tell, ptr: x.openai_ptr };
  }

  protected configure(c: ConfigWriter, p: OpenAIESParams): void {
    c.set(abi.OPENAI_LR, p.learningRate, "learningRate").set(abi.OPENAI_BETA1, p.beta1, "beta1").set(abi.OPENAI_BETA2, p.beta2, "beta2")
      .set(abi.OPENAI_EPS, p.epsilon, "epsilon").set(abi.OPENAI_WD, p.weightDecay, "weightDecay")
      .set(abi.OPENAI_SDECAY, p.sigmaDecay, "sigmaDecay").set(abi.OPENAI_SMIN, p.sigmaMin, "sigmaMin");
  }

  protected override scalarCount(): number {
    return 2;
  }

  // ε_k of the last ask (⌊λ/2⌋ rows), rewritten by the next (assembly/strategies/openai.ts)
  protected override scratchSlots(): [number, number][] {
    return [[abi.OPENAI_EPSILON_ROWS, this.popSize >> 1]];
  }

  // ε, λ/2 × d (θ and Adam's g, m, v are among the base's four d-vectors)
  protected override memoryEstimate(p: OpenAIESParams): number {
    return 8 * p.d * (p.popSize / 2);
  }
}
