// evostrat/distributed over a real nats-server on loopback (scripts/nats-server.mjs): the overhead per
// generation at λ = 64, d = 100 with a trivial fitness for 1, 2 and 4 worker processes, beside a
// one-message-per-candidate JSON scatter/gather (core NATS requests to a queue group, the cheapest
// form of that design) measured the same way in the same run; and payload bytes per generation at
// d = 100 and d = 1e6 (RMES).
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { CSAES, RMES } from "../dist/index.mjs";
import { distribute, natsTransport } from "../dist/distributed.mjs";
import { findNatsServer, startNats } from "../scripts/nats-server.mjs";

export const title = "Distributed evaluation";

const worker = fileURLToPath(new URL("./distributed-worker.mjs", import.meta.url));
const GENS = 60, WARM = 10, LAMBDA = 64, D = 100;

function spawnWorkers(url, runId, n, name = "sphere") {
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [worker, url, runId, name], { stdio: ["ignore", "pipe", "inherit"] });
    p.stdout.on("data", (b) => { if (String(b).includes("ready")) resolve(p); });
    p.once("exit", (c) => reject(new Error(`bench worker exited (${c})`)));
  })));
}
const stop = async (ps) => Promise.all(ps.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => { p.once("exit", r); p.kill("SIGTERM"); }) : null)));

// ms per generation between generation WARM and GENS
async function evostratMs(url, n) {
  const runId = `bench${n}_${Date.now()}`;
  const ps = await spawnWorkers(url, runId, n);
  // workers wait for the run: they join as soon as it exists
  const s = new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA });
  let t0 = 0, t1 = 0;
  await distribute(s, { servers: url, runId, items: n, maxGenerations: GENS, generationTimeout: 30_000,
    onGeneration: (i) => { if (i.generation === WARM) t0 = performance.now(); if (i.generation === GENS) t1 = performance.now(); } });
  s.dispose();
  await stop(ps);
  return (t1 - t0) / (GENS - WARM);
}

async function jsonMs(url, n) {
  const ps = await spawnWorkers(url, "json", n);
  const t = await natsTransport({ servers: url });
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: url });
  const s = new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA });
  let t0 = 0;
  for (let g = 0; g < GENS; g++) {
    if (g === WARM) t0 = performance.now();
    const pop = s.ask();
    const fs = await Promise.all(Array.from({ length: LAMBDA }, (_, i) => nc.request("bench.json", JSON.stringify(Array.from(pop.row(i))), { timeout: 10_000 }).then((m) => JSON.parse(m.string()))));
    s.tell(fs);
  }
  const ms = (performance.now() - t0) / (GENS - WARM);
  s.dispose();
  await nc.close();
  await t.close();
  await stop(ps);
  return ms;
}

// one JetStream work-queue message per candidate (JSON), values back on a core subject
async function jsJsonMs(url, n) {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager, jetstream, AckPolicy, RetentionPolicy, StorageType } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCHJS", subjects: ["bench.jswork"], retention: RetentionPolicy.Workqueue, storage: StorageType.File }).catch(() => {});
  await jsm.consumers.add("BENCHJS", { durable_name: "w", ack_policy: AckPolicy.Explicit, max_ack_pending: -1 });
  const js = jetstream(nc);
  const ps = await spawnWorkers(url, "jsjson", n);
  const s = new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA });
  let want = null;
  nc.subscribe("bench.jsres", { callback: (_e, m) => { const r = m.json(); if (want && r.g === want.g && !want.have[r.i]) { want.have[r.i] = 1; want.fs[r.i] = r.f; if (--want.left === 0) want.done(); } } });
  await nc.flush();
  let t0 = 0;
  for (let g = 0; g < GENS; g++) {
    if (g === WARM) t0 = performance.now();
    const pop = s.ask();
    const done = new Promise((r) => { want = { g, fs: new Array(LAMBDA), have: new Uint8Array(LAMBDA), left: LAMBDA, done: r }; });
    await Promise.all(Array.from({ length: LAMBDA }, (_, i) => js.publish("bench.jswork", JSON.stringify({ g, i, x: Array.from(pop.row(i)) }))));
    await done;
    s.tell(want.fs);
  }
  const ms = (performance.now() - t0) / (GENS - WARM);
  s.dispose();
  await stop(ps);
  await jsm.streams.delete("BENCHJS");
  await nc.close();
  return ms;
}

// evaluations per second with serial20 (20 ms per evaluation, one at a time per worker), λ = 64
async function throughput(url, n) {
  const runId = `tp${n}_${Date.now()}`;
  const ps = await spawnWorkers(url, runId, n, "serial20");
  const s = new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA });
  const gens = 4;
  let t0 = 0, t1 = 0;
  await distribute(s, { servers: url, runId, items: n, maxGenerations: gens + 1, generationTimeout: 60_000,
    onGeneration: (i) => { if (i.generation === 1) t0 = performance.now(); if (i.generation === gens + 1) t1 = performance.now(); } });
  s.dispose();
  await stop(ps);
  return (gens * LAMBDA) / ((t1 - t0) / 1000);
}

