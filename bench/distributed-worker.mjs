// A worker process for bench/distributed.bench.mjs: node distributed-worker.mjs <natsUrl> <runId|json>
// "json": the baseline, one request per candidate (a JSON vector in, a JSON number out, queue group "w").
import { startWorker } from "../dist/distributed.mjs";
import { sphere } from "./distributed-fit.mjs";
const [url, runId] = process.argv.slice(2);
if (runId === "json") {
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url });
  nc.subscribe("bench.json", { queue: "w", callback: (_e, m) => m.respond(JSON.stringify(sphere(JSON.parse(m.string())))) });
  await nc.flush();
  console.log("ready");
  process.on("SIGTERM", async () => { await nc.close(); process.exit(0); });
} else {
  const w = await startWorker({ servers: url, runId, fitness: { module: new URL("./distributed-fit.mjs", import.meta.url).href, name: "sphere" } });
  console.log("ready"); // connected; it joins the run once the coordinator created it
  await w.ready;
  await w.done;
  process.exit(0);
}
