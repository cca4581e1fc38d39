// The protocol over the in-process transport (no server): replicas, scalars on the wire, faults.
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { CSAES, RMES } from "../../src/index.js";
import { Strategy } from "../../src/contract/strategy.js";
import { minimize } from "../../src/drivers/minimize.js";
import { distribute, distributed, memoryTransport, startWorker } from "../../src/distributed/index.js";

const fixture = fileURLToPath(new URL("../fixtures/distributed-fit.mjs", import.meta.url));
const fit = (name: string) => ({ module: fixture, name });
const csa = (seed = 7, d = 8) => new CSAES({ mean: new Array(d).fill(1), sigma: 0.5, seed, popSize: 12 });

// the fault-free reference: the same strategy told by a plain loop
function reference(make: () => CSAES, gens: number) {
  const s = make();
  const r = minimize((x) => { let t = 0; for (const v of x) t += v * v; return t; }, { method: "csa", mean: new Array(s.dimension).fill(1), sigma: 0.5, seed: 7, popSize: 12, maxEvaluations: gens * 12 });
  s.dispose();
  return r;
}

describe("distribute, in-process", () => {
  it("equals minimize bit for bit (one local worker, this thread)", async () => {
    const s = csa();
    const r = await distribute(s, { fitness: fit("sphere"), maxGenerations: 30 });
    const ref = reference(csa, 30);
    expect(r.generations).toBe(30);
    expect(r.evaluations).toBe(360);
    expect(Array.from(r.x)).toEqual(Array.from(ref.x));
    expect(r.history.bestF).toEqual(ref.history.bestF);
    expect(r.history.sigma).toEqual(ref.history.sigma);
    expect(r.stopReasons).toEqual([]);
    s.dispose();
  });

  it("equals minimize on the thread pool (workers: 2)", async () => {
    const s = csa();
    const r = await distribute(s, { fitness: fit("sphere"), workers: 2, maxGenerations: 20 });
    expect(r.history.bestF).toEqual(reference(csa, 20).history.bestF);
    s.dispose();
  });

  it("several workers on one transport, one of them stopped mid-run: redelivered, nothing counted twice, same state", async () => {
    const ref = csa();
    const r0 = await distribute(ref, { fitness: fit("sphere"), maxGenerations: 15 });
    const t = memoryTransport();
    const ws = await Promise.all([0, 1, 2].map(() => startWorker({ transport: t, fitness: fit("slowSphere"), waitForRun: 5000 })));
    const s = csa();
    let killed = false;
    const r = await distribute(s, {
      transport: t, ackWait: 200, items: 6, maxGenerations: 15, generationTimeout: 10_000,
      onGeneration: (info) => { if (info.generation === 5 && !killed) { killed = true; void ws[0].close(); } },
    });
    expect(killed).toBe(true);
    expect(r.evaluations).toBe(15 * 12);
    expect(r.strategy.stateHash()).toBe(r0.strategy.stateHash());
    expect(r.history.bestF).toEqual(r0.history.bestF);
    for (const w of ws) await w.close();
    await t.close();
    s.dispose(); ref.dispose();
  });

  it("workers draw only their items' rows to evaluate them (askRows on a replica that has not asked), and the run is unchanged", async () => {
    const r0 = await distribute(csa(), { fitness: fit("sphere"), maxGenerations: 8 });
    const t = memoryTransport();
    const ws = await Promise.all([0, 1].map(() => startWorker({ transport: t, fitness: fit("sphere"), waitForRun: 5000 })));
    const s = csa();
    // every askRows call: by whom, at which generation, how many rows, and whether it drew them alone
    // (a replica that has not asked) or read them from the population it drew after an earlier item
    const calls: { who: Strategy; g: number; rows: number; alone: boolean }[] = [];
    const real = Strategy.prototype.askRows;
    Strategy.prototype.askRows = function (this: Strategy, first: number, end: number) {
      calls.push({ who: this, g: this.generation, rows: end - first, alone: !this.asked });
      return real.call(this, first, end);
    };
    try {
      const r = await distribute(s, { transport: t, items: 4, maxGenerations: 8, generationTimeout: 10_000 });
      expect(r.strategy.stateHash()).toBe(r0.strategy.stateHash());
    } finally {
      Strategy.prototype.askRows = real;
    }
    // 8 generations × 4 items of 3 rows: every evaluated row came from askRows on a replica, item by
    // item, and every generation's first item was drawn alone
    expect(calls.length).toBe(32);
    expect(calls.every((c) => c.rows === 3 && c.who !== s)).toBe(true);
    expect(new Set(calls.filter((c) => c.alone).map((c) => c.g))).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7]));
    for (const w of ws) await w.close();
    await t.close();
    s.dispose(); r0.strategy.dispose();
  });

  it("checkpoints: every checkpointEvery generations when given; by default every 10, and less often when a checkpoint costs more than a tenth of the time", async () => {
    // RMES at d = 2·10^5, λ = 4: a 13 MB state (save() and the store about 10 ms or more) against
    // generations of about 2 ms; the same run with either rule ends in the same state
    const make = () => new RMES({ mean: new Float64Array(200_000).fill(0.1), sigma: 0.1, seed: 3, popSize: 4 });
    const run = async (checkpointEvery: number | undefined) => {
      const s = make();
      const r = await distribute(s, { fitness: fit("sphere"), maxGenerations: 60, runId: `ck${checkpointEvery}`, ...(checkpointEvery === undefined ? {} : { checkpointEvery }) });
      const out = { checkpoints: r.stats.checkpoints, hash: s.stateHash() };
      s.dispose();
      return out;
    };
    const given = await run(10), auto = await run(undefined);
    expect(given.checkpoints).toBe(7); // the starting state and generations 10, 20, …, 60
    expect(auto.checkpoints).toBeGreaterThanOrEqual(1);
    expect(auto.checkpoints).toBeLessThanOrEqual(4); // 2 here (the starting state and one more)
    expect(auto.hash).toBe(given.hash);
    // a small state: the default is every 10 generations (checkpoints are cheap next to them)
    const s = new CSAES({ mean: new Array(8).fill(1), sigma: 0.5, seed: 7, popSize: 12, tolFun: 0, tolX: 0 });
    const fitSlow = fit("slowSphere"); // 5 ms per evaluation: generations of 5 ms and more
    const r = await distribute(s, { fitness: fitSlow, maxGenerations: 30, runId: "cksmall" });
    expect(r.stats.checkpoints).toBe(4);
    s.dispose();
  });

  it("sends O(λ) bytes per generation, independent of d (RMES at d = 1e6)", async () => {
    const perGen: number[] = [];
    for (const d of [100, 1_000_000]) {
      const s = new RMES({ mean: new Float64Array(d).fill(0.1), sigma: 0.1, seed: 3, popSize: 8 });
      const r = await distribute(s, { fitness: fit("sphere"), maxGenerations: 3, checkpointEvery: Infinity });
      const b = r.stats.bytes;
      // work, results and the log: everything but the one starting checkpoint in the store
      perGen.push((b.work + b.results + b.log + b.control) / 3);
      expect(b.kv).toBeGreaterThan(8 * d); // the starting checkpoint holds the state
      s.dispose();
    }
    expect(perGen[1]).toBe(perGen[0]);
    expect(perGen[0]).toBeLessThan(64 * 8 * 4); // a few scalars per row
  });

  it("resumes an unfinished run from the checkpoint and the log, ending bit-identical", async () => {
    const ref = csa();
    const r0 = await distribute(ref, { fitness: fit("sphere"), maxGenerations: 25 });
    const t = memoryTransport();
    const w = await startWorker({ transport: t, runId: "r1", fitness: fit("sphere"), waitForRun: 5000 });
    const a = csa();
    // the first coordinator gives up after 13 generations without finishing the run
    await expect(distribute(a, { transport: t, runId: "r1", checkpointEvery: 5, maxGenerations: 25, generationTimeout: 10_000, onGeneration: (i) => { if (i.generation === 13) throw new Error("coordinator died"); } })).rejects.toThrow("coordinator died");
    const w2 = await startWorker({ transport: t, runId: "r1", fitness: fit("sphere"), waitForRun: 5000 });
    const b = csa(99); // a new process's strategy: the run's own state wins
    const r = await distribute(b, { transport: t, runId: "r1", maxGenerations: 25, generationTimeout: 10_000 });
    expect(r.resumed).toBe(true);
    expect(r.generations).toBe(25);
    expect(r.strategy.stateHash()).toBe(r0.strategy.stateHash());
    expect(Array.from(r.strategy.mean)).toEqual(Array.from(r0.strategy.mean));
    await w.close(); await w2.close(); await t.close();
    a.dispose(); b.dispose(); ref.dispose(); r.strategy.dispose();
  });

  describe("distributed(): the ask/tell shape", () => {
    it("ask, evaluate, tell in the caller's loop equals minimize bit for bit", async () => {
      const s = csa();
      const run = await distributed(s, { fitness: fit("sphere") });
      expect(run.strategy).toBe(s);
      expect(run.resumed).toBe(false);
      const pop = run.ask();
      expect(pop.count).toBe(12);
      const first = pop.data.slice(); // the rows the workers drew: ask()'s own
      const f0 = await run.evaluate(); // the asked population's values
      expect(Array.from(f0)).toEqual(Array.from({ length: 12 }, (_, i) => first.subarray(i * 8, i * 8 + 8).reduce((t, v) => t + v * v, 0)));
      run.tell(f0);
      for (let g = 1; g < 30; g++) run.tell(await run.evaluate()); // evaluate() asks when needed
      await run.close();
      const ref = reference(csa, 30);
      expect(s.generation).toBe(30);
      expect(Array.from(s.best.x)).toEqual(Array.from(ref.x));
      expect(s.best.f).toBe(ref.f);
      s.dispose();
    });

    it("tells any values (here a penalty added to the workers' values): the replicas follow, no result is refused", async () => {
      const penalty = (f: Float64Array) => f.map((v, i) => v + 0.01 * i);
      // a plain loop telling the same transformed values
      const plain = csa();
      for (let g = 0; g < 15; g++) {
        const p = plain.ask();
        const f = new Float64Array(12);
        for (let i = 0; i < 12; i++) f[i] = p.row(i).reduce((t, v) => t + v * v, 0);
        plain.tell(penalty(f));
      }
      const t = memoryTransport();
      const ws = await Promise.all([0, 1].map(() => startWorker({ transport: t, runId: "pen", fitness: fit("sphere"), waitForRun: 5000 })));
      const s = csa();
      const run = await distributed(s, { transport: t, runId: "pen", items: 4, generationTimeout: 10_000 });
      for (let g = 0; g < 15; g++) run.tell(penalty(await run.evaluate()));
      await run.close();
      expect(s.stateHash()).toBe(plain.stateHash());
      expect(run.stats.refused).toBe(0);
      for (const w of ws) await w.done; // the run's end reaches them through the log
      expect(ws.map((w) => w.generation)).toEqual([15, 15]);
      await t.close();
      s.dispose(); plain.dispose();
    });

    it("close({ finish: false }) leaves the run to be resumed by the next coordinator of that name", async () => {
      const t = memoryTransport();
      const w = await startWorker({ transport: t, runId: "pause", fitness: fit("sphere"), waitForRun: 5000 });
      const a = csa();
      const first = await distributed(a, { transport: t, runId: "pause", checkpointEvery: 3, generationTimeout: 10_000 });
      for (let g = 0; g < 7; g++) first.tell(await first.evaluate());
      first.ask(); // a generation asked and left: the next coordinator runs it
      await first.close({ finish: false });
      const second = await distributed(csa(5), { transport: t, runId: "pause", generationTimeout: 10_000 });
      expect(second.resumed).toBe(true);
      expect(second.strategy.generation).toBe(7);
      for (let g = 7; g < 20; g++) second.tell(await second.evaluate());
      await second.close();
      const ref = reference(csa, 20);
      expect(Array.from(second.strategy.best.x)).toEqual(Array.from(ref.x));
      await w.done;
      await t.close();
      a.dispose(); second.strategy.dispose();
    });

    it("refuses calls out of order, a tell made on the strategy itself, and distribute's loop options, naming them", async () => {
      await expect(distributed(csa(), { fitness: fit("sphere"), maxGenerations: 5 } as never)).rejects.toThrow(TypeError);
      await expect(distributed(csa(), { fitness: fit("sphere"), onGeneration: () => {} } as never)).rejects.toThrow(/onGeneration.*distribute\(\)/);
      await expect(distributed(csa(), { fitness: fit("sphere"), items: 0 })).rejects.toThrow(/items/);
      const s = csa();
      const run = await distributed(s, { fitness: fit("sphere") });
      expect(() => run.tell(new Float64Array(12))).toThrow(/out of order/);
      run.ask();
      expect(() => run.ask()).toThrow(/out of order/);
      expect(() => run.tell([1, 2])).toThrow(RangeError);
      expect(() => run.tell(Array.from({ length: 12 }, () => "1") as never)).toThrow(TypeError);
      expect(s.generation).toBe(0); // the failed tells changed nothing
      s.tell(await run.evaluate()); // told behind the run's back
      expect(() => run.ask()).toThrow(/told outside run\.tell\(\)/);
      await run.close();
      await expect(run.evaluate()).rejects.toThrow(/closed run/);
      s.dispose();
    });
  });
});
