// softmaxScore(…, { mirrored: true }): OpenAIES's antithetic rows (k and k + popSize/2 mirror
// images about θ) scored from popSize/2 + 1 products (x·θ ± x·δ_k) agree with the direct scoring up
// to float32 rounding: log-likelihood sums to a relative 1e-4 (measured ~4e-8), correct counts exactly
// (no near-ties in these seeded cases; on the full 8,000 images a count can move by one on a row whose
// top two logits are ~1e-7 apart relative, below float32 resolution, in either path).
import { describe, expect, it } from "vitest";
import { Kernels } from "../src/kernels";
import { OpenAIES } from "../src/strategies/openai";
// @ts-expect-error: plain JS module of the example
import { loadSplit, FEATURES, CLASSES } from "../examples/mnist/data.mjs";

const split = loadSplit({ nTrain: 1000 }) as { trainX: Float32Array; trainY: Int32Array };
const EPS = 2.220446049250313e-16;

function expectClose(direct: { logLik: Float64Array; correct: Float64Array }, mirrored: { logLik: Float64Array; correct: Float64Array }, popSize: number) {
  for (let i = 0; i < popSize; i++) {
    expect(Math.abs(mirrored.logLik[i] - direct.logLik[i])).toBeLessThanOrEqual(1e-4 * Math.abs(direct.logLik[i]));
    expect(mirrored.correct[i]).toBe(direct.correct[i]);
  }
}

describe("Kernels.softmaxScore with mirrored: true", () => {
  it("matches the direct scoring along an OpenAIES run (MNIST, 1,000 images, popSize 100)", () => {
    const { trainX, trainY } = split, popSize = 100;
    // exactly the documented capacity: the mirrored path takes its scratch from the same reservation
    const k = new Kernels(Kernels.softmaxCapacity(trainY.length, FEATURES, CLASSES, popSize));
    const data = k.softmaxData(trainX, trainY, FEATURES, CLASSES);
    const opt = new OpenAIES({ mean: new Float64Array(FEATURES * CLASSES), sigma: 0.05, learningRate: 0.01, popSize, mode: "max", seed: 3 });
    const f = new Float64Array(popSize);
    for (let g = 0; g < 12; g++) {
      const pop = opt.ask().data;
      for (const eps of [0, EPS]) {
        const direct = k.softmaxScore(data, pop, popSize, { eps });
        const d = { logLik: direct.logLik.slice(), correct: direct.correct.slice() };
        const m = k.softmaxScore(data, pop, popSize, { eps, mirrored: true });
        expectClose(d, m, popSize);
      }
      const { logLik } = k.softmaxScore(data, pop, popSize, { eps: EPS, mirrored: true });
      for (let i = 0; i < popSize; i++) f[i] = logLik[i] / trainY.length;
      opt.tell(f);
    }
    opt.dispose();
  });

  it("handles small and odd half sizes, large weights with the eps guard, and row shares", () => {
    const rows = 37, K = FEATURES, C = CLASSES;
    const X = split.trainX.subarray(0, rows * K), Y = split.trainY.subarray(0, rows);
    for (const popSize of [2, 6, 10, 14]) {
      const h = popSize / 2;
      const k = new Kernels(Kernels.softmaxCapacity(rows, K, C, popSize) + 8 * (popSize + 1) * K * C);
      const data = k.softmaxData(X, Y, K, C);
      const theta = k.f64(K * C), delta = k.f64(h * K * C), pop = k.f64(popSize * K * C);
      k.normal(theta, popSize);
      k.normal(delta, 100 + popSize);
      for (const scale of [0.1, 4]) {
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < K * C; j++) {
            const t = 0.1 * theta[j], d = scale * delta[i * K * C + j];
            pop[i * K * C + j] = t + d;
            pop[(i + h) * K * C + j] = t - d;
          }
        }
        for (const eps of [0, 1e-3, EPS]) {
          const direct = k.softmaxScore(data, pop, popSize, { eps });
          const d = { logLik: direct.logLik.slice(), correct: direct.correct.slice() };
          expectClose(d, k.softmaxScore(data, pop, popSize, { eps, mirrored: true }), popSize);
        }
      }
    }
  });

  it("refuses odd popSize and populations that are not mirror pairs", () => {
    const rows = 8, K = FEATURES, C = CLASSES, popSize = 4;
    const k = new Kernels(Kernels.softmaxCapacity(rows, K, C, 5) + Kernels.softmaxCapacity(rows, K, C, popSize));
    const data = k.softmaxData(split.trainX.subarray(0, rows * K), split.trainY.subarray(0, rows), K, C);
    const pop = new Float64Array(popSize * K * C).map((_, i) => Math.sin(i));
    expect(() => k.softmaxScore(data, pop, popSize, { mirrored: true })).toThrow(/mirror/);
    expect(() => k.softmaxScore(data, new Float64Array(5 * K * C), 5, { mirrored: true })).toThrow(/even/);
    expect(() => k.softmaxScore(data, pop, popSize, { mirrored: 1 as unknown as boolean })).toThrow(TypeError);
    // pairs about different centres are refused too
    for (let j = 0; j < K * C; j++) { pop[2 * K * C + j] = -pop[j]; pop[3 * K * C + j] = 1 - pop[K * C + j]; }
    expect(() => k.softmaxScore(data, pop, popSize, { mirrored: true })).toThrow(RangeError);
    for (let j = 0; j < K * C; j++) pop[3 * K * C + j] = -pop[K * C + j];
    expect(() => k.softmaxScore(data, pop, popSize, { mirrored: true })).not.toThrow();
  });
});
