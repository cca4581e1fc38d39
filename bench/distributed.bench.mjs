// evostrat/distributed over a real nats-server on loopback (scripts/nats-server.mjs), worker processes
// on this machine:
//   - overhead per generation at λ = 64, d = 100 with a trivial fitness for 1, 2 and 4 worker
//     processes, beside the one-message-per-candidate JSON scatter/gather through a JetStream work
//     queue (the issue's baseline, see jsJsonMs) measured the same way in the same run, in interleaved
//     rounds (medians of ROUNDS): on a shared machine a single pair of runs can differ by 2x;
//   - throughput with an I/O-bound fitness for 1, 2, 4, 8 workers;
//   - payload and wire bytes per generation at d = 100 and d = 1e6 (RMES and OpenAI-ES);
//   - time to recover from a worker SIGKILLed mid-generation and from a coordinator SIGKILLed.
import { spawn } from "node:child_process";
import { cpus } from "node:os";
import { fileURLToPath } from "node:url";
import { CSAES, OpenAIES, RMES } from "../dist/index.mjs";
import { distribute, natsTransport } from "../dist/distributed.mjs";
import { findNatsServer, startNats } from "../scripts/nats-server.mjs";

export const title = "Distributed evaluation";

const worker = fileURLToPath(new URL("./distributed-worker.mjs", import.meta.url));
const coordinator = fileURLToPath(new URL("./distributed-coordinator.mjs", import.meta.url));
// 1,000 measured generations after 300 of warm-up: the JIT of fresh worker processes settles over the
// first few hundred (a window of generations 60-260, used before, read about 1.35 ms where the steady
// state is about 0.85); the one-publish-at-a-time column, 16 ms a generation, keeps a shorter window
const GENS = 1300, WARM = 300, SEQ_GENS = 360, SEQ_WARM = 60, LAMBDA = 64, D = 100, ROUNDS = 3;
// CSA-ES on the sphere would end on tolFun/tolX after about 560 generations: the bench runs them all
const csa = () => new CSAES({ mean: new Float64Array(D).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA, tolFun: 0, tolX: 0 });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

// worker processes (the bench's worker script), resolved once each says "ready" (connected)
function spawnWorkers(url, runId, n, name = "sphere") {
  return Promise.all(Array.from({ length: n }, () => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [worker, url, runId, name], { stdio: ["ignore", "pipe", "inherit"] });
    p.stdout.on("data", (b) => { if (String(b).includes("ready")) resolve(p); });
    p.once("exit", (c) => reject(new Error(`bench worker exited (${c})`)));
  })));
}
const stop = async (ps) => Promise.all(ps.map((p) => (p.exitCode === null && p.signalCode === null ? new Promise((r) => { p.once("exit", r); p.kill("SIGTERM"); }) : null)));

// evostrat: ms per generation between generation WARM and GENS (`items` = workers)
async function evostratMs(url, n) {
  const runId = `bench${n}_${Date.now()}`;
  const ps = await spawnWorkers(url, runId, n);
  // the workers wait for the run: they join as soon as it exists
  const s = csa();
  let t0 = 0, t1 = 0;
  await distribute(s, { servers: url, runId, items: n, maxGenerations: GENS, generationTimeout: 30_000,
    onGeneration: (i) => { if (i.generation === WARM) t0 = performance.now(); if (i.generation === GENS) t1 = performance.now(); } });
  s.dispose();
  await stop(ps);
  if (!(t1 > t0 && t0 > 0)) throw new Error("bench/distributed: the run ended before its measured window");
  return (t1 - t0) / (GENS - WARM);
}

