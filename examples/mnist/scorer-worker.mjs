// One row share of the training set (see scorer.mjs): scores the shared population on request.
import { parentPort, workerData } from "node:worker_threads";
import { Kernels } from "../../dist/kernels.mjs";
import { FEATURES, CLASSES } from "./data.mjs";

const { X, Y, popSize, shared } = workerData;
const k = new Kernels(Kernels.softmaxCapacity(Y.length, FEATURES, CLASSES, popSize));
const data = k.softmaxData(X, Y, FEATURES, CLASSES);
parentPort.on("message", ({ eps, mirrored }) => {
  const { logLik, correct } = k.softmaxScore(data, shared, popSize, { eps, mirrored });
  parentPort.postMessage({ logLik: logLik.slice(), correct: correct.slice() });
});
