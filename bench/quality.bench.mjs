// Quality: evaluations to reach a target (medians over 11 seeds) and the final values of the
// fixed-σ strategies (medians over 5 seeds), through minimize()/ask-tell of the built package. The
// same script runs against any build (`node bench/quality.bench.mjs [path/to/dist/index.mjs]`), so
// figures before and after a change are taken by the same code. Counts, not times: deterministic.
import { pathToFileURL } from "node:url";

const sphere = (x) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };
const ellipsoid = (x) => { const d = x.length; let s = 0; for (let i = 0; i < d; i++) s += 10 ** ((6 * i) / (d - 1)) * x[i] * x[i]; return s; };
const rosenbrock = (x) => { let s = 0; for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2; return s; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };

export const title = "Quality";

export async function figures(lib) {
  const { minimize, SimpleES, OpenAIES } = lib;
  const evals = (method, f, sigma, extra = {}) => median(Array.from({ length: 11 }, (_, s) => {
    const r = minimize(f, { method, mean: new Array(10).fill(3), sigma, seed: s + 1, target: 1e-8, maxEvaluations: 200_000, ...extra });
    return r.f <= 1e-8 ? r.evaluations : Infinity;
  }));
  const finals = (Cls, opts, gens) => median(Array.from({ length: 5 }, (_, seed) => {
    const o = new Cls({ mean: new Float64Array(10).fill(1), seed, ...opts });
    for (let g = 0; g < gens; g++) { const p = o.ask(); o.tell(Array.from({ length: p.count }, (_, i) => sphere(p.row(i)))); }
    const v = sphere(o.mean); o.dispose(); return v;
  }));
  return [
    ["CSA-ES sphere, σ0 0.1: median evaluations to 1e-8", evals("csa", sphere, 0.1)],
    ["XNES sphere, σ0 1", evals("xnes", sphere, 1)],
    ["XNES ellipsoid 1e6, σ0 1", evals("xnes", ellipsoid, 1)],
    ["XNES rosenbrock, σ0 1", evals("xnes", rosenbrock, 1)],
    ["RMES sphere, σ0 0.1", evals("rmes", sphere, 0.1)],
    ["SimpleES sphere: median f(mean) after 150 generations (σ 0.5)", finals(SimpleES, { sigma: 0.5 }, 150)],
    ["OpenAI-ES sphere: median f(θ) after 300 generations of 20 (σ 0.1, lr 0.05)", finals(OpenAIES, { sigma: 0.1, learningRate: 0.05, popSize: 20 }, 300)],
  ];
}

export async function run() {
  const lib = await import(new URL("../dist/index.mjs", import.meta.url).href);
  const rows = await figures(lib);
  return ["## Quality (d = 10, mean 3·1 or 1·1; 11 seeds for evaluations, 5 for final values)", "", "| run | figure |", "|---|---:|",
    ...rows.map(([k, v]) => `| ${k} | ${Number.isInteger(v) ? v : v.toExponential(2)} |`)].join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const lib = await import(pathToFileURL(process.argv[2] ?? new URL("../dist/index.mjs", import.meta.url).pathname).href);
  for (const [k, v] of await figures(lib)) console.log(`${k}: ${v}`);
}