// The issue's baseline: one JetStream message per candidate carrying its JSON vector. A work-queue
// stream (file storage, created once) and one durable pull consumer (explicit ack) shared by the
// workers; per generation the coordinator publishes the λ messages and awaits each one's publish
// acknowledgement (all in flight at once, the fastest way to publish them, or, `sequential`, one at a
// time); each worker pulls (up to 64 buffered), parses the vector, evaluates it, publishes
// { g, i, f } as JSON on a core subject and acknowledges the message; the coordinator gathers the λ
// values, then tells.
async function jsJsonMs(url, n, sequential = false) {
  const { connect } = await import("@nats-io/transport-node");
  const { jetstreamManager, jetstream, AckPolicy, RetentionPolicy, StorageType } = await import("@nats-io/jetstream");
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "BENCHJS", subjects: ["bench.jswork"], retention: RetentionPolicy.Workqueue, storage: StorageType.File });
  await jsm.consumers.add("BENCHJS", { durable_name: "w", ack_policy: AckPolicy.Explicit, max_ack_pending: -1 });
  const js = jetstream(nc);
  const ps = await spawnWorkers(url, "jsjson", n);
  const s = csa();
  const [gens, warm] = sequential ? [SEQ_GENS, SEQ_WARM] : [GENS, WARM];
  let want = null;
  nc.subscribe("bench.jsres", { callback: (_e, m) => { const r = m.json(); if (want && r.g === want.g && !want.have[r.i]) { want.have[r.i] = 1; want.fs[r.i] = r.f; if (--want.left === 0) want.done(); } } });
  await nc.flush();
  let t0 = 0;
  for (let g = 0; g < gens; g++) {
    if (g === warm) t0 = performance.now();
    const pop = s.ask();
    const done = new Promise((r) => { want = { g, fs: new Array(LAMBDA), have: new Uint8Array(LAMBDA), left: LAMBDA, done: r }; });
    const msg = (i) => JSON.stringify({ g, i, x: Array.from(pop.row(i)) });
    if (sequential) for (let i = 0; i < LAMBDA; i++) await js.publish("bench.jswork", msg(i));
    else await Promise.all(Array.from({ length: LAMBDA }, (_, i) => js.publish("bench.jswork", msg(i))));
    await done;
    s.tell(want.fs);
  }
  const ms = (performance.now() - t0) / (gens - warm);
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

// A worker SIGKILLed 10 ms into generation 7 (4 workers, λ = 16, serial20: 4 rows of 20 ms per
// worker per generation): that generation's time beyond the median generation (the coordinator's
// probe, every ackWait/10, finds the worker gone, its item goes to the durable queue and another
// worker evaluates it).
async function workerKilled(url, ackWait) {
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
  const normal = median(ts.slice(1, 6));
  return { normal, slow: ts[6], extra: ts[6] - normal };
}

// The coordinator (a process: bench/distributed-coordinator.mjs) SIGKILLed once it reported
// generation 30 of 60 (4 workers, λ = 64, d = 100, trivial fitness, a checkpoint every 10
// generations); a new coordinator process with the same runId resumes (the checkpoint, the entries
// logged since, then the interrupted generation's work under a new epoch). Recovery: from the kill to
// the new coordinator's first generation, against the median generation time; the part of it that is
// Node starting and loading evostrat (the new process's first line); generations run again (told by
// the first coordinator but not stored).
async function coordinatorKilled(url) {
  const runId = `crec_${Date.now()}`;
  const ps = await spawnWorkers(url, runId, 4);
  const lines = (p, on) => { let buf = ""; p.stdout.on("data", (b) => { buf += b; let k; while ((k = buf.indexOf("\n")) >= 0) { on(buf.slice(0, k), performance.timeOrigin + performance.now()); buf = buf.slice(k + 1); } }); };
  const start = () => spawn(process.execPath, [coordinator, url, runId, "60", "10"], { stdio: ["ignore", "pipe", "inherit"] });
  const gaps = [];
  const first = start();
  let last = 0; // the last generation the first coordinator reported (it runs on while the kill travels)
  const killedAt = await new Promise((resolve) => {
    let prev;
    lines(first, (l) => {
      const g = /^gen (\d+) ([\d.]+)$/.exec(l);
      if (!g) return;
      const at = Number(g[2]);
      last = Number(g[1]);
      if (prev !== undefined && last > 10) gaps.push(at - prev);
      prev = at;
      if (last === 30) { first.kill("SIGKILL"); resolve(performance.timeOrigin + performance.now()); }
    });
  });
  await new Promise((r) => (first.exitCode !== null || first.signalCode !== null ? r() : first.once("exit", r)));
  const second = start();
  const out = await new Promise((resolve, reject) => {
    let loaded, firstGen;
    lines(second, (l, t) => {
      if (l.startsWith("loaded")) loaded = Number(l.split(" ")[1]);
      const g = /^gen (\d+) ([\d.]+)$/.exec(l);
      if (g && firstGen === undefined) firstGen = { g: Number(g[1]), at: Number(g[2]) };
      if (l.startsWith("result ")) resolve({ loaded, firstGen, result: JSON.parse(l.slice(7)) });
    });
    second.once("exit", (c) => { if (c !== 0) reject(new Error(`coordinator exited (${c})`)); });
  });
  await stop(ps);
  // the first generation the new one completes is the one after its last logged entry
  return { normal: median(gaps), recover: out.firstGen.at - killedAt, start: out.loaded - killedAt, last, redone: last + 1 - out.firstGen.g, resumed: out.result.resumed };
}

