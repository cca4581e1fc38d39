// Scores a whole population of 784×10 softmax classifiers on the training set, split by rows over
// `threads` threads: this thread takes the first share, worker_threads the others, each with its own
// evostrat/kernels workspace (its own wasm instance) holding its rows. The population goes to the
// workers through one SharedArrayBuffer; each returns its per-candidate sums, which are added here.
import { Worker } from "node:worker_threads";
import { Kernels } from "../../dist/kernels.mjs";
import { FEATURES, CLASSES } from "./data.mjs";

export class Scorer {
  constructor(X, Y, popSize, threads = 1) {
    this.n = Y.length; this.popSize = popSize;
    const per = Math.ceil(this.n / threads / 4) * 4;
    const parts = [];
    for (let t = 0, r = 0; t < threads && r < this.n; t++, r += per) parts.push([r, Math.min(this.n, r + per)]);
    const [r0, r1] = parts[0];
    this.k = new Kernels(Kernels.softmaxCapacity(r1 - r0, FEATURES, CLASSES, popSize));
    this.data = this.k.softmaxData(X.subarray(r0 * FEATURES, r1 * FEATURES), Y.subarray(r0, r1), FEATURES, CLASSES);
    this.shared = new Float64Array(new SharedArrayBuffer(popSize * FEATURES * CLASSES * 8));
    this.workers = parts.slice(1).map(([a, b]) => {
      const w = new Worker(new URL("./scorer-worker.mjs", import.meta.url), {
        workerData: { X: X.slice(a * FEATURES, b * FEATURES), Y: Y.slice(a, b), popSize, shared: this.shared },
      });
      w.unref();
      return w;
    });
    this.logLik = new Float64Array(popSize);
    this.correct = new Float64Array(popSize);
  }

  /**
   * { logLik, correct } summed over all training rows, for the population (popSize × 7840);
   * logLik = Σ log(p_label + eps) (see Kernels.softmaxScore). `mirrored`: rows k and k + popSize/2
   * are mirror images about their mean (OpenAIES's antithetic pairs), scored from half the product.
   */
  async score(population, eps = 0, mirrored = false) {
    let pending = [];
    if (this.workers.length) {
      this.shared.set(population);
      pending = this.workers.map((w) => new Promise((res) => { w.once("message", res); w.postMessage({ eps, mirrored }); }));
    }
    const mine = this.k.softmaxScore(this.data, population, this.popSize, { eps, mirrored });
    this.logLik.set(mine.logLik);
    this.correct.set(mine.correct);
    for (const r of await Promise.all(pending)) {
      for (let i = 0; i < this.popSize; i++) { this.logLik[i] += r.logLik[i]; this.correct[i] += r.correct[i]; }
    }
    return { logLik: this.logLik, correct: this.correct };
  }

  async close() {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
