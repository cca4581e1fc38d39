// Shared by the runtime tests: a consumer directory, child processes with timeouts, and the comparison
// of a runtime's probe result with Node's.
import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, symlinkSync, copyFileSync, writeFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect } from "vitest";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const FIXTURES = join(ROOT, "test", "runtimes");
export const BIN = join(ROOT, "node_modules", ".bin");

/** Builds dist/ when it is missing or stale (call in beforeAll with a generous timeout). */
export function buildDist(): void {
  try {
    const t0 = Date.now();
    execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-dist.mjs")], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], timeout: 300_000, maxBuffer: 16 << 20 });
    if (Date.now() - t0 > 2000) console.log(`dist/ ready after ${((Date.now() - t0) / 1000).toFixed(1)} s (built, or waited for another test file's build)`);
  } catch (e) {
    const err = e as Error & { stdout?: Buffer; stderr?: Buffer };
    const tail = (b?: Buffer) => (b ? b.toString().split("\n").slice(-40).join("\n") : "");
    throw new Error(`dist/ could not be built (scripts/ensure-dist.mjs → asc/tsup failed):\n${tail(err.stdout)}\n${tail(err.stderr)}`);
  }
}

/**
 * A temp directory that consumes the package the way an app does: node_modules/evostrat is a symlink
 * to the repo, so `evostrat` resolves through package.json's exports map. The fixture scripts are
 * copied in next to it.
 */
export function consumerDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "evostrat-consumer-"));
  mkdirSync(join(dir, "node_modules"));
  symlinkSync(ROOT, join(dir, "node_modules", "evostrat"), "dir");
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module", dependencies: { evostrat: "*" } }));
  for (const f of readdirSync(FIXTURES)) if (/\.(mjs|cjs)$/.test(f)) copyFileSync(join(FIXTURES, f), join(dir, f));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs a command (no colours), resolving its output; a failure or a timeout rejects with both streams. */
export function run(cmd: string, args: string[], cwd: string, timeout = 120_000): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) =>
    execFile(cmd, args, { cwd, timeout, maxBuffer: 16 << 20, env: { ...process.env, NO_COLOR: "1" } }, (err, stdout, stderr) =>
      err ? reject(new Error(`$ ${cmd} ${args.join(" ")}: ${err.message}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`)) : resolve({ stdout, stderr }),
    ),
  );
}

export interface ProbeResult {
  exports: Record<string, string>;
  strategies: Record<string, { evaluations: number; stopReason: string; fBits: string }>;
  kernels: { A: string; C: string; y: string } | null;
  minimize: { f: number; fBits: string; x: string; evaluations: number; generations: number; stopReason: string; history: string };
  askTell: { generation: number; evaluations: number; sigma: string; mean: string; bestF: string; savedBytes: number; resumed: boolean };
  ms: number;
}
export interface RunOutput {
  entry: string;
  result: ProbeResult;
}