// a worker SIGKILLed just after a generation's items went out: that generation's time beyond the
// median generation (its rows come back after ackWait and are evaluated by the others); 4 workers,
// λ = 16, serial20 (4 rows of 20 ms per worker per generation)
async function recovery(url, ackWait) {
  const runId = `rec_${Date.now()}`;
  const ps = await spawnWorkers(url, runId, 4, "serial20");
  const s = new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: 16 });
  const ts = [];
  let last = performance.now();
  await distribute(s, { servers: url, runId, items: 4, ackWait, maxGenerations: 12, generationTimeout: 60_000,
    onGeneration: (i) => {
      const now = performance.now();
      ts.push(now - last);
      last = now;
      if (i.generation === 6) setTimeout(() => ps[0].kill("SIGKILL"), 10);
    } });
  s.dispose();
  await stop(ps);
  const sorted = [...ts.slice(1, 6)].sort((a, b) => a - b);
  return { normal: sorted[2], slow: ts[6], extra: ts[6] - sorted[2] };
}

async function bytesPerGen(url, d) {
  const s = new RMES({ mean: new Float64Array(d).fill(0.1), sigma: 0.1, seed: 3, popSize: 16 });
  const t = await natsTransport({ servers: url });
  let w0 = t.wire(), w1 = w0;
  const gens = 6;
  // the wire is read after generation 1 (the local worker has loaded the starting checkpoint) and at the end
  const r = await distribute(s, { onGeneration: (i) => { if (i.generation === 1) w0 = t.wire(); if (i.generation === gens) w1 = t.wire(); }, transport: t, runId: `bytes${d}`, fitness: { module: new URL("./distributed-fit.mjs", import.meta.url).href, name: "sphere" }, workers: 1, maxGenerations: gens, checkpointEvery: Infinity, generationTimeout: 60_000 });
  const b = r.stats.bytes;
  s.dispose();
  await t.close();
  // payload of work items, results, log and control, sent and received by the coordinator and its local worker (one connection)
  return { payload: (b.work + b.results + b.log + b.control) / gens, checkpoint: b.kv, wire: (w1.in + w1.out - w0.in - w0.out) / (gens - 1) };
}

export async function run() {
  const f = findNatsServer();
  if (!f.path) return `## ${title}\n\nSkipped: ${f.reason}\n`;
  const nats = await startNats();
  try {
    const rows = [];
    for (const n of [1, 2, 4]) {
      const e = await evostratMs(nats.url, n);
      const j = await jsonMs(nats.url, n);
      const q = await jsJsonMs(nats.url, n);
      rows.push(`| ${n} | ${e.toFixed(2)} | ${j.toFixed(2)} | ${(j / e).toFixed(1)}× | ${q.toFixed(2)} | ${(q / e).toFixed(1)}× |`);
    }
    const tp = [];
    for (const n of [1, 2, 4, 8]) tp.push([n, await throughput(nats.url, n)]);
    const rec = await recovery(nats.url, 1000);
    const b1 = await bytesPerGen(nats.url, 100), b2 = await bytesPerGen(nats.url, 1_000_000);
    const kb = (x) => (x / 1024).toFixed(1);
    return [
      `## ${title}`,
      "",
      `nats-server (${f.path.includes(".cache") ? "Debian 2.9.10, fetched into node_modules/.cache" : f.path}) on 127.0.0.1, JetStream file storage; worker processes on this machine; trivial fitness (sphere).`,
      `Overhead per generation, CSA-ES λ = ${LAMBDA}, d = ${D}, mean over generations ${WARM}–${GENS} (evostrat: ${"`items`"} = workers; the baselines send each candidate as a JSON vector in its own message and await the 64 values: as a core NATS request to a queue group, and as a JetStream work-queue message with acknowledgement, the design issue 11 measured at 51–64 ms):`,
      "",
      "| worker processes | evostrat ms/gen | JSON request per candidate ms/gen | ratio | JSON JetStream message per candidate ms/gen | ratio |",
      "|---:|---:|---:|---:|---:|---:|",
      ...rows,
      "",
      `Throughput with an I/O-bound fitness (20 ms per evaluation, one at a time per worker process: a simulator or remote session per worker), CSA-ES λ = ${LAMBDA}, ${"`items`"} = workers, generations 2–5:`,
      "",
      "| worker processes | evaluations/s | × one worker | ideal (50/s per worker) |",
      "|---:|---:|---:|---:|",
      ...tp.map(([n, e]) => `| ${n} | ${e.toFixed(0)} | ${(e / tp[0][1]).toFixed(2)} | ${50 * n} |`),
      "",
      `Recovery from a worker SIGKILLed 10 ms into generation 7 (4 workers, λ = 16, the same fitness, ${"`ackWait`"} = 1000 ms): that generation took ${rec.slow.toFixed(0)} ms against a median of ${rec.normal.toFixed(0)} ms, ${rec.extra.toFixed(0)} ms more (the dead worker's item goes to the durable queue ${"`ackWait`"} after it was taken, and another worker evaluates it).`,
      "",
      `Bytes per generation, RMES λ = 16 (payload: work items, results, the logged values; wire: everything the connection of the coordinator and its local worker sent and received over generations 2–6, NATS and JetStream protocol included):`,
      "",
      "| d | payload B/gen | wire B/gen | starting checkpoint (once) |",
      "|---:|---:|---:|---:|",
      `| 100 | ${b1.payload.toFixed(0)} | ${b1.wire.toFixed(0)} | ${kb(b1.checkpoint)} KiB |`,
      `| 1,000,000 | ${b2.payload.toFixed(0)} | ${b2.wire.toFixed(0)} | ${kb(b2.checkpoint)} KiB |`,
      "",
    ].join("\n");
  } finally {
    await nats.stop();
  }
}
