// The fast MNIST check (issue 5): the 784×10 softmax (no bias) trained without backpropagation on
// 1,000 training images for 30 generations of 100 climbs well above chance (10%) on the 2,000 test
// images; and the batched f32 scoring kernel (evostrat/kernels softmaxScore) agrees with a plain f64
// JS computation of the summed log-likelihood and the correct counts.
import { describe, expect, it } from "vitest";
import { Kernels } from "../../src/kernels";
import { OpenAIES } from "../../src/strategies/openai";
import { SimpleES } from "../../src/strategies/simple";
// @ts-expect-error: plain JS module of the example
import { loadSplit, FEATURES, CLASSES, permutation } from "../../examples/mnist/data.mjs";

const split = loadSplit({ nTrain: 1000 }) as { trainX: Float32Array; trainY: Int32Array; testX: Float32Array; testY: Int32Array; total: number };

function trainAndTest(opt: SimpleES | OpenAIES, generations: number): number {
  const { trainX, trainY, testX, testY } = split;
  const k = new Kernels(Kernels.softmaxCapacity(trainY.length, FEATURES, CLASSES, opt.popSize) + Kernels.softmaxCapacity(testY.length, FEATURES, CLASSES, 1));
  const train = k.softmaxData(trainX, trainY, FEATURES, CLASSES), test = k.softmaxData(testX, testY, FEATURES, CLASSES);
  const f = new Float64Array(opt.popSize);
  for (let g = 0; g < generations; g++) {
    const p = opt.ask();
    const { logLik } = k.softmaxScore(train, p.data, opt.popSize, { eps: 2.220446049250313e-16 });
    for (let i = 0; i < f.length; i++) f[i] = logLik[i] / trainY.length;
    opt.tell(f);
  }
  return k.softmaxScore(test, opt.mean, 1).correct[0] / testY.length;
}

describe("MNIST without backpropagation (1,000 training images, 30 generations of 100)", () => {
  it("splits the package's 10,000 digits 8,000/2,000 by a seeded permutation", () => {
    expect(split.total).toBe(10_000);
    expect(split.testY.length).toBe(2000);
    const p = permutation(10, 0);
    expect([...p].sort((a: number, b: number) => a - b)).toEqual([...Array(10).keys()]);
    expect(permutation(10_000, 0)).toEqual(permutation(10_000, 0));
    expect(permutation(10_000, 0)).not.toEqual(permutation(10_000, 1));
    // every class is in the test set, in roughly its share
    const counts = new Array(10).fill(0);
    for (const y of split.testY) counts[y]++;
    for (const c of counts) expect(c).toBeGreaterThan(120);
  });

  it("scores a population like a plain f64 computation", () => {
    const rows = 37, K = FEATURES, C = CLASSES, lambda = 7;
    const X = split.trainX.subarray(0, rows * K), Y = split.trainY.subarray(0, rows);
    const k = new Kernels(Kernels.softmaxCapacity(rows, K, C, lambda) + 8 * lambda * K * C);
    const pop = k.f64(lambda * K * C);
    k.normal(pop, 5);
    for (let i = 0; i < pop.length; i++) pop[i] *= 0.1;
    const data = k.softmaxData(X, Y, K, C);
    const { logLik, correct } = k.softmaxScore(data, pop, lambda);
    for (let i = 0; i < lambda; i++) {
      let ll = 0, ok = 0;
      for (let r = 0; r < rows; r++) {
        const z = new Array(C).fill(0);
        for (let kk = 0; kk < K; kk++) for (let c = 0; c < C; c++) z[c] += X[r * K + kk] * pop[i * K * C + kk * C + c];
        const m = Math.max(...z), lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
        ll += z[Y[r]] - lse;
        if (z.indexOf(m) === Y[r]) ok++; // first index of the largest logit, as numpy's argmax
      }
      expect(Math.abs(logLik[i] - ll)).toBeLessThan(1e-4 * rows); // float32 products and exp
      expect(correct[i]).toBe(ok);
    }
    // with the tutorial's guard log(p + eps), on weights large enough for p to underflow e^-40
    for (let i = 0; i < pop.length; i++) pop[i] *= 40;
    const plain = k.softmaxScore(data, pop, lambda).logLik.slice();
    for (const eps of [1e-3, 2.220446049250313e-16]) {
      const r = k.softmaxScore(data, pop, lambda, { eps });
      expect(r.logLik[0] - plain[0]).toBeGreaterThan(eps > 1e-6 ? 50 : 5); // the guard mattered here
      for (let i = 0; i < lambda; i++) {
        let ll = 0;
        for (let row = 0; row < rows; row++) {
          const z = new Array(C).fill(0);
          for (let kk = 0; kk < K; kk++) for (let c = 0; c < C; c++) z[c] += X[row * K + kk] * pop[i * K * C + kk * C + c];
          const m = Math.max(...z), se = z.reduce((s, v) => s + Math.exp(v - m), 0);
          ll += Math.log(Math.exp(z[Y[row]] - m) / se + eps);
        }
        expect(Math.abs(r.logLik[i] - ll)).toBeLessThan(2e-3 * rows); // float32 logits of size ~100
      }
    }
    expect(() => k.softmaxScore(data, pop, lambda, { eps: -1 })).toThrow(/eps/);
    // all-equal logits (W = 0): only class 0 counts as predicted
    const zero = k.softmaxScore(data, new Float64Array(K * C), 1);
    expect(zero.correct[0]).toBe(Array.from(Y).filter((y) => y === 0).length);
    expect(zero.logLik[0]).toBeCloseTo(-rows * Math.log(C), 3);
    expect(() => k.softmaxScore(data, pop.subarray(1), lambda)).toThrow(RangeError);
    expect(() => new Kernels(100).softmaxScore(data, pop, lambda)).toThrow(TypeError);
    expect(() => k.softmaxData(X.subarray(0, 3 * K), [1, 2, 11], K, C)).toThrow(RangeError);
    k.reset();
    expect(() => k.softmaxScore(data, pop, lambda)).toThrow(/reset/);
  });

  // measured (this build, seeds 0, 1, 2): OpenAIES 74.7, 73.6, 74.9%, SimpleES 62.5, 63.9, 61.5% test
  // accuracy after these 30 generations on 1,000 training images; chance is 10%. The issue asks
  // for at least 60% (SimpleES, at its default decay, gets a lower bar of 50%).
  it("OpenAIES (W0 = 0, σ 0.05, Adam lr 0.01) reaches at least 60% test accuracy", () => {
    const acc = trainAndTest(new OpenAIES({ mean: new Float64Array(FEATURES * CLASSES), sigma: 0.05, learningRate: 0.01, popSize: 100, mode: "max", seed: 0 }), 30);
    expect(acc).toBeGreaterThanOrEqual(0.6);
  });

  it("SimpleES (W0 ~ N(0, 1), σ 1, top 10 of 100) climbs well above chance", () => {
    const k = new Kernels(FEATURES * CLASSES + 8), w0 = k.f64(FEATURES * CLASSES);
    k.normal(w0, 1000);
    const acc = trainAndTest(new SimpleES({ mean: w0, sigma: 1, popSize: 100, topN: 10, mode: "max", seed: 0 }), 30);
    expect(acc).toBeGreaterThanOrEqual(0.5);
  });
});
