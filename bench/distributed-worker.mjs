// A worker process for bench/distributed.bench.mjs: node distributed-worker.mjs <natsUrl> <runId|jsjson> [fitness export]
// "jsjson": the baseline, one JetStream work-queue message per candidate (a JSON vector), see jsJsonMs.
import { startWorker } from "../dist/distributed.mjs";
import { sphere } from "./distributed-fit.mjs";
const [url, runId, name = "sphere"] = process.argv.slice(2);
if (runId === "jsjson") {
  // the baseline through JetStream: one work-queue message per candidate (a JSON {g, i, x}), pulled by
  // a shared durable consumer and acknowledged; the value goes back on a core subject
  const { connect } = await import("@nats-io/transport-node");
  const { jetstream } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  const c = await js.consumers.get("BENCHJS", "w");
  const it = await c.consume({ max_messages: 64 });
  console.log("ready");
  process.on("SIGTERM", async () => { it.stop(); await nc.close(); process.exit(0); });
  for await (const m of it) {
    const { g, i, x } = m.json();
    nc.publish("bench.jsres", JSON.stringify({ g, i, f: sphere(x) }));
    m.ack();
  }
} else {
  const w = await startWorker({ servers: url, runId, fitness: { module: new URL("./distributed-fit.mjs", import.meta.url).href, name } });
  console.log("ready"); // connected; it joins the run once the coordinator created it
  await w.ready;
  await w.done;
  process.exit(0);
}
