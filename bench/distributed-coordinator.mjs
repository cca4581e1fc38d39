// A coordinator process for bench/distributed.bench.mjs (time to recover from a killed coordinator):
//   node distributed-coordinator.mjs <natsUrl> <runId> <generations> <checkpointEvery>
// Prints "loaded <t>" once evostrat is loaded, "gen <g> <t>" after every generation and "result <json>"
// at the end; t in ms since the epoch (performance.timeOrigin + now: comparable across processes).
import { CSAES } from "../dist/index.mjs";
import { distribute } from "../dist/distributed.mjs";
const now = () => (performance.timeOrigin + performance.now()).toFixed(3);
console.log(`loaded ${now()}`);
const [url, runId, gens, every] = process.argv.slice(2);
const s = new CSAES({ mean: new Float64Array(100).fill(1), sigma: 0.5, seed: 1, popSize: 64 });
const r = await distribute(s, { servers: url, runId, items: 4, maxGenerations: Number(gens), checkpointEvery: Number(every), generationTimeout: 30_000,
  onGeneration: (i) => { console.log(`gen ${i.generation} ${now()}`); } });
console.log(`result ${JSON.stringify({ generations: r.generations, resumed: r.resumed })}`);
process.exit(0);
