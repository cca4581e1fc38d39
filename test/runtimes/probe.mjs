// The workload every runtime runs: a real small optimisation through minimize() and an ask/tell run
// through CSAES with save/load in the middle. It returns plain JSON whose floats are written as the hex
// of their bits, so a runtime that differs in any bit (RNG, maths, loader) fails the comparison with Node.
// Plain ES2022, no imports: Node, Deno, Bun, workerd and Chromium (page and worker) all load it as is.

const hex = (v) => {
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getBigUint64(0).toString(16).padStart(16, "0");
};
const hexAll = (xs) => Array.from(xs, hex).join("");

// FNV-1a over the hex digits of a series, so the whole history fits in one short string.
const digest = (xs) => {
  let h = 0x811c9dc5;
  for (const c of hexAll(xs)) h = Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
};

const sphere = (x) => {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
};

export const D = 10;
export const TARGET = 1e-8;

/**
 * @param api the module namespace of evostrat (root entry)
 * @param entries the namespaces of the other entries, { kernels, neorl, pypop7 } (those present)
 */
export function probe(api, entries = {}) {
  const t0 = Date.now();
  const mean = new Array(D).fill(3);

  // 1. minimize(): sphere d = 10 from 3·1, σ 0.1, seed 1, to 1e-8.
  const r = api.minimize(sphere, { method: "csa", mean, sigma: 0.1, seed: 1, target: TARGET, maxEvaluations: 20000 });

  // 2. ask/tell by hand, save after 15 generations, load, and continue both copies 15 more.
  const a = new api.CSAES({ mean, sigma: 0.1, seed: 7 });
  const step = (o) => {
    const pop = o.ask();
    const fit = new Float64Array(pop.count);
    for (let i = 0; i < pop.count; i++) fit[i] = sphere(pop.row(i));
    o.tell(fit);
  };
  for (let g = 0; g < 15; g++) step(a);
  const bytes = a.save();
  const b = api.CSAES.load(bytes);
  for (let g = 0; g < 15; g++) {
    step(a);
    step(b);
  }
  const resumed = hexAll(a.mean) === hexAll(b.mean) && hex(a.sigma) === hex(b.sigma) && a.evaluations === b.evaluations;
  const askTell = {
    generation: a.generation,
    evaluations: a.evaluations,
    sigma: hex(a.sigma),
    mean: digest(a.mean),
    bestF: hex(a.best.f),
    savedBytes: bytes.length,
    resumed,
  };
  a.dispose();
  b.dispose();

  // 3. Every registered strategy, a short run on the same sphere (target 1e-4, at most 20,000
  //    evaluations): the evaluation count and stop reason must match Node's.
  const strategies = {};
  for (const method of Object.keys(api.strategies).sort()) {
    const s = api.minimize(sphere, { method, mean, sigma: 0.1, seed: 1, target: 1e-4, maxEvaluations: 20000 });
    strategies[method] = { evaluations: s.evaluations, stopReason: s.stopReason, fBits: hex(s.f) };
  }

  // 4. evostrat/kernels: seeded normals and a gemm, all inside wasm, so bit-identical everywhere.
  let kernels = null;
  if (entries.kernels) {
    const k = new entries.kernels.Kernels(4096);
    const A = k.f64(24 * 16), B = k.f64(16 * 8), C = k.f64(24 * 8), y = k.f64(24);
    k.normal(A, 42);
    k.normal(B, 43);
    k.gemm(A, B, C, 24, 8, 16);
    k.gemv(A, B.subarray(0, 16), y, 24, 16);
    kernels = { A: digest(A), C: digest(C), y: digest(y) };
  }

  const exportsOf = Object.fromEntries(Object.entries({ index: api, ...entries }).map(([n, ns]) => [n, Object.keys(ns).filter((k) => k !== "default").sort().join(",")]));

  return {
    exports: exportsOf,
    strategies,
    kernels,
    minimize: {
      f: r.f,
      fBits: hex(r.f),
      x: digest(r.x),
      evaluations: r.evaluations,
      generations: r.generations,
      stopReason: r.stopReason,
      history: [r.history.bestF.length, digest(r.history.bestF), digest(r.history.meanF), digest(r.history.sigma)].join(":"),
    },
    askTell,
    ms: Date.now() - t0,
  };
}
