// A worker process: node examples/distributed/worker.mjs <nats url> [runId]
import { startWorker } from "../../dist/distributed.mjs";

const [servers = "nats://127.0.0.1:4222", runId = "mnist"] = process.argv.slice(2);
const w = await startWorker({ servers, runId, fitness: { module: new URL("./fitness.mjs", import.meta.url).href, name: "meanLogLik" } });
await w.ready;
console.log(`worker ${w.id} ready`);
await w.done;
console.log(`worker ${w.id} done: ${w.evaluated} evaluations`);
process.exit(0);
