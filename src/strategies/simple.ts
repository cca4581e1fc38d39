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
import { BASE_KEYS, Strategy, type BaseOptions } from "../base.js";
import { num, oneOf } from "../check.js";

export interface SimpleESOptions extends BaseOptions {
  /** The initial best (the centre of the first generation's sampling). Required. */
  mean: ArrayLike<number>;
  /** The noise scale σ. Default 1. */
  sigma?: number;
  /** λ, candidates per generation. Default 20. */
  popSize?: number;
  /** How many of the best candidates are averaged into the new best (1 ≤ topN ≤ λ). Default min(5, λ). */
  topN?: number;
  /** The initial multiplier of σ. Default 1. */
  errorWeight?: number;
  /** errorWeight is multiplied by this after every generation (0 < decayRate ≤ 1). Default 0.95. */
  decayRate?: number;
  /** The floor of errorWeight. Default 0.01. */
  minErrorWeight?: number;
  /** 'min' minimises f, 'max' maximises it (fitness, best.f, tell's figures and `target` are then in that sign). Default 'min'. */
  mode?: "min" | "max";
}

const KEYS = [...BASE_KEYS, "topN", "errorWeight", "decayRate", "minErrorWeight", "mode"] as const;

/** Every default in one place (the tutorial's optimize()). */
export function simpleDefaults(_d: number, popSize?: number) {
  const lambda = popSize ?? 20;
  return { popSize: lambda, topN: Math.min(5, lambda), errorWeight: 1, decayRate: 0.95, minErrorWeight: 0.01, mode: "min" as "min" | "max" };
}

export class SimpleES extends Strategy {
  static override readonly strategyName: string = "simple";
  readonly popSize: number;
  /** The resolved strategy parameters. */
  readonly params: ReturnType<typeof simpleDefaults>;
  protected readonly prefix = "simple";

  constructor(options: SimpleESOptions) {
    super("SimpleES", options, KEYS);
    const lambda = num("popSize", options.popSize, 20, { min: 2, integer: true });
    const p = simpleDefaults(this.dimension, lambda);
    p.topN = num("topN", options.topN, p.topN, { min: 1, max: lambda, integer: true });
    p.errorWeight = num("errorWeight", options.errorWeight, p.errorWeight, { gt: 0 });
    p.decayRate = num("decayRate", options.decayRate, p.decayRate, { gt: 0, max: 1 });
    p.minErrorWeight = num("minErrorWeight", options.minErrorWeight, p.minErrorWeight, { min: 0 });
    p.mode = oneOf("mode", options.mode, p.mode, ["min", "max"]);
    this.popSize = lambda;
    this.params = p;
    if (p.mode === "max") this.sign = -1;
    this.start();
  }

  /** The current errorWeight. */
  get errorWeight(): number {
    this.live("errorWeight");
    return this.scal[0] / this.opts.sigma;
  }

  protected init(): void {
    const x = this.core.x, p = this.params, d = this.dimension;
    x.simple_init(d, p.popSize, p.topN, this.seed, this.opts.sigma, p.errorWeight, p.decayRate, p.minErrorWeight);
    this.core.f64(x.simple_ptr(0), d).set(this.opts.mean);
  }
}
