// 20 trials of a worker SIGKILLed mid-generation against a real nats-server (issue 11, item 3); the
// normal suite runs 2 (test/distributed/nats.test.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { distribute } from "../../src/distributed/index.js";
import { csa, natsAvailable, referenceHash, spawnNode, natsSuite, startNats } from "../distributed/helpers.js";

const have = natsAvailable();

describe.skipIf(!have)("worker SIGKILL, 20 trials", () => {
  const suite = natsSuite(), procs = suite.procs;
  let nats: Awaited<ReturnType<typeof startNats>>;
  beforeAll(() => { nats = suite.nats; });

  it("every trial ends in the fault-free state, every row counted once", async () => {
    const ref = await referenceHash(12);
    for (let trial = 0; trial < 20; trial++) {
      const runId = `kill${trial}`;
      const ws = [0, 1, 2].map(() => spawnNode("distributed-worker.mjs", [nats.url, runId, "slowSphere", "2"], { EVOSTRAT_SLOW_MS: "10" }));
      procs.push(...ws);
      const s = csa();
      let killed: Promise<void> | undefined;
      const victim = ws[trial % 3];
      const r = await distribute(s, {
        servers: nats.url, runId, ackWait: 300, items: 6, maxGenerations: 12, generationTimeout: 20_000,
        // a different generation and moment in the generation for each trial; at generation 6 at
        // the latest, so the kill (at most 39 ms later) lands before the run ends (6 generations of at
        // least 10 ms each: slowSphere waits 10 ms per row). Generation 9 with 39 ms, as before, could
        // come after the 12th generation on a quick run, and the trial then had no fault.
        onGeneration: (i) => { if (i.generation === 1 + (trial % 6)) setTimeout(() => { killed = victim.kill("SIGKILL"); }, (trial * 7) % 40); },
      });
      await killed;
      expect(victim.p.signalCode, `trial ${trial}: the victim exited with ${victim.p.exitCode} before the kill`).toBe("SIGKILL");
      expect(r.evaluations).toBe(144);
      expect(r.strategy.stateHash()).toBe(ref);
      for (const w of ws) if (w !== victim) await w.waitFor(/^done/);
      s.dispose();
    }
  });
});