// payload bytes per generation (work items, results, the logged values; the starting checkpoint once)
// and wire bytes (what the connection of the coordinator and its local worker sent and received,
// NATS and JetStream protocol included), over generations 2-6, λ = 16
async function bytesPerGen(url, make, d) {
  const s = make(d);
  const t = await natsTransport({ servers: url });
  let w0 = t.wire(), w1 = w0;
  const gens = 6;
  // the wire is read after generation 1 (the local worker has loaded the starting checkpoint) and at the end
  const r = await distribute(s, { onGeneration: (i) => { if (i.generation === 1) w0 = t.wire(); if (i.generation === gens) w1 = t.wire(); }, transport: t, runId: `bytes${d}`, fitness: { module: new URL("./distributed-fit.mjs", import.meta.url).href, name: "sphere" }, workers: 1, maxGenerations: gens, checkpointEvery: Infinity, generationTimeout: 120_000 });
  const b = r.stats.bytes;
  s.dispose();
  await t.close();
  return { payload: (b.work + b.results + b.log + b.control) / gens, checkpoint: b.kv, wire: (w1.in + w1.out - w0.in - w0.out) / (gens - 1) };
}

export async function run() {
  const f = findNatsServer();
  if (!f.path) return `## ${title}\n\nSkipped: ${f.reason}\n`;
  const nats = await startNats();
  try {
    // interleaved rounds: evostrat, the baseline, the baseline one publish at a time
    const over = [];
    for (const n of [1, 2, 4]) {
      const e = [], q = [], seq = [];
      for (let r = 0; r < ROUNDS; r++) {
        e.push(await evostratMs(nats.url, n));
        q.push(await jsJsonMs(nats.url, n));
        seq.push(await jsJsonMs(nats.url, n, true));
      }
      const ratios = e.map((x, i) => q[i] / x);
      over.push({ n, e: median(e), q: median(q), seq: median(seq), lo: Math.min(...ratios), hi: Math.max(...ratios) });
    }
    const tp = [];
    for (const n of [1, 2, 4, 8]) tp.push([n, await throughput(nats.url, n)]);
    const wk = await workerKilled(nats.url, 1000), wk5 = await workerKilled(nats.url, 5000);
    const ck = await coordinatorKilled(nats.url);
    const rmes = (d) => new RMES({ mean: new Float64Array(d).fill(0.1), sigma: 0.1, seed: 3, popSize: 16 });
    const openai = (d) => new OpenAIES({ mean: new Float64Array(d).fill(0.1), sigma: 0.1, seed: 3, popSize: 16 });
    const bytes = [];
    for (const [name, make] of [["RMES", rmes], ["OpenAI-ES", openai]]) for (const d of [100, 1_000_000]) bytes.push({ name, d, ...(await bytesPerGen(nats.url, make, d)) });
    const kb = (x) => (x / 1024).toFixed(1);
    const load = (await import("node:os")).loadavg()[0].toFixed(1);
    return [
      `## ${title}`,
      "",
      `nats-server (${f.path.includes(".cache") ? "Debian 2.9.10, fetched into node_modules/.cache" : f.path}) on 127.0.0.1, JetStream file storage; coordinator and worker processes on this machine (${cpus().length} cores, load average ${load} at the end of this section); trivial fitness (sphere).`,
      "",
      `Overhead per generation, CSA-ES λ = ${LAMBDA}, d = ${D} (tolFun and tolX off, so that the run lasts), mean over generations ${WARM}–${GENS} (the steady state: the JIT of fresh processes settles over the first few hundred), median of ${ROUNDS} interleaved rounds. evostrat: one work item per worker (\`items\` = workers), offered by request/reply with the previous generation's logged values, the values back as the answer, the log entry stored in JetStream meanwhile, a checkpoint every 10 generations. Baseline (issue 11's design): one JetStream work-queue message per candidate carrying its JSON vector, every publish acknowledged by the server (all in flight at once), one durable pull consumer shared by the workers, each message acknowledged by its worker after it published { g, i, f } as JSON; the coordinator gathers the 64 values. The last column publishes one message at a time (each acknowledged before the next), as a naive scatter would (generations ${SEQ_WARM}–${SEQ_GENS}):`,
      "",
      "| worker processes | evostrat ms/gen | JetStream JSON per candidate ms/gen | ratio (range over rounds) | the same, one publish at a time, ms/gen |",
      "|---:|---:|---:|---:|---:|",
      ...over.map((o) => `| ${o.n} | ${o.e.toFixed(2)} | ${o.q.toFixed(2)} | ${(o.q / o.e).toFixed(1)}× (${o.lo.toFixed(1)}–${o.hi.toFixed(1)}×) | ${o.seq.toFixed(1)} |`),
      "",
      `Issue 11 quoted 51–64 ms per generation for this baseline with 4 workers on this kind of machine; measured here it takes ${over[2].q.toFixed(1)} ms (${over[2].seq.toFixed(1)} ms one publish at a time), so the issue's goal of an overhead at least 10× below it is met against its quoted figure (${(51 / over[2].e).toFixed(0)}×) but not against the baseline measured in the same run (${(over[2].q / over[2].e).toFixed(1)}×).`,
      "",
      `Throughput with an I/O-bound fitness (20 ms per evaluation, one at a time per worker process: a simulator or remote session per worker), CSA-ES λ = ${LAMBDA}, ${"`items`"} = workers, generations 2–5:`,
      "",
      "| worker processes | evaluations/s | × one worker | ideal (50/s per worker) |",
      "|---:|---:|---:|---:|",
      ...tp.map(([n, e]) => `| ${n} | ${e.toFixed(0)} | ${(e / tp[0][1]).toFixed(2)} | ${50 * n} |`),
      "",
      "Time to recover:",
      "",
      "| fault | set-up | recovery | normal generation |",
      "|---|---|---:|---:|",
      ...[[wk, 1000], [wk5, 5000]].map(([w, a]) => `| a worker SIGKILLed 10 ms into generation 7 | 4 workers, λ = 16, 20 ms per evaluation (4 per item), \`ackWait\` = ${a} ms${a === 5000 ? " (the default)" : ""} | that generation took ${w.slow.toFixed(0)} ms, ${w.extra.toFixed(0)} ms more than the median (a probe every \`ackWait\`/10 = ${a / 10} ms finds the worker gone; its item goes to the durable queue and another worker evaluates it) | ${w.normal.toFixed(0)} ms |`),
      `| the coordinator SIGKILLed once it reported generation 30 of 60 (it had reached ${ck.last}) | 4 workers, λ = 64, d = 100, trivial fitness, a checkpoint every 10 generations; a new coordinator process with the same \`runId\` | ${ck.recover.toFixed(0)} ms from the kill to its first generation (${ck.start.toFixed(0)} ms of it Node starting and loading evostrat; ${ck.redone} generation${ck.redone === 1 ? "" : "s"} run again; resumed: ${ck.resumed}) | ${ck.normal.toFixed(2)} ms |`,
      "",
      `Bytes per generation, λ = 16 (payload: work items, results, the logged values; wire: everything the connection of the coordinator and its local worker sent and received over generations 2–6, NATS and JetStream protocol included):`,
      "",
      "| strategy | d | payload B/gen | wire B/gen | starting checkpoint (once) |",
      "|---|---:|---:|---:|---:|",
      ...bytes.map((b) => `| ${b.name} | ${b.d.toLocaleString("en-US")} | ${b.payload.toFixed(0)} | ${b.wire.toFixed(0)} | ${kb(b.checkpoint)} KiB |`),
      "",
    ].join("\n");
  } finally {
    await nats.stop();
  }
}
