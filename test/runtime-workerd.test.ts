// workerd (Cloudflare Workers) through miniflare: the worker imports the workerd entry, whose
// `../core.wasm` import is a CompiledWasm module (workerd refuses to compile wasm from bytes).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import { Miniflare } from "miniflare";
import { ROOT, FIXTURES, buildDist, consumerDir, nodeReference, compareWithNode, type ProbeResult } from "./runtimes/harness";

let cleanup = () => {};
let ref: ProbeResult;

beforeAll(async () => {
  buildDist();
  const c = consumerDir();
  cleanup = c.cleanup;
  ref = await nodeReference(c.dir);
}, 300_000);
afterAll(() => cleanup());

describe("workerd (miniflare)", () => {
  it("dist/workerd/index.mjs solves sphere d=10 inside a Worker; the bytes entry is refused there", async () => {
    const t0 = Date.now();
    const mf = new Miniflare({
      modules: true,
      scriptPath: join(FIXTURES, "worker.mjs"),
      // The worker imports ../../dist/...: module names are taken relative to the repo root.
      modulesRoot: ROOT,
      modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
      compatibilityDate: "2025-01-01",
      cf: false,
    });
    let body: string;
    try {
      const res = await Promise.race([
        mf.dispatchFetch("http://localhost/"),
        new Promise<never>((_, rej) => setTimeout(() => rej(new Error("workerd: no response within 30 s")), 30_000)),
      ]);
      body = await res.text();
      expect(res.status, body).toBe(200);
    } finally {
      await mf.dispose();
    }
    const out = JSON.parse(body) as { result?: ProbeResult; error?: string; bytesEntry: string };
    expect(out.error, "probe threw inside workerd").toBeUndefined();
    const { bitsEqual } = compareWithNode(out.result!, ref, "workerd");
    // Documents why the workerd condition exists: compiling from bytes is disallowed by the embedder.
    expect(out.bytesEntry).toMatch(/disallowed by embedder/);
    console.log(`workerd: ${out.result!.minimize.evaluations} evaluations, bits = Node: ${bitsEqual}, ${Date.now() - t0} ms`);
  });
});
