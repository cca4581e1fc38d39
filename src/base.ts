/** The strategy contract lives in src/contract/; this module keeps the old import path. */
export { Strategy, baseSpec, ConfigWriter, type BaseOptions, type BaseParams, type Population, type GenerationInfo, type StopReason } from "./contract/strategy.js";
