/**
 * SimpleES: the tutorial's evolution strategy (a 784×10 softmax on MNIST without backpropagation).
 *
 * Each generation samples λ candidates best + errorWeight·σ·N(0, I); the topN best of them (by
 * fitness, ties in index order) are averaged into the new best; then errorWeight ← max(errorWeight ·
 * decayRate, minErrorWeight). The previous best is NOT part of the average: a comma selection over
 * this generation's candidates only, as in the tutorial (A. Biswas, "Introduction to Evolution
 * Strategy", 2020: its optimize() sorts the fresh population and averages its top_n; the best is
 * never re-evaluated). Defaults mirror that optimize() (n_pop 20, top_n 5, sigma_error 1,
 * error_weight 1, decay_rate 0.95, min_error_weight 0.01). `mode: 'max'` maximises, as the tutorial
 * does. Note: the tutorial's MNIST loop calls optimize(n_iter=1) once per step, so there the decay
 * restarts every generation, i.e. σ stays 1 (`decayRate: 1` here).
 * The core is assembly/strategies/simple.ts.
 */
import * as abi from "../../assembly/abi.js";
import { baseSpec, ConfigWriter, Strategy, type StrategyOptions } from "../contract/strategy.js";
import { integer, number, type ParamsOf } from "../contract/options.js";
import { defaultStagnation } from "../contract/stop.js";
import type { CoreExports } from "../wasm/exports.js";

export const simpleSpec = {
  ...baseSpec,
  /** λ, candidates per generation. Default 20 (the tutorial's n_pop). */
  popSize: integer({ min: 2, max: 1 << 20, default: 20 }),
  /** How many of the best candidates are averaged into the new best (1 ≤ topN ≤ λ). Default min(5, λ). */
  topN: integer({ min: 1, max: (p) => p.popSize, default: (p) => Math.min(5, p.popSize) }),
  /** The initial multiplier of σ. Default 1. */
  errorWeight: number({ gt: 0, default: 1 }),
  /** errorWeight is multiplied by this after every generation (0 < decayRate ≤ 1). Default 0.95. */
  decayRate: number({ gt: 0, max: 1, default: 0.95 }),
  /** The floor of errorWeight. Default 0.01. */
  minErrorWeight: number({ min: 0, default: 0.01 }),
  /** "tolStagnation" (see the base options): σ cannot collapse here, so the default is pycma's window, 100 + 100·d^1.5/λ generations, at most 20,000. */
  tolStagnation: integer({ min: 20, max: 20_000, default: (p) => defaultStagnation(p.d, p.popSize, 1) }),
};

/** The options of `new SimpleES(options)`: every option, its range and its default, is listed under `simpleSpec`. */
export type SimpleESOptions = StrategyOptions<typeof simpleSpec>;
/** SimpleES's resolved parameters (`es.params`, `SimpleES.defaults(d)`), derived ones included. */
export type SimpleESParams = ParamsOf<typeof simpleSpec>;

export class SimpleES extends Strategy<SimpleESParams> {
  static override readonly strategyName: string = "simple";
  static readonly spec: typeof simpleSpec = simpleSpec;

  constructor(options: SimpleESOptions) {
    super("SimpleES", simpleSpec, options);
  }

  protected exports(x: CoreExports) {
    return { init: x.simple_init, ask: x.simple_ask, tell: x.simple_tell, ptr: x.simple_ptr };
  }

  protected configure(c: ConfigWriter, p: SimpleESParams): void {
    c.set(abi.SIMPLE_TOPN, p.topN, "topN").set(abi.SIMPLE_ERRORWEIGHT, p.errorWeight, "errorWeight")
      .set(abi.SIMPLE_DECAY, p.decayRate, "decayRate").set(abi.SIMPLE_MINERRORWEIGHT, p.minErrorWeight, "minErrorWeight");
  }

  protected override scalarCount(): number {
    return 1;
  }

  /** The current errorWeight. */
  get errorWeight(): number {
    this.live("errorWeight");
    return this.scal[abi.SIMPLE_SC_ERRORWEIGHT];
  }
}
