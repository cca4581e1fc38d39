// Type-level checks of the README examples (npm run typecheck): evolute is synchronous for a fitness
// returning numbers and a Promise for an async fitness or a module; x is typed without annotations.
import { XNES } from "../../src/neorl";
import { XNES as Core } from "../../src/index";
const sphere = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);
const bounds = { x1: ["float", -100, 100], x2: ["float", -100, 100], n: ["int", 0, 10] } as const;
const xnes = new XNES({
  mode: "min", bounds, fit: (x) => x[0] ** 2 + x[1] ** 2 + (x[2] - 3) ** 2,
  npop: 50, eta_mu: 0.9, eta_sigma: 0.25, adapt_sampling: true, seed: 1,
});
const [xBest, yBest, history] = xnes.evolute(100, [25, 25, 5]);
const n: number = yBest + xBest[0] + history.last_pop[0].var1;
async function g() {
  const x2 = new XNES({ mode: "min", bounds, ncores: 4, fit: { module: "file:///x.mjs", name: "sphere" } });
  const [, y2] = await x2.evolute(200);
  const x3 = new XNES({ mode: "max", bounds, fit: async (x) => x[0] });
  const r3 = await x3.evolute(2);
  return y2 + r3[1];
}
const es = new Core({ mean: new Array(50).fill(3), sigma: 1, seed: 1, target: 1e-8 });
const p = es.ask(); es.tell(new Float64Array(p.count).fill(sphere(p.row(0))));
console.log(n, g, es.best.f, es.etaSigma, es.B);
// the return type follows the fitness
const syncR: [number[], number, unknown] = new XNES({ mode: "min", bounds, fit: (x) => x[0] }).evolute(1);
const modR: Promise<unknown> = new XNES({ mode: "min", bounds, fit: { module: "file:///x.mjs" } }).evolute(1);
const asyncR: Promise<unknown> = new XNES({ mode: "min", bounds, fit: async (x) => x[0] }).evolute(1);
console.log(syncR, modR, asyncR);
