// Refusals of oversized inputs (issue 9): the time and the resident-memory growth from the call to its
// RangeError, for the examples of the issue, through the built package. Each is the worst of 5 tries.
import { CSAES, XNES } from "../dist/index.mjs";
import { RMES as PyRMES } from "../dist/pypop7.mjs";
import { Kernels } from "../dist/kernels.mjs";

export const title = "Refusals";

const cases = [
  ["CSAES, a mean of length 2^31 (a proxy array)", () => new CSAES({ mean: new Proxy([], { get: (t, k) => (k === "length" ? 2 ** 31 : t[k]) }) })],
  ["CSAES, d = 1e6 with popSize 300 (two λ×d buffers: 4.8 GB)", () => new CSAES({ mean: new Float64Array(1e6), popSize: 300 })],
  ["XNES, d = 30,000 (B alone is 7.2 GB)", () => new XNES({ mean: new Float64Array(30_000) })],
  ["PyPop7 RMES, ndim_problem = 2^31", () => new PyRMES({ fitness_function: () => 0, ndim_problem: 2 ** 31, lower_boundary: -5, upper_boundary: 5 }, { sigma: 1 })],
  ["PyPop7 RMES, ndim_problem = 1e8", () => new PyRMES({ fitness_function: () => 0, ndim_problem: 1e8, lower_boundary: -5, upper_boundary: 5 }, { sigma: 1 })],
  ["Kernels(2^29 − 1)", () => new Kernels(2 ** 29 - 1)],
];

export async function run() {
  const rows = [];
  for (const [name, f] of cases) {
    let ms = 0, mb = 0, err = "";
    for (let k = 0; k < 5; k++) {
      globalThis.gc?.();
      const rss0 = process.memoryUsage().rss, t0 = performance.now();
      try { f(); err = "no error"; } catch (e) { err = e.constructor.name; }
      ms = Math.max(ms, performance.now() - t0);
      mb = Math.max(mb, (process.memoryUsage().rss - rss0) / 2 ** 20);
    }
    rows.push(`| ${name} | ${err} | ${ms.toFixed(2)} ms | ${mb.toFixed(1)} MB |`);
  }
  return ["## Refusals of oversized inputs (worst of 5; the issue asks < 50 ms and < 50 MB)", "", "| input | error | time | RSS growth |", "|---|---|---:|---:|", ...rows].join("\n");
}
