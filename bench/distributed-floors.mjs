// The messaging floors under bench/distributed.bench.mjs's overhead per generation, with nats.js alone
// (no evostrat code): what one generation's round trip costs at least on this machine, with 4 worker
// processes answering at once (no fitness, no replica). `node bench/distributed-floors.mjs [rounds]`
// prints a table (not part of npm run bench: it measures the transport, not evostrat).
//   rr4        4 parallel request/replies, one per worker process (a 528 B offer, a 152 B answer);
//   bc4        one publish fanned out to the 4 workers (528 B: 64 f64 values and a header), each
//              publishes its 16 values (152 B) back to one subscription;
//   bc4-json   the same with the values as JSON (parsed and stringified at both ends);
//   bc4+js     bc4 plus one JetStream publish (528 B, file storage) per generation issued with the
//              broadcast and awaited before the generation ends;
//   bc4+js-ff  the same, its acknowledgement awaited one generation later (off the critical path);
//   rr4+js     rr4 plus that JetStream publish, awaited with the answers;
//   rr4+js+follow  the same into a stream every worker follows with an ordered consumer, as a replica
//              follows the run's log: the message pattern of the current coordinator and workers.
//   bc4+js+replica  bc4+js with the optimizer work a replicated run cannot avoid, and nothing else: the
//              broadcast carries the previous generation's 64 values; every worker tells its CSA-ES
//              replica (d = 100), hashes it, draws and evaluates its 16 rows, answers, then draws the
//              whole population for the next tell; the coordinator asks, tells and hashes its own. The
//              floor of any protocol of this design in Node on this machine.
// Interleaved rounds of ITER generations each, medians over rounds; the last column is the CPU time
// (user + system, from /proc: Linux) of every process of the run (server, this one, the 4 workers).
import { spawn, execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [role, url, idArg] = process.argv.slice(2);
const W = 4, LAMBDA = 64, PER = LAMBDA / W;
const { connect } = await import("@nats-io/transport-node");

if (role === "responder") {
  const id = Number(idArg);
  const nc = await connect({ servers: url, noAsyncTraces: true });
  const bin = (g) => {
    const b = new Uint8Array(24 + 8 * PER), v = new DataView(b.buffer);
    v.setUint32(4, g, true); v.setUint32(8, id * PER, true); v.setUint32(12, PER, true); // byte 0 is 0: binary
    for (let i = 0; i < PER; i++) v.setFloat64(24 + 8 * i, Math.random(), true);
    return b;
  };
  const json = (g) => JSON.stringify({ g, first: id * PER, f: Array.from({ length: PER }, () => Math.random()) });
  // the generation is read from the message (and the JSON one parsed), as a worker would
  const answer = (d) => {
    if (d[0] === 0x7b) return json(JSON.parse(new TextDecoder().decode(d)).g);
    return bin(new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(4, true));
  };
  nc.subscribe(`fl.req.${id}`, { callback: (_e, m) => m.respond(answer(m.data)) });
  const { CSAES } = await import("../dist/index.mjs");
  const rep = new CSAES({ mean: new Float64Array(100).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA, tolFun: 0, tolX: 0 });
  nc.subscribe("fl.bcr", { callback: (_e, m) => {
    const v = new DataView(m.data.buffer, m.data.byteOffset, m.data.byteLength), g = v.getUint32(4, true), n = v.getUint32(8, true);
    if (n > 0) {
      const f = new Float64Array(n);
      for (let i = 0; i < n; i++) f[i] = v.getFloat64(16 + 8 * i, true);
      if (!rep.asked) rep.ask();
      rep.tell(f);
      rep.stateHash();
    }
    const rows = rep.askRows(id * PER, (id + 1) * PER), d = rep.dimension;
    const b = new Uint8Array(24 + 8 * PER), o = new DataView(b.buffer);
    o.setUint32(4, g, true); o.setUint32(8, id * PER, true); o.setUint32(12, PER, true);
    for (let i = 0; i < PER; i++) { let t = 0; for (let j = 0; j < d; j++) t += rows[i * d + j] ** 2; o.setFloat64(24 + 8 * i, t, true); }
    nc.publish("fl.res", b);
    setImmediate(() => { if (!rep.asked) rep.ask(); });
  } });
  nc.subscribe("fl.bc", { callback: (_e, m) => nc.publish("fl.res", answer(m.data)) });
  // every worker follows the log stream FLOORLOGF (an ordered consumer, as a replica follows the run's log)
  const { jetstream } = await import("@nats-io/jetstream");
  const oc = await jetstream(nc).consumers.get("FLOORLOGF");
  void (async () => { let n = 0; for await (const m of await oc.consume()) n += m.data.length; })();
  await nc.flush();
  console.log("ready");
  process.on("SIGTERM", async () => { await nc.close(); process.exit(0); });
} else {
  const { startNats } = await import("../scripts/nats-server.mjs");
  const { jetstreamManager, jetstream, StorageType } = await import("@nats-io/jetstream");
  const ROUNDS = Number(role ?? 5), ITER = 600, WARM = 100;
  const nats = await startNats();
  const self = fileURLToPath(import.meta.url);
  const nc = await connect({ servers: nats.url, noAsyncTraces: true });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: "FLOORLOG", subjects: ["fl.log"], storage: StorageType.File });
  await jsm.streams.add({ name: "FLOORLOGF", subjects: ["fl.logf"], storage: StorageType.File });
  const ps = await Promise.all(Array.from({ length: W }, (_, id) => new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [self, "responder", nats.url, String(id)], { stdio: ["ignore", "pipe", "inherit"] });
    p.stdout.on("data", (b) => { if (String(b).includes("ready")) resolve(p); });
    p.once("exit", (c) => reject(new Error(`responder exited (${c})`)));
  })));
  const js = jetstream(nc);

  const values = Float64Array.from({ length: LAMBDA }, () => Math.random());
  const binMsg = (g) => {
    const b = new Uint8Array(16 + 8 * LAMBDA), v = new DataView(b.buffer);
    v.setUint32(4, g, true); v.setUint32(8, LAMBDA, true); // byte 0 is 0: binary
    for (let i = 0; i < LAMBDA; i++) v.setFloat64(16 + 8 * i, values[i], true);
    return b;
  };
  const jsonMsg = (g) => JSON.stringify({ g, f: Array.from(values), rows: [0, PER, 2 * PER, 3 * PER] });
  const decodeBin = (d) => {
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength), n = v.getUint32(12, true), out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = v.getFloat64(24 + 8 * i, true);
    return { g: v.getUint32(4, true), first: v.getUint32(8, true), f: out };
  };
  const td = new TextDecoder();
  // the broadcast's answers: resolves the generation's promise at the 4th
  let want = null;
  const told = new Float64Array(LAMBDA);
  nc.subscribe("fl.res", { callback: (_e, m) => {
    const r = m.data[0] === 0x7b ? JSON.parse(td.decode(m.data)) : decodeBin(m.data);
    if (r.f.length === PER && m.data[0] !== 0x7b) told.set(r.f, r.first);
    if (want && r.g === want.g && --want.left === 0) want.done();
  } });
  const { CSAES } = await import("../dist/index.mjs");
  const own = new CSAES({ mean: new Float64Array(100).fill(1), sigma: 0.5, seed: 1, popSize: LAMBDA, tolFun: 0, tolX: 0 });
  let entry = new Float64Array(0); // the values of the generation told last (none before the first)
  const entryMsg = (g) => {
    const b = new Uint8Array(16 + 8 * entry.length), v = new DataView(b.buffer);
    v.setUint32(4, g, true); v.setUint32(8, entry.length, true);
    for (let i = 0; i < entry.length; i++) v.setFloat64(16 + 8 * i, entry[i], true);
    return b;
  };
  await nc.flush();
  const gathered = (g) => new Promise((r) => { want = { g, left: W, done: r }; });

  const variants = {
    rr4: (g) => Promise.all(Array.from({ length: W }, (_, id) => nc.request(`fl.req.${id}`, binMsg(g), { timeout: 5000 }).then((m) => decodeBin(m.data)))),
    bc4: (g) => { const p = gathered(g); nc.publish("fl.bc", binMsg(g)); return p; },
    "bc4-json": (g) => { const p = gathered(g); nc.publish("fl.bc", jsonMsg(g)); return p; },
    "rr4+js": (g) => { const b = binMsg(g); return Promise.all([js.publish("fl.log", b), ...Array.from({ length: W }, (_, id) => nc.request(`fl.req.${id}`, b, { timeout: 5000 }).then((m) => decodeBin(m.data)))]); },
    "rr4+js+follow": (g) => { const b = binMsg(g); return Promise.all([js.publish("fl.logf", b), ...Array.from({ length: W }, (_, id) => nc.request(`fl.req.${id}`, b, { timeout: 5000 }).then((m) => decodeBin(m.data)))]); },
    "bc4+js": (g) => { const p = gathered(g); const b = binMsg(g); const s = js.publish("fl.log", b); nc.publish("fl.bc", b); return Promise.all([p, s]); },
  };
  variants["bc4+js+replica"] = async (g) => {
    const p = gathered(g); const b = entryMsg(g);
    const st = js.publish("fl.log", b);
    nc.publish("fl.bcr", b);
    own.ask();
    await Promise.all([p, st]);
    own.tell(told);
    own.stateHash();
    entry = told.slice();
  };
  let lastStore = Promise.resolve();
  variants["bc4+js-ff"] = async (g) => {
    const p = gathered(g); const b = binMsg(g);
    const prev = lastStore;
    lastStore = js.publish("fl.log", b);
    nc.publish("fl.bc", b);
    await Promise.all([p, prev]); // the previous generation's store: long done by now
  };
  const res = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  // CPU time (user + system, ms) of every process of the run: nats-server, this one, the workers (Linux only)
  const natsPid = Number(execSync(`pgrep -f "nats-server -a 127.0.0.1 -p ${nats.port}"`).toString().trim().split("\n")[0]);
  const tick = (pid) => { try { const f = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" "); return (Number(f[11]) + Number(f[12])) * 10; } catch { return NaN; } };
  const cpu = () => [natsPid, process.pid, ...ps.map((p) => p.pid)].map(tick).reduce((a, b) => a + b, 0);
  const cpuRes = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  let g = 1;
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, f] of Object.entries(variants)) {
      for (let i = 0; i < WARM; i++) await f(g++);
      const t0 = performance.now(), c0 = cpu();
      for (let i = 0; i < ITER; i++) await f(g++);
      res[k].push((performance.now() - t0) / ITER);
      cpuRes[k].push((cpu() - c0) / ITER);
      await lastStore;
    }
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  console.log(`| floor (${W} worker processes, ${ROUNDS} interleaved rounds of ${ITER}) | ms/gen median | range | CPU ms/gen, all processes |\n|---|---:|---:|---:|`);
  for (const [k, xs] of Object.entries(res)) console.log(`| ${k} | ${median(xs).toFixed(3)} | ${Math.min(...xs).toFixed(3)}–${Math.max(...xs).toFixed(3)} | ${median(cpuRes[k]).toFixed(2)} |`);
  for (const p of ps) p.kill("SIGTERM");
  await jsm.streams.delete("FLOORLOG");
  await jsm.streams.delete("FLOORLOGF");
  await nc.close();
  await nats.stop();
}
