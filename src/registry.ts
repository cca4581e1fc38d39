/** Every strategy, by its `method` name in minimize(); the contract test loops over this. */
import type { Strategy } from "./contract/strategy.js";
import { CSAES } from "./strategies/csa.js";
import { XNES } from "./strategies/xnes.js";
import { RMES } from "./strategies/rmes.js";
import { SimpleES } from "./strategies/simple.js";
import { OpenAIES } from "./strategies/openai.js";

// deno-lint-ignore no-explicit-any
export type StrategyClass = { new (options: any): Strategy; strategyName: string; load(bytes: Uint8Array): Strategy };

export const strategies: Record<string, StrategyClass> = {
  csa: CSAES,
  xnes: XNES,
  rmes: RMES,
  simple: SimpleES,
  openai: OpenAIES,
};
