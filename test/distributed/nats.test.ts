// The protocol over a real nats-server on 127.0.0.1 (started here, with a temporary store), and its faults.
import { beforeAll, describe, expect, it } from "vitest";
import { CSAES, RMES } from "../../src/index.js";
import { distribute, distributed, natsTransport, startWorker, type Transport } from "../../src/distributed/index.js";
import { csa, fit, natsAvailable, referenceHash, spawnNode, natsSuite, startNats } from "./helpers.js";

const have = natsAvailable();

describe.skipIf(!have)("distribute over NATS JetStream", () => {
  const suite = natsSuite(), procs = suite.procs;
  let nats: Awaited<ReturnType<typeof startNats>>;
  beforeAll(() => { nats = suite.nats; });

  it("equals the in-process run bit for bit (a local worker over NATS), O(λ) bytes per generation", async () => {
    const s = csa();
    const r = await distribute(s, { servers: nats.url, runId: "same", fitness: fit("sphere"), workers: 1, maxGenerations: 20, generationTimeout: 10_000 });
    expect(r.generations).toBe(20);
    expect(r.strategy.stateHash()).toBe(await referenceHash(20));
    s.dispose();
    const perGen: number[] = [];
    for (const d of [100, 100_000]) {
      const q = new RMES({ mean: new Float64Array(d).fill(0.1), sigma: 0.1, seed: 3, popSize: 8 });
      const rr = await distribute(q, { servers: nats.url, runId: `bytes${d}`, fitness: fit("sphere"), workers: 1, maxGenerations: 3, checkpointEvery: Infinity, generationTimeout: 10_000 });
      const b = rr.stats.bytes;
      // control messages (rollcall, hello, bye) are per run, and the local worker's bye lands before or
      // after the coordinator stops listening: not counted here
      perGen.push((b.work + b.results + b.log) / 3);
      q.dispose();
    }
    expect(perGen[1]).toBe(perGen[0]);
  });

  it("uses the NATS modules the application passes (natsModules) instead of importing them by name", async () => {
    const transport = await import("@nats-io/transport-node"), jetstream = await import("@nats-io/jetstream"), kv = await import("@nats-io/kv");
    let connects = 0;
    // the application's own modules (as a bundle would hold them), with connect counted
    const mine = { transport: { connect: (o: never) => { connects++; return transport.connect(o); } }, jetstream, kv };
    const w = await startWorker({ servers: nats.url, runId: "mods", fitness: fit("sphere"), natsModules: mine });
    const s = csa();
    const r = await distribute(s, { servers: nats.url, runId: "mods", maxGenerations: 8, generationTimeout: 10_000, natsModules: mine });
    expect(connects).toBe(2); // the worker's connection and the coordinator's
    expect(r.strategy.stateHash()).toBe(await referenceHash(8));
    await w.done;
    await expect(distribute(csa(), { servers: nats.url, runId: "mods2", natsModules: { transport, jetstream } as never })).rejects.toThrow(/natsModules.*kv/);
    await expect(startWorker({ servers: "ws://127.0.0.1:1", fitness: fit("sphere"), natsModules: mine })).rejects.toThrow(/natsModules.*transport.*wsconnect/);
    s.dispose();
  });

  it("a worker SIGKILLed mid-generation: its rows are redelivered, the final state is the fault-free one (2 trials; 20 in test:slow)", async () => {
    const ref = await referenceHash(12);
    for (let trial = 0; trial < 2; trial++) {
      const runId = `kill${trial}`;
      const ws = [0, 1].map(() => spawnNode("distributed-worker.mjs", [nats.url, runId, "slowSphere", "2"], { EVOSTRAT_SLOW_MS: "15" }));
      procs.push(...ws);
      const s = csa();
      let killed: Promise<void> | undefined;
      const r = await distribute(s, {
        servers: nats.url, runId, ackWait: 400, items: 6, maxGenerations: 12, generationTimeout: 20_000,
        onGeneration: (i) => { if (i.generation === 3 + trial) setTimeout(() => { killed = ws[0].kill("SIGKILL"); }, 10 + 15 * trial); },
      });
      await killed;
      expect(ws[0].p.signalCode).toBe("SIGKILL");
      expect(r.evaluations).toBe(12 * 12);
      expect(r.strategy.stateHash()).toBe(ref);
      await ws[1].waitFor(/^done/);
      s.dispose();
    }
  });

  it("a worker SIGKILLed mid-item is found gone by the coordinator's probe: its rows go to another worker long before ackWait", async () => {
    const ref = await referenceHash(8);
    const ws = [0, 1].map(() => spawnNode("distributed-worker.mjs", [nats.url, "probe", "slowSphere"], { EVOSTRAT_SLOW_MS: "40" }));
    procs.push(...ws);
    const s = csa();
    let killed: Promise<void> | undefined;
    // ackWait (60 s) beyond generationTimeout (30 s): the run ends only if the probe finds the dead worker
    const r = await distribute(s, {
      servers: nats.url, runId: "probe", ackWait: 60_000, items: 4, maxGenerations: 8, generationTimeout: 30_000,
      onGeneration: (i) => { if (i.generation === 3) setTimeout(() => { killed = ws[0].kill("SIGKILL"); }, 20); },
    });
    await killed;
    expect(ws[0].p.signalCode).toBe("SIGKILL");
    expect(r.stats.lost).toBeGreaterThanOrEqual(1);
    expect(r.evaluations).toBe(8 * 12);
    expect(r.strategy.stateHash()).toBe(ref);
    await ws[1].waitFor(/^done/);
    s.dispose();
  });

  it("a worker SIGKILLed holding an item of the durable queue is found gone by the probe: the queued items go out again long before ackWait", async () => {
    const ref = await referenceHash(8);
    // 6 items for 2 workers of concurrency 1: 4 go to the durable queue every generation, and the
    // victim dies the moment the queue hands it one of generation 3 (unacknowledged: the server would
    // redeliver it only after ackWait)
    const victim = spawnNode("distributed-worker.mjs", [nats.url, "probeq", "slowSphere"], { EVOSTRAT_SLOW_MS: "40", EVOSTRAT_DIE_HOLDING_ITEM_OF: "3" });
    const other = spawnNode("distributed-worker.mjs", [nats.url, "probeq", "slowSphere"], { EVOSTRAT_SLOW_MS: "40" });
    procs.push(victim, other);
    const exited = new Promise<void>((r) => { if (victim.p.exitCode !== null || victim.p.signalCode !== null) r(); else victim.p.once("exit", () => r()); });
    const s = csa();
    // ackWait (60 s) beyond generationTimeout (30 s): the run ends only if the probe finds the dead worker
    const run = await distributed(s, { servers: nats.url, runId: "probeq", ackWait: 60_000, items: 6, generationTimeout: 30_000 });
    // both serve offers before generation 0 (a worker dying before the coordinator heard its hello is never probed)
    await Promise.all([victim.waitFor(/^ready$/), other.waitFor(/^ready$/)]);
    for (let g = 0; g < 8; g++) run.tell(await run.evaluate());
    const lost = run.stats.lost;
    await run.close();
    await exited;
    expect(victim.p.signalCode).toBe("SIGKILL");
    expect(lost).toBeGreaterThanOrEqual(1);
    expect(s.evaluations).toBe(8 * 12);
    expect(s.stateHash()).toBe(ref);
    await other.waitFor(/^done/);
    s.dispose();
  });

  it("the coordinator SIGKILLed: a new one resumes from the KV checkpoint and the logged values, bit-identical", async () => {
    const ref = await referenceHash(16);
    const w = await startWorker({ servers: nats.url, runId: "resume", fitness: fit("slowSphere"), concurrency: 4 });
    const c = spawnNode("distributed-coordinator.mjs", [nats.url, "resume", "16", "500"]);
    procs.push(c);
    await c.waitFor(/^gen 8$/);
    await c.kill("SIGKILL");
    const s = csa(1234); // the run's own state wins over the given strategy
    const r = await distribute(s, { servers: nats.url, runId: "resume", maxGenerations: 16, ackWait: 500, generationTimeout: 20_000 });
    expect(r.resumed).toBe(true);
    expect(r.generations).toBe(16);
    expect(r.history.bestF.length).toBeLessThan(16);
    expect(r.strategy.stateHash()).toBe(ref);
    await w.done;
    expect(w.generation).toBe(16);
    s.dispose(); r.strategy.dispose();
  });

  it("a coordinator that dies after offering an entry it never stored: the next one runs that generation again, the workers that applied it rebuild their replicas", async () => {
    const ref = await referenceHash(12);
    // the first coordinator's log loses generation 5's entry (it died between the offers, which carry
    // the entry, and the append)
    const base = await natsTransport({ servers: nats.url });
    const lossy: Transport = {
      close: () => base.close(),
      async open(id, o) {
        const ch = await base.open(id, o);
        const append = ch.appendLog.bind(ch);
        ch.appendLog = (data, entryId) => (entryId === "g5" ? new Promise<void>(() => {}) : append(data, entryId));
        return ch;
      },
    };
    const ws = await Promise.all([0, 1].map(() => startWorker({ servers: nats.url, runId: "unstored", fitness: fit("sphere") })));
    const a = csa();
    await expect(distribute(a, { transport: lossy, runId: "unstored", items: 4, maxGenerations: 12, generationTimeout: 1500 })).rejects.toThrow(/generation 6 got no values/);
    // the workers that served generation 6 had applied the unstored entry
    expect(Math.max(...ws.map((w) => w.generation))).toBe(6);
    const b = csa(99);
    const r = await distribute(b, { servers: nats.url, runId: "unstored", items: 4, maxGenerations: 12, generationTimeout: 20_000 });
    expect(r.resumed).toBe(true);
    expect(r.history.bestF.length).toBe(12 - 5); // generations 5 to 11 again
    expect(r.strategy.stateHash()).toBe(ref);
    for (const w of ws) await w.done;
    expect(ws.every((w) => w.generation === 12)).toBe(true);
    expect(ws.reduce((n, w) => n + w.resyncs, 0)).toBeGreaterThanOrEqual(1);
    await base.close();
    a.dispose(); b.dispose(); r.strategy.dispose();
  });

  it("workers that start at once (each creating the run's bucket) all join and serve the run", async () => {
    const ws = await Promise.all(Array.from({ length: 8 }, () => startWorker({ servers: nats.url, runId: "crowd", fitness: fit("sphere") })));
    const s = csa();
    // the run is opened first and waits for every worker to hold its replica (a worker that first
    // looks after a short run has ended would wait for the next run of that name)
    const run = await distributed(s, { servers: nats.url, runId: "crowd", items: 8, generationTimeout: 20_000 });
    await Promise.all(ws.map((w) => w.ready));
    for (let g = 0; g < 6; g++) run.tell(await run.evaluate());
    await run.close();
    expect(s.stateHash()).toBe(await referenceHash(6));
    await Promise.all(ws.map((w) => w.done));
    expect(ws.every((w) => w.generation === 6)).toBe(true);
    s.dispose();
  });

  it("a worker that joins late catches up from the checkpoint and the log, and takes work", async () => {
    const ref = await referenceHash(30);
    const early = spawnNode("distributed-worker.mjs", [nats.url, "late", "sphere"]);
    procs.push(early);
    let late: Awaited<ReturnType<typeof startWorker>> | undefined;
    const s = csa();
    // the ask/tell shape, so that the run waits at generation 10 until the late worker holds its
    // replica (the checkpoint of generation 8 and two log entries) and serves offers: with a quick
    // fitness the 20 generations left take about 20 ms, less than a worker takes to join, so a run
    // that did not wait could end before the late worker was offered anything
    const run = await distributed(s, { servers: nats.url, runId: "late", checkpointEvery: 4, generationTimeout: 20_000, items: 6 });
    for (let g = 0; g < 30; g++) {
      if (g === 10) {
        late = await startWorker({ servers: nats.url, runId: "late", fitness: fit("sphere"), concurrency: 2 });
        await late.ready;
        expect(late.generation).toBeGreaterThanOrEqual(8); // the checkpoint of generation 8, then the log
      }
      run.tell(await run.evaluate());
    }
    await run.close();
    expect(s.stateHash()).toBe(ref);
    await late!.done;
    expect(late!.generation).toBe(30);
    expect(late!.evaluated).toBeGreaterThan(0);
    await early.waitFor(/^done/);
    s.dispose();
  });

  it("nats-server restarted during a run (file storage): the run continues to the same state", async () => {
    const ref = await referenceHash(14);
    const w = await startWorker({ servers: nats.url, runId: "restart", fitness: fit("sphere"), nats: { maxReconnectAttempts: -1, reconnectTimeWait: 50 } });
    const s = csa();
    let restarted: Promise<void> | undefined;
    const r = await distribute(s, {
      servers: nats.url, runId: "restart", maxGenerations: 14, ackWait: 500, generationTimeout: 30_000, nats: { maxReconnectAttempts: -1, reconnectTimeWait: 50 },
      onGeneration: (i) => { if (i.generation === 5) restarted = nats.restart(); },
    });
    await restarted;
    expect(r.strategy.stateHash()).toBe(ref);
    await w.close();
    s.dispose();
  });

  it("a fitness that throws: 'abort' rejects naming the row; 'nan' with retries finishes; a hanging one times out", async () => {
    const w = await startWorker({ servers: nats.url, runId: "throw1", fitness: fit("throwing") });
    await expect(distribute(csa(), { servers: nats.url, runId: "throw1", onError: "abort", maxGenerations: 5, generationTimeout: 10_000 })).rejects.toThrow(/fitness failed on row \d+ of generation 0: RangeError: simulation crashed/);
    await w.close();
    const w2 = await startWorker({ servers: nats.url, runId: "throw2", fitness: fit("throwing") });
    const r = await distribute(new CSAES({ mean: new Array(8).fill(0), sigma: 0.5, seed: 7, popSize: 12 }), { servers: nats.url, runId: "throw2", onError: "nan", retries: 2, maxGenerations: 3, generationTimeout: 10_000 });
    expect(r.generations).toBe(3);
    expect(r.stats.failed).toBeGreaterThan(0);
    expect(Number.isFinite(r.f)).toBe(true);
    await w2.close();
    const w3 = await startWorker({ servers: nats.url, runId: "hang", fitness: fit("hanging"), concurrency: 4 });
    const t0 = Date.now();
    const h = await distribute(csa(), { servers: nats.url, runId: "hang", timeout: 100, maxGenerations: 2, generationTimeout: 10_000 });
    expect(h.generations).toBe(2);
    expect(h.stats.failed).toBeGreaterThan(0);
    expect(Date.now() - t0).toBeLessThan(8000);
    await w3.close();
  });

  it("a worker whose replica hash disagrees is refused and resynchronises; the run is unchanged", async () => {
    const ref = await referenceHash(10);
    const base = await natsTransport({ servers: nats.url });
    // a transport that corrupts the hash of this worker's first two results
    let corrupt = 2;
    const rogue: Transport = {
      close: () => base.close(),
      async open(id, o) {
        const ch = await base.open(id, o);
        const pub = ch.publishResult.bind(ch);
        ch.publishResult = (b) => { if (corrupt > 0) { corrupt--; b = b.slice(); b[12] ^= 0xff; } pub(b); };
        return ch;
      },
    };
    const w = await startWorker({ transport: rogue, runId: "rogue", fitness: fit("sphere") });
    const s = csa();
    const r = await distribute(s, { servers: nats.url, runId: "rogue", maxGenerations: 10, generationTimeout: 10_000 });
    expect(r.stats.refused).toBe(2);
    expect(w.resyncs).toBeGreaterThanOrEqual(1);
    expect(r.strategy.stateHash()).toBe(ref);
    await w.close();
    await base.close();
    s.dispose();
  });
});
