// The README's secured server: a nats-server that requires a token, and one that requires a user and
// password (each started here on 127.0.0.1). The right credentials give the in-process run bit for bit;
// wrong or missing ones are refused at connect, with the server's authorization error, before any run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { distribute, startWorker } from "../../src/distributed/index.js";
import { csa, fit, natsAvailable, referenceHash, startNats } from "./helpers.js";

const have = natsAvailable();

describe.skipIf(!have)("distribute over a secured nats-server", () => {
  let tokenServer: Awaited<ReturnType<typeof startNats>>, userServer: Awaited<ReturnType<typeof startNats>>;
  beforeAll(async () => {
    tokenServer = await startNats({ token: "s3cret" });
    userServer = await startNats({ user: "es", pass: "pa55" });
  });
  afterAll(async () => {
    await tokenServer?.stop();
    await userServer?.stop();
  });

  const run = async (servers: string, creds: { token?: string; user?: string; pass?: string }, runId: string) => {
    const w = await startWorker({ servers, ...creds, runId, fitness: fit("sphere"), concurrency: 2 });
    const s = csa();
    try {
      const r = await distribute(s, { servers, ...creds, runId, maxGenerations: 10, generationTimeout: 10_000 });
      await w.done;
      return { hash: r.strategy.stateHash(), evaluated: w.evaluated, evaluations: r.evaluations };
    } finally {
      await w.close();
      s.dispose();
    }
  };

  it("a token: the run equals the in-process one; a wrong or missing token is refused at connect", async () => {
    const ref = await referenceHash(10);
    const r = await run(tokenServer.url, { token: "s3cret" }, "tok");
    expect(r.hash).toBe(ref);
    expect(r.evaluated).toBe(r.evaluations);
    for (const creds of [{ token: "wrong" }, {}]) {
      const s = csa();
      await expect(distribute(s, { servers: tokenServer.url, ...creds, runId: "tokbad", maxGenerations: 2, generationTimeout: 5_000 })).rejects.toThrow(/authori[sz]ation/i);
      s.dispose();
      await expect(startWorker({ servers: tokenServer.url, ...creds, runId: "tokbad", fitness: fit("sphere") })).rejects.toThrow(/authori[sz]ation/i);
    }
  });

  it("a user and password: the run equals the in-process one; a wrong password is refused", async () => {
    const ref = await referenceHash(10);
    const r = await run(userServer.url, { user: "es", pass: "pa55" }, "usr");
    expect(r.hash).toBe(ref);
    const s = csa();
    await expect(distribute(s, { servers: userServer.url, user: "es", pass: "nope", runId: "usrbad", maxGenerations: 2, generationTimeout: 5_000 })).rejects.toThrow(/authori[sz]ation/i);
    s.dispose();
  });
});
