// npm run example:plots: runs CSA-ES, XNES and RMES on Rosenbrock in 10 dimensions and writes the
// pictures evostrat/plot draws from their histories: docs/plot-<method>.svg (pycma's four panels) and
// docs/convergence.svg (the three runs in one panel). The README shows them.
// `pictures()` takes the library's functions, so test/drivers/plot.test.ts draws the same pictures
// from src/ and checks them, and checks that the committed files are still what the code draws.
import { writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const d = 10;
export const methods = [["csa", "CSA-ES"], ["xnes", "XNES"], ["rmes", "RMES"]];
const rosenbrock = (x) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};

/** The runs and the SVG files (name → text), from the given minimize, plotRun and plotConvergence. */
export function pictures({ minimize, plotRun, plotConvergence }) {
  const runs = {};
  const files = {};
  for (const [method, name] of methods) {
    const r = minimize(rosenbrock, { method, mean: new Float64Array(d), sigma: 0.5, seed: 1, target: 1e-10, maxEvaluations: 60_000 });
    runs[name] = r;
    files[`plot-${method}.svg`] = plotRun(r, { title: `${name} on Rosenbrock, d = ${d}, seed 1: f = ${r.f.toExponential(2)} after ${r.evaluations} evaluations (${r.stopReason})` });
  }
  files["convergence.svg"] = plotConvergence(runs, { title: `Rosenbrock, d = ${d}, seed 1: best f so far` });
  return { runs, files };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { minimize } = await import("../dist/index.mjs");
  const { plotRun, plotConvergence } = await import("../dist/plot.mjs");
  const out = new URL("../docs/", import.meta.url);
  mkdirSync(out, { recursive: true });
  const { runs, files } = pictures({ minimize, plotRun, plotConvergence });
  for (const [name, r] of Object.entries(runs)) console.log(`${name}: f = ${r.f.toExponential(3)}, ${r.evaluations} evaluations, ${r.stopReason}`);
  for (const [file, svg] of Object.entries(files)) {
    writeFileSync(new URL(file, out), svg);
    console.log(`→ docs/${file}`);
  }
}
