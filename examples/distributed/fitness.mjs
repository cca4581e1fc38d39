// The fitness every worker imports itself (no code crosses the wire): the mean log-likelihood of the
// 8,000 training images under one 784×10 softmax (a row of the population), log(p + eps) as in
// examples/mnist, one candidate at a time, all training rows in this thread (synchronous: one wasm
// workspace). The per-candidate sums do not depend on how many candidates are scored together, so the
// values equal examples/mnist's batched ones bit for bit.
import { loadSplit } from "../mnist/data.mjs";
import { Kernels } from "../../dist/kernels.mjs";
import { EPS } from "../mnist/train.mjs";
import { FEATURES, CLASSES } from "../mnist/data.mjs";

const { trainX, trainY } = loadSplit();
const k = new Kernels(Kernels.softmaxCapacity(trainY.length, FEATURES, CLASSES, 1));
const data = k.softmaxData(trainX, trainY, FEATURES, CLASSES);

export function meanLogLik(w) {
  return k.softmaxScore(data, w, 1, { eps: EPS }).logLik[0] / trainY.length;
}
