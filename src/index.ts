/**
 * evostrat: evolution strategies with a WebAssembly core.
 *
 * Strategies follow one contract (src/base.ts): `new X({ mean, sigma, seed, popSize, ... })`, then
 * `ask()` / `tell(fitness)`, `shouldStop()`, `save()` / `X.load(bytes)`, `dispose()`.
 */
export { Strategy, type BaseOptions, type Population, type StopReason, type GenerationInfo } from "./base.js";
export { CSAES, csaDefaults, type CSAESOptions } from "./strategies/csa.js";
export { XNES, xnesDefaults, type XNESOptions } from "./strategies/xnes.js";
export { RMES, rmesDefaults, type RMESOptions } from "./strategies/rmes.js";
export { SimpleES, simpleDefaults, type SimpleESOptions } from "./strategies/simple.js";
export { OpenAIES, openaiDefaults, type OpenAIESOptions } from "./strategies/openai.js";
export { minimize, type MinimizeOptions, type MinimizeResult, type RestartOptions, type FitnessModule } from "./drivers/minimize.js";
export { strategies } from "./registry.js";
export { ready, BUILD_ID } from "./wasm.js";
