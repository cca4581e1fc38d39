// npm run example:plots: runs CSA-ES, XNES and RMES on Rosenbrock in 10 dimensions and writes the
// pictures evostrat/plot draws from their histories: docs/plot-<method>.svg (pycma's four panels) and
// docs/convergence.svg (the three runs in one panel). The README shows them.
import { writeFileSync, mkdirSync } from "node:fs";
import { minimize } from "../dist/index.mjs";
import { plotRun, plotConvergence } from "../dist/plot.mjs";

const d = 10;
const rosenbrock = (x) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};
const out = new URL("../docs/", import.meta.url);
mkdirSync(out, { recursive: true });
const runs = {};
for (const [method, name] of [["csa", "CSA-ES"], ["xnes", "XNES"], ["rmes", "RMES"]]) {
  const r = minimize(rosenbrock, { method, mean: new Float64Array(d), sigma: 0.5, seed: 1, target: 1e-10, maxEvaluations: 60_000 });
  runs[name] = r;
  const file = new URL(`plot-${method}.svg`, out);
  writeFileSync(file, plotRun(r, { title: `${name} on Rosenbrock, d = ${d}, seed 1: f = ${r.f.toExponential(2)} after ${r.evaluations} evaluations (${r.stopReason})` }));
  console.log(`${name}: f = ${r.f.toExponential(3)}, ${r.evaluations} evaluations, ${r.stopReason} → docs/plot-${method}.svg`);
}
writeFileSync(new URL("convergence.svg", out), plotConvergence(runs, { title: `Rosenbrock, d = ${d}, seed 1: best f so far` }));
console.log("→ docs/convergence.svg");
