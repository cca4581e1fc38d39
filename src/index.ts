/**
 * evostrat: evolution strategies with a WebAssembly core.
 *
 * Strategies follow one contract (src/contract/strategy.ts): `new X({ mean, sigma, seed, popSize, ... })`, then
 * `ask()` / `tell(fitness)`, `shouldStop()`, `save()` / `X.load(bytes)`, `dispose()`.
 */
export { Strategy, baseSpec, type BaseOptions, type Population, type StopReason, type GenerationInfo, type StrategyOptions, type BaseParams } from "./contract/strategy.js";
export type { Spec, SpecMap, AnySpec, OptionsOf, ParamsOf, Resolved } from "./contract/options.js";
export type { CmaStopReason } from "./contract/stop.js";
export { CSAES, csaSpec, type CSAESOptions, type CSAESParams } from "./strategies/csa.js";
export { XNES, xnesSpec, type XNESOptions, type XNESParams } from "./strategies/xnes.js";
export { CMAES, cmaSpec, type CMAESOptions, type CMAESParams } from "./strategies/cma.js";
export { RMES, rmesSpec, type RMESOptions, type RMESParams } from "./strategies/rmes.js";
export { SimpleES, simpleSpec, type SimpleESOptions, type SimpleESParams } from "./strategies/simple.js";
export { OpenAIES, openaiSpec, type OpenAIESOptions, type OpenAIESParams } from "./strategies/openai.js";
export { SepCMAES, sepcmaSpec, type SepCMAESOptions, type SepCMAESParams } from "./strategies/sepcma.js";
export { LMMAES, lmmaesSpec, type LMMAESOptions, type LMMAESParams } from "./strategies/lmmaes.js";
export { minimize, type MinimizeOptions, type MinimizeResult, type RestartOptions, type FitnessModule, type LogRecord, type DriverOptions, type MethodOptions, type WithMethod, type Boxed, type Fitness } from "./drivers/minimize.js";
export { strategies, type StrategyClass, type Registry, type Method, type OptionsOfMethod } from "./registry.js";
export { ready, provideCore, BUILD_ID } from "./wasm.js";
