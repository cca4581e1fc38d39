// Every strategy, by its `method` name in minimize(); the contract test loops over this.
import type { Strategy } from "./contract/strategy.js";
import { CSAES } from "./strategies/csa.js";
import { XNES } from "./strategies/xnes.js";
import { CMAES } from "./strategies/cma.js";
import { RMES } from "./strategies/rmes.js";
import { SimpleES } from "./strategies/simple.js";
import { OpenAIES } from "./strategies/openai.js";
import { SepCMAES } from "./strategies/sepcma.js";
import { LMMAES } from "./strategies/lmmaes.js";

// deno-lint-ignore no-explicit-any
/** A strategy class: `new X(options)`, its `strategyName` and `X.load(bytes)`. */
export type StrategyClass = { new (options: any): Strategy; strategyName: string; load(bytes: Uint8Array): Strategy };

const registry = {
  csa: CSAES,
  xnes: XNES,
  cma: CMAES,
  rmes: RMES,
  simple: SimpleES,
  openai: OpenAIES,
  sepcma: SepCMAES,
  lmmaes: LMMAES,
} as const satisfies Record<string, StrategyClass>;

/** The registry's type: `minimize`'s `method` and its options are typed from it. */
export type Registry = typeof registry;

/** Every strategy by method name: typed per key, and as StrategyClass when looped over. */
export const strategies: Readonly<Record<string, StrategyClass>> & Registry = registry;
/** A `method` name. */
export type Method = keyof Registry;
/** The options of one method's strategy. */
export type OptionsOfMethod<K extends Method> = ConstructorParameters<Registry[K]>[0];
