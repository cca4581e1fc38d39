// A worker process for bench/distributed.bench.mjs: node distributed-worker.mjs <natsUrl> <runId|json|jsjson> [fitness export]
// "jsjson": the same through a JetStream work queue (the design issue 11 measured).
// "json": the baseline, one request per candidate (a JSON vector in, a JSON number out, queue group "w").
import { startWorker } from "../dist/distributed.mjs";
import { sphere } from "./distributed-fit.mjs";
const [url, runId, name = "sphere"] = process.argv.slice(2);
if (runId === "json") {
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url });
  nc.subscribe("bench.json", { queue: "w", callback: (_e, m) => m.respond(JSON.stringify(sphere(JSON.parse(m.string())))) });
  await nc.flush();
  console.log("ready");
  process.on("SIGTERM", async () => { await nc.close(); process.exit(0); });
} else if (runId === "jsjson") {
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
