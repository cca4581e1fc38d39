// npm start: a real optimisation with the built package. Rosenbrock in 30 dimensions, progress every
// 500 generations, then the result.
import { minimize } from "../dist/index.mjs";

const d = 30;
const rosenbrock = (x) => {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
};
const method = "xnes";
const t0 = performance.now();
console.log(`evostrat demo: ${method.toUpperCase()} on Rosenbrock, d = ${d}, from x0 = 0, sigma0 = 0.5, seed 1`);
const r = minimize(rosenbrock, {
  method,
  mean: new Float64Array(d),
  sigma: 0.5,
  seed: 1,
  target: 1e-10,
  maxEvaluations: 2_000_000,
  onGeneration: (g) => {
    if (g.generation % 500 === 0) {
      console.log(`  gen ${String(g.generation).padStart(6)}  evals ${String(g.evaluations).padStart(8)}  best ${g.bestSoFar.toExponential(3)}  sigma ${g.sigma.toExponential(2)}  ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    }
  },
});
console.log(`done: f = ${r.f.toExponential(3)} after ${r.evaluations} evaluations, ${r.generations} generations, ${((performance.now() - t0) / 1000).toFixed(2)} s (stop: ${r.stopReason})`);
console.log(`x[0..5] = ${Array.from(r.x.slice(0, 5), (v) => v.toFixed(6)).join(", ")}`);
