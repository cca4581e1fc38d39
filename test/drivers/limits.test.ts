// Every run ends (issue 9): time limits hold while an evaluation is pending, a per-evaluation timeout,
// a pool that rejects at the first error and is terminated by force, and a fitness that writes into
// its x changes nothing. The fixtures in test/fixtures/hang-fit.mjs hang (a Promise that never
// settles, or a thread that spins forever).
import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { minimize, type MinimizeOptions } from "../../src/drivers/minimize";

const hang = fileURLToPath(new URL("../fixtures/hang-fit.mjs", import.meta.url));
const sphere = (x: Float64Array) => { let s = 0; for (let i = 0; i < x.length; i++) s += x[i] * x[i]; return s; };
const never = () => new Promise<number>(() => {});
const secs = () => performance.now() / 1000;
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Runs `body` (an async script over src/, bundled with esbuild as the package is) in a child Node
 * process that must exit by itself, with nothing left running: resolves its stdout, rejects when it
 * had to be killed after `ms`.
 */
async function exitsBy(body: string, ms: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "evostrat-exit-"));
  try {
    const entry = join(dir, "entry.ts"), out = join(dir, "out.mjs");
    const { writeFileSync } = await import("node:fs");
    writeFileSync(entry, `import { minimize } from ${JSON.stringify(join(ROOT, "src/drivers/minimize.ts"))};\nimport { XNES } from ${JSON.stringify(join(ROOT, "src/faces/neorl/index.ts"))};\nconst hang = ${JSON.stringify(hang)};\n${body}`);
    await build({ entryPoints: [entry], outfile: out, bundle: true, format: "esm", platform: "node", target: "node20", loader: { ".wasm": "binary" }, logLevel: "silent" });
    return await new Promise<string>((resolve, reject) =>
      execFile(process.execPath, [out], { timeout: ms, killSignal: "SIGKILL" }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout))),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("minimize: every run ends", () => {
  it("maxTime holds while a Promise never settles: the run ends with \"maxTime\" and the best so far", async () => {
    let calls = 0;
    const f = (x: Float64Array) => (++calls > 6 * 5 ? never() : Promise.resolve(sphere(x)));
    const t0 = secs();
    const r = await minimize(f, { mean: [1, 2, 3], sigma: 0.5, seed: 1, popSize: 6, maxTime: 0.3 });
    const took = secs() - t0;
    expect(took).toBeGreaterThanOrEqual(0.29);
    expect(took).toBeLessThan(2);
    expect(r.stopReason).toBe("maxTime");
    expect(r.generations).toBe(5); // the sixth generation was abandoned, not told
    expect(r.evaluations).toBe(30);
    expect(Number.isFinite(r.f)).toBe(true);
    expect(r.f).toBe(sphere(r.x));
  });

  it("…from the very first evaluation, and over restarts", async () => {
    const r = await minimize(never, { mean: [1, 2], seed: 1, maxTime: 0.1 });
    expect(r.stopReason).toBe("maxTime");
    expect(r.evaluations).toBe(0);
    expect(r.f).toBe(Infinity);
    let calls = 0;
    const g = (x: Float64Array) => (++calls > 500 ? never() : Promise.resolve(sphere(x)));
    const t0 = secs();
    const rr = await minimize(g, { mean: [1, 2], seed: 1, maxTime: 0.2, restarts: { kind: "ipop", maxRestarts: 50 } });
    expect(secs() - t0).toBeLessThan(2);
    expect(rr.stopReason).toBe("maxTime");
    expect(rr.evaluations).toBeLessThanOrEqual(500);
  });

  it("a per-evaluation timeout rejects with an Error naming it; the timers do not keep the process alive", async () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    await expect(minimize(never, { mean: [1, 2], seed: 1, timeout: 0.05 })).rejects.toThrow(/did not settle within timeout = 0.05 s/);
    expect(process.getActiveResourcesInfo().filter((r) => r === "Timeout").length).toBeLessThanOrEqual(before);
    // a fitness that answers in time is unaffected, bit for bit
    const opts = { method: "csa" as const, mean: [1, 2], sigma: 0.5, seed: 3, maxEvaluations: 300 };
    const a = await minimize((x: Float64Array) => Promise.resolve(sphere(x)), { ...opts, timeout: 5, maxTime: 60 });
    expect(a).toEqual(minimize(sphere, opts));
    expect(() => minimize(sphere, { mean: [1], timeout: 0 })).toThrow(RangeError);
    expect(() => minimize(sphere, { mean: [1], timeout: "1" as never })).toThrow(TypeError);
  });

  it("workers: one hung worker never hides another's error: the first error rejects at once and every worker is terminated", async () => {
    for (const name of ["throwOrHang", "throwOrSpin"]) {
      const t0 = secs();
      const err = await minimize({ module: hang, name }, { mean: [1, 2, 3], seed: 1, popSize: 8, workers: 2 }).catch((e) => e);
      expect(err).toBeInstanceOf(RangeError);
      expect(err.message).toMatch(/simulation crashed/);
      expect(secs() - t0).toBeLessThan(5);
    }
  });

  it("workers: maxTime and timeout hold while a worker hangs (never settles, or spins), and the pool is terminated", async () => {
    const t0 = secs();
    const r = await minimize({ module: hang, name: "never" }, { mean: [1, 2, 3], seed: 1, workers: 2, maxTime: 0.5 });
    expect(r.stopReason).toBe("maxTime");
    expect(secs() - t0).toBeLessThan(5);
    await expect(minimize({ module: hang, name: "spin" }, { mean: [1, 2, 3], seed: 1, workers: 2, timeout: 0.2 })).rejects.toThrow(/timeout = 0.2 s/);
    const r2 = await minimize({ module: hang, name: "spin" }, { mean: [1, 2, 3], seed: 1, workers: 2, maxTime: 0.3 });
    expect(r2.stopReason).toBe("maxTime");
  });

  it("the process exits by itself after a hung worker, a timeout or a deadline (no thread or timer left behind)", async () => {
    const out = await exitsBy(`
const bounds = { a: ["float", -5, 5], b: ["float", -5, 5], c: ["float", -5, 5] };
const said = [];
said.push(await minimize({ module: hang, name: "throwOrSpin" }, { mean: [1, 2, 3], seed: 1, popSize: 8, workers: 2 }).catch((e) => e.name));
said.push(await minimize({ module: hang, name: "spin" }, { mean: [1, 2, 3], seed: 1, workers: 2, timeout: 0.2 }).catch((e) => e.name));
said.push((await minimize({ module: hang, name: "never" }, { mean: [1, 2, 3], seed: 1, workers: 2, maxTime: 0.2 })).stopReason);
said.push(await new XNES({ mode: "min", bounds, seed: 1, ncores: 2, fit: { module: hang, name: "throwOrHang" } }).evolute(5).catch((e) => e.name));
said.push(await new XNES({ mode: "min", bounds, seed: 1, fit: () => new Promise(() => {}), timeout: 0.1 }).evolute(5).catch((e) => e.name));
console.log(JSON.stringify(said));
`, 30_000);
    expect(JSON.parse(out.trim())).toEqual(["RangeError", "Error", "maxTime", "RangeError", "Error"]);
  });
});

describe("minimize: inputs are read once", () => {
  it("a fitness that writes into its x changes neither the run nor the reported best point", () => {
    for (const method of ["csa", "xnes", "rmes", "simple", "openai"] as const) {
      const opts = { method, mean: [1, -2, 0.5], sigma: 0.3, seed: 7, maxEvaluations: 400 } as MinimizeOptions;
      const clean = minimize(sphere, opts);
      const vandal = minimize((x: Float64Array) => { const v = sphere(x); x.fill(1e6); return v; }, opts);
      expect(vandal).toEqual(clean);
      expect(clean.f).toBe(sphere(clean.x));
    }
  });

  it("…asynchronously and over restarts too", async () => {
    const opts = { mean: [1, -2, 0.5], sigma: 0.3, seed: 7, maxEvaluations: 600, restarts: { kind: "pypop7" as const } };
    const clean = minimize(sphere, opts);
    const vandal = await minimize(async (x: Float64Array) => { const v = sphere(x); x.fill(NaN); return v; }, opts);
    expect(vandal).toEqual(clean);
  });
});
