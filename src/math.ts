/**
 * ln and exp computed in the wasm core, for constants computed on the JS side (weights, learning
 * rates). Hosts' Math.log differ in the last bit (Node 20's V8 gives Math.log(3) one ULP below Deno,
 * Bun and Chromium), and such a bit changes whole runs; the core's Math is the same everywhere.
 * One stateless instance is shared by all callers.
 */
import { Core } from "./wasm.js";

let shared: Core | undefined;
const core = (): Core => (shared ??= new Core());

/** Natural logarithm, identical in every runtime. */
export const ln = (x: number): number => core().x.math_log(x);

/** e^x, identical in every runtime. */
export const exp = (x: number): number => core().x.math_exp(x);