/** Runs a child process with a timeout; returns the last JSON line of its stdout. On failure the error carries stderr. */
export function runJSON(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string>; timeout?: number }): Promise<RunOutput & { wallMs: number; stderr: string }> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    execFile(
      cmd,
      args,
      { cwd: opts.cwd, env: { ...process.env, NO_COLOR: "1", ...opts.env }, timeout: opts.timeout ?? 30_000, maxBuffer: 16 << 20 },
      (err, stdout, stderr) => {
        const wallMs = Date.now() - t0;
        const show = `\n$ ${cmd} ${args.join(" ")}   (cwd ${opts.cwd}, ${wallMs} ms)\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
        if (err) return reject(new Error(`${err.killed ? "timed out / killed" : `exit ${err.code}`}: ${err.message}${show}`));
        const line = stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop();
        if (!line) return reject(new Error(`no JSON on stdout${show}`));
        try {
          resolve({ ...(JSON.parse(line) as RunOutput), wallMs, stderr });
        } catch (e) {
          reject(new Error(`bad JSON (${(e as Error).message})${show}`));
        }
      },
    );
  });
}

/** Node's own result, the reference every other runtime must match: node consumer.mjs in a consumer dir. */
export async function nodeReference(dir: string): Promise<ProbeResult> {
  const out = await runJSON(process.execPath, ["consumer.mjs"], { cwd: dir });
  checkSolved(out.result, "node (reference)");
  return out.result;
}

/** The run itself is healthy: it reached the target and save/load/continue matched an uninterrupted run. */
export function checkSolved(r: ProbeResult, where: string): void {
  expect(r.minimize.stopReason, `${where}: stopReason`).toBe("target");
  expect(r.minimize.f, `${where}: f`).toBeLessThanOrEqual(1e-8);
  expect(r.minimize.evaluations, `${where}: evaluations`).toBeGreaterThan(0);
  for (const m of ["csa", "xnes", "rmes"]) expect(r.strategies[m]?.stopReason, `${where}: ${m} reaches 1e-4 on sphere d=10`).toBe("target");
  expect(r.kernels, `${where}: kernels ran`).not.toBeNull();
  expect(r.askTell.resumed, `${where}: save → load → continue matches the uninterrupted run`).toBe(true);
}

// Fields that must be bit-identical to Node for the run to count as "the same run".
const bitFields = (r: ProbeResult) => ({
  fBits: r.minimize.fBits,
  x: r.minimize.x,
  history: r.minimize.history,
  sigma: r.askTell.sigma,
  mean: r.askTell.mean,
  bestF: r.askTell.bestF,
});

/**
 * Compares a runtime's result with Node's. Always strict: target reached, and the same evaluation and
 * generation counts as Node for the same seed. Bits (f, x, history, σ, mean): strict as well, since
 * every strategy constant is computed with the core's ln/exp (src/math.ts) rather than the host's
 * Math.log, which differs by 1 ULP between Node 20's V8 and Deno/Bun/Chromium (e.g. Math.log(3)).
 * EVOSTRAT_STRICT_BITS=0 downgrades a bit difference to a warning, for investigating a new runtime.
 */
export function compareWithNode(r: ProbeResult, ref: ProbeResult, where: string, strictBits = false): { bitsEqual: boolean } {
  checkSolved(r, where);
  expect(r.minimize.evaluations, `${where}: evaluations vs Node`).toBe(ref.minimize.evaluations);
  expect(r.minimize.generations, `${where}: generations vs Node`).toBe(ref.minimize.generations);
  expect(r.askTell.evaluations, `${where}: ask/tell evaluations vs Node`).toBe(ref.askTell.evaluations);
  expect(r.askTell.generation, `${where}: ask/tell generation vs Node`).toBe(ref.askTell.generation);
  // Every entry loads and exports the same names as in Node.
  expect(r.exports.index, `${where}: root entry loaded`).toBeTruthy();
  const refExports = Object.fromEntries(Object.keys(r.exports).map((k) => [k, ref.exports[k]]));
  expect(r.exports, `${where}: exported names of every entry vs Node`).toEqual(refExports);
  // Every strategy: the same evaluation count and stop reason as Node for the same seed.
  const counts = (p: ProbeResult) => Object.fromEntries(Object.entries(p.strategies).map(([k, v]) => [k, `${v.evaluations} ${v.stopReason}`]));
  expect(counts(r), `${where}: every strategy's evaluations and stop reason vs Node`).toEqual(counts(ref));
  // evostrat/kernels runs wholly in wasm (RNG, gemm, gemv): bit-identical, always.
  expect(r.kernels, `${where}: kernels (normals, gemm, gemv) bits vs Node`).toEqual(ref.kernels);
  const a = { ...bitFields(r), strategies: Object.values(r.strategies).map((v) => v.fBits) };
  const b = { ...bitFields(ref), strategies: Object.values(ref.strategies).map((v) => v.fBits) };
  const bitsEqual = JSON.stringify(a) === JSON.stringify(b);
  if (strictBits || process.env.EVOSTRAT_STRICT_BITS !== "0") {
    expect(a, `${where}: bits vs Node`).toEqual(b);
  } else if (!bitsEqual) {
    console.warn(`[${where}] same counts as Node, not bit-identical (minimize f ${a.fBits} vs Node ${b.fBits}). Look for a constant computed with the host's Math (use src/math.ts).`);
  }
  return { bitsEqual };
}

/**
 * The set-up every runtime test file shares: build dist/, make a consumer directory that sees the
 * package by name, and take Node's reference result there. Read `dir` and `ref` inside tests.
 */
export function consumerSetup(): { readonly dir: string; readonly ref: ProbeResult } {
  const s = { dir: "", ref: undefined as unknown as ProbeResult, cleanup: () => {} };
  beforeAll(async () => {
    buildDist();
    ({ dir: s.dir, cleanup: s.cleanup } = consumerDir());
    s.ref = await nodeReference(s.dir);
  }, 300_000);
  afterAll(() => s.cleanup());
  return s;
}
