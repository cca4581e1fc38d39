// npm run example:mnist — trains the tutorial's 784×10 softmax on MNIST without backpropagation,
// with SimpleES (the tutorial's ES) and OpenAIES, 200 generations of 100 (20,000 evaluations) per
// run, and writes out/results.json and out/accuracy.svg.
//
// Options: --generations 200 --seeds 0,1,2 --algorithms SimpleES,OpenAIES --threads 2 --train 8000
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { loadSplit } from "./data.mjs";
import { Scorer } from "./scorer.mjs";
import { Tester, train } from "./train.mjs";
import { accuracySvg } from "./plot.mjs";

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const generations = Number(arg("generations", 200));
const seeds = arg("seeds", "0,1,2").split(",").map(Number);
const algorithms = arg("algorithms", "SimpleES,OpenAIES").split(",");
const threads = Number(arg("threads", Math.min(2, availableParallelism())));
const nTrain = Number(arg("train", 8000));
const popSize = 100;

const { trainX, trainY, testX, testY } = loadSplit({ nTrain });
console.log(`MNIST (mnist npm 1.1.0): ${trainY.length} training / ${testY.length} test images, split seed 0; ${popSize} candidates per generation, ${threads} thread(s)`);
const scorer = new Scorer(trainX, trainY, popSize, threads);
const tester = new Tester(testX, testY);
const runs = [];
for (const algorithm of algorithms) {
  for (const seed of seeds) {
    console.log(`\n${algorithm}, seed ${seed}`);
    console.log("generation  evaluations  train objective  test accuracy  elapsed");
    const r = await train({
      algorithm, seed, scorer, tester, generations, popSize,
      onProgress: (p) => console.log(`${String(p.generation).padStart(10)}  ${String(p.evaluations).padStart(11)}  ${p.train.toFixed(4).padStart(15)}  ${(100 * p.accuracy).toFixed(2).padStart(12)}%  ${p.elapsed.toFixed(1).padStart(6)} s`),
    });
    console.log(`${algorithm} seed ${seed}: test accuracy ${(100 * r.testAccuracy).toFixed(2)}% after ${r.evaluations} evaluations, ${r.msPerGeneration.toFixed(1)} ms per generation`);
    runs.push(r);
  }
}
await scorer.close();

const summary = {};
for (const a of algorithms) {
  const acc = runs.filter((r) => r.algorithm === a).map((r) => r.testAccuracy);
  const mean = acc.reduce((s, v) => s + v, 0) / acc.length;
  const sd = Math.sqrt(acc.reduce((s, v) => s + (v - mean) ** 2, 0) / Math.max(1, acc.length - 1));
  summary[a] = { seeds: acc.length, meanTestAccuracy: mean, sdTestAccuracy: sd, meanMsPerGeneration: runs.filter((r) => r.algorithm === a).reduce((s, r) => s + r.msPerGeneration, 0) / acc.length };
  console.log(`${a}: ${(100 * mean).toFixed(2)} ± ${(100 * sd).toFixed(2)}% over ${acc.length} seed(s)`);
}
const out = new URL("./out/", import.meta.url);
mkdirSync(out, { recursive: true });
const meta = { node: process.version, threads, trainImages: trainY.length, testImages: testY.length, popSize, generations, splitSeed: 0, date: new Date().toISOString() };
writeFileSync(new URL("results.json", out), JSON.stringify({ meta, summary, runs }, null, 1) + "\n");
// the numpy reference (issue 5), on a different permutation of the same split rule
const reference = [
  { label: "numpy tutorial ES", color: "#1f77b4", points: [[1000, 0.479], [2000, 0.628], [5000, 0.759], [10000, 0.82], [20000, 0.853]].map(([evaluations, accuracy]) => ({ evaluations, accuracy })) },
  { label: "numpy OpenAI-ES", color: "#d62728", points: [[1000, 0.55], [2000, 0.677], [5000, 0.802], [10000, 0.865], [20000, 0.895]].map(([evaluations, accuracy]) => ({ evaluations, accuracy })) },
];
writeFileSync(new URL("accuracy.svg", out), accuracySvg(runs, { reference, title: `MNIST 784×10 softmax without backpropagation: test accuracy (${testY.length} images)` }));
console.log(`\nwrote ${new URL("results.json", out).pathname} and accuracy.svg`);
