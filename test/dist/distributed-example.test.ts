// examples/distributed runs as its README says, at a small scale: run.mjs starts a nats-server on
// 127.0.0.1 and 2 worker processes, trains OpenAI-ES on MNIST for 2 generations through them, then the
// same seed with examples/mnist's train() in one process, and says whether the two final states are
// identical (state hash and every weight). Its process group is killed if it outlasts the time bound,
// so no server or worker outlives the test.
import { describe, expect, it } from "vitest";
import { spawn, execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { natsAvailable } from "../distributed/helpers.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const have = natsAvailable();

describe.skipIf(!have)("examples/distributed", () => {
  it("trains over 2 worker processes and ends bit-identical to examples/mnist's one-process train() for the same seed", async () => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-dist.mjs")], { cwd: ROOT, stdio: "pipe", timeout: 300_000 });
    // its own process group (detached), so that a kill on timeout reaches the server and the workers
    const p = spawn(process.execPath, [join(ROOT, "examples", "distributed", "run.mjs"), "--workers", "2", "--generations", "2", "--items", "4", "--seed", "3"], { cwd: ROOT, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let out = "", err = "";
    p.stdout!.on("data", (b) => { out += b; });
    p.stderr!.on("data", (b) => { err += b; });
    const code = await new Promise<number | null>((resolve) => {
      const t = setTimeout(() => { try { process.kill(-p.pid!, "SIGKILL"); } catch { /* gone */ } }, 240_000);
      p.once("exit", (c) => { clearTimeout(t); resolve(c); });
    });
    expect(code, `stdout:\n${out}\nstderr:\n${err}`).toBe(0);
    expect(out).toMatch(/^distributed over 2 worker processes: 2 generations in [\d.]+ s, test accuracy [\d.]+%$/m);
    const acc = [...out.matchAll(/test accuracy ([\d.]+)%/g)].map((m) => m[1]);
    expect(acc).toHaveLength(2);
    expect(acc[0]).toBe(acc[1]);
    expect(out).toMatch(/^bit-identical: true$/m);
  }, 300_000);
});
