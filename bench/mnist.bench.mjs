// MNIST without backpropagation (issue 5): the time to score one generation of the 784×10 softmax
// with the full batch, 8,000 images × 100 candidates (12.5 GFLOP: 8000·784·1000·2), beside the
// numpy/OpenBLAS reference of reference.json ("mnist_tutorial"), on one thread and on two
// (examples/mnist/scorer.mjs: row shares over worker_threads, each with its own wasm instance).
import { readFileSync, existsSync } from "node:fs";
import { loadSplit } from "../examples/mnist/data.mjs";
import { Scorer } from "../examples/mnist/scorer.mjs";
import { makeOptimizer, EPS } from "../examples/mnist/train.mjs";

export const title = "MNIST: scoring a generation (784×10 softmax, 8,000 images × 100 candidates)";

const anchorsPath = new URL("./reference.json", import.meta.url); // reference figures with their provenance
const anchors = JSON.parse(readFileSync(anchorsPath, "utf8")).mnist_tutorial;

export async function run() {
  const { trainX, trainY } = loadSplit();
  const flop = 2 * trainY.length * 784 * 1000;
  // numpy/OpenBLAS, full batch: tutorial ES 148 ms, OpenAI-ES 144 ms (reference.json "mnist_tutorial")
  const numpy = {
    SimpleES: anchors?.rows?.find((r) => r.variant.startsWith("tutorial ES ("))?.ms_per_generation ?? 148,
    OpenAIES: anchors?.rows?.find((r) => r.variant.startsWith("OpenAI-ES (") && r.variant.endsWith("full batch"))?.ms_per_generation ?? 144,
  };
  const out = [`## ${title}`, "",
    `One generation = ask() + scoring the population (f32x4 SIMD, cache-blocked, fused log-softmax; \`evostrat/kernels\` softmaxScore) + tell(); ${(flop / 1e9).toFixed(1)} GFLOP. Median of 15 generations after 3 warm-up ones. "OpenAIES (mirrored scoring)" scores OpenAI-ES's antithetic pairs from x·θ ± x·δ_k (51 weight matrices instead of 100; GFLOP/s there is the direct product's count over the time, an effective rate). Timings on these shared 2-core VMs vary by about ±2× between runs.`, "",
    "| threads | strategy | ms per generation | GFLOP/s | numpy/OpenBLAS (reference.json) | ratio |", "|---|---|---|---|---|---|"];
  for (const threads of [1, 2]) {
    const scorer = new Scorer(trainX, trainY, 100, threads);
    // "OpenAIES (mirrored scoring)": its antithetic pairs scored from 51 weight matrices instead of
    // 100 (softmaxScore mirrored: true, x·θ ± x·δ_k), as examples/mnist/train.mjs does
    for (const [label, algorithm, mirrored] of [["SimpleES", "SimpleES", false], ["OpenAIES", "OpenAIES", false], ["OpenAIES (mirrored scoring)", "OpenAIES", true]]) {
      const opt = makeOptimizer(algorithm, 0);
      const f = new Float64Array(100), times = [];
      for (let g = 0; g < 18; g++) {
        const t = performance.now();
        const { logLik } = await scorer.score(opt.ask().data, EPS, mirrored);
        for (let i = 0; i < 100; i++) f[i] = logLik[i] / scorer.n;
        opt.tell(f);
        if (g >= 3) times.push(performance.now() - t);
      }
      opt.dispose();
      times.sort((a, b) => a - b);
      const ms = times[times.length >> 1];
      // GFLOP/s of the direct product's 12.5 GFLOP (the mirrored one does 51/100 of it): the effective rate
      out.push(`| ${threads} | ${label} | ${ms.toFixed(0)} | ${(flop / ms / 1e6).toFixed(1)} | ${numpy[algorithm]} ms | ${(ms / numpy[algorithm]).toFixed(2)}× |`);
    }
    await scorer.close();
  }
  // Accuracy: the committed full run of `npm run example:mnist` (examples/mnist/results/results.json),
  // not re-run here (6 runs of 200 generations); its ms per generation were taken on a busier machine.
  const resultsPath = new URL("../examples/mnist/results/results.json", import.meta.url);
  if (existsSync(resultsPath)) {
    const { runs } = JSON.parse(readFileSync(resultsPath, "utf8"));
    out.push("", "### Test accuracy after 20,000 evaluations (examples/mnist/results/results.json)", "",
      "| algorithm | seed | evaluations | test accuracy | ms per generation (that run, 2 threads) |", "|---|---|---|---|---|");
    for (const r of runs) out.push(`| ${r.algorithm} | ${r.seed} | ${r.evaluations} | ${(100 * r.testAccuracy).toFixed(2)}% | ${r.msPerGeneration.toFixed(0)} |`);
    out.push("", "numpy reference on the same split rule (reference.json): tutorial ES 85.3 ± 0.3% (3 seeds), OpenAI-ES 89.5%.");
  }
  return out.join("\n") + "\n";
}
