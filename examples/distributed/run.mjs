// OpenAI-ES on MNIST (examples/mnist's set-up) with its evaluations spread over worker processes
// through NATS JetStream, then the same seed in one process (examples/mnist's train(), one thread):
// the two end in the same state, bit for bit.
//   node examples/distributed/run.mjs [--servers nats://127.0.0.1:4222] [--workers 4] [--generations 20] [--seed 0] [--run name] [--items 10]
// --workers 0 --run name: start no workers here (they were started by hand: worker.mjs <url> <name>).
// Without --servers it starts a nats-server on 127.0.0.1 itself (scripts/nats-server.mjs: the one on
// PATH, or Debian's package fetched into node_modules/.cache) and stops it at the end.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { distribute } from "../../dist/distributed.mjs";
import { loadSplit } from "../mnist/data.mjs";
import { Scorer } from "../mnist/scorer.mjs";
import { Tester, makeOptimizer, train } from "../mnist/train.mjs";

const { values: a } = parseArgs({ options: { servers: { type: "string" }, workers: { type: "string", default: "4" }, generations: { type: "string", default: "20" }, seed: { type: "string", default: "0" }, run: { type: "string" }, items: { type: "string", default: "10" } } });
const W = Number(a.workers), G = Number(a.generations), seed = Number(a.seed), POP = 100;
const { trainX, trainY, testX, testY } = loadSplit();
const tester = new Tester(testX, testY);

let nats, servers = a.servers;
if (!servers) {
  const { startNats } = await import("../../scripts/nats-server.mjs");
  nats = await startNats();
  servers = nats.url;
}
const runId = a.run ?? `mnist${Date.now()}`;
// the workers connect, wait for the run, load the checkpoint and join
const procs = Array.from({ length: W }, () => spawn(process.execPath, [fileURLToPath(new URL("./worker.mjs", import.meta.url)), servers, runId], { stdio: ["ignore", "inherit", "inherit"] }));

try {
  // distributed: this process only coordinates (workers: 0)
  const s = makeOptimizer("OpenAIES", seed, POP);
  const t0 = performance.now();
  // the fitness is synchronous and blocks its worker's event loop (no heartbeats) for a whole item:
  // small items and a long ackWait keep a slow item from being handed to another worker as lost
  const r = await distribute(s, { servers, runId, workers: 0, items: Number(a.items), ackWait: 120_000, maxGenerations: G, generationTimeout: 600_000,
    onGeneration: (i) => { if (i.generation % 10 === 0) console.log(`gen ${i.generation}: best train objective ${i.bestF.toFixed(4)}`); } });
  const tDist = performance.now() - t0;
  const accDist = tester.accuracy(r.strategy.mean);

  // one process: examples/mnist's train() on one thread, its batched scoring without the mirrored
  // shortcut (which equals the direct scores only up to float32 rounding)
  const scorer = new Scorer(trainX, trainY, POP, 1);
  const t1 = performance.now();
  let end;
  const one = await train({ algorithm: "OpenAIES", seed, scorer, tester, generations: G, popSize: POP, every: G, mirrored: false, onDone: (o) => { end = { hash: o.stateHash(), mean: o.mean }; } });
  const tOne = performance.now() - t1;
  const accOne = one.testAccuracy;
  const same = r.strategy.stateHash() === end.hash && r.strategy.mean.every((v, i) => Object.is(v, end.mean[i]));
  console.log(`distributed over ${W} worker processes: ${G} generations in ${(tDist / 1000).toFixed(1)} s, test accuracy ${(100 * accDist).toFixed(2)}%`);
  console.log(`one process (batched direct scoring, one thread): ${(tOne / 1000).toFixed(1)} s, test accuracy ${(100 * accOne).toFixed(2)}%`);
  console.log(`bit-identical: ${same}`);
  await scorer.close();
  s.dispose();
  process.exitCode = same ? 0 : 1;
} finally {
  for (const p of procs) if (p.exitCode === null) p.kill("SIGTERM");
  await nats?.stop();
}
