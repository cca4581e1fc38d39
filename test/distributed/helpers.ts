// Shared by the distributed tests: the server (or a loud skip), worker and coordinator processes, the reference run.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll } from "vitest";
import { fileURLToPath } from "node:url";
import { findNatsServer, startNats } from "../../scripts/nats-server.mjs";
import { CSAES } from "../../src/index.js";
import { distribute } from "../../src/distributed/index.js";

export { startNats } from "../../scripts/nats-server.mjs";

const fixture = fileURLToPath(new URL("../fixtures/distributed-fit.mjs", import.meta.url));
export const fit = (name: string) => ({ module: fixture, name });
export const csa = (seed = 7) => new CSAES({ mean: new Array(8).fill(1), sigma: 0.5, seed, popSize: 12 });

/** The server binary, or a loud message and undefined (the NATS tests then skip). */
export function natsAvailable(): boolean {
  const f = findNatsServer();
  if (!f.path) console.warn(`\n!!! SKIPPING the NATS tests: ${f.reason}\n!!! (the in-process transport tests still ran)\n`);
  return !!f.path;
}

/** The fault-free run's final state hash (in-process: the same bits as over NATS). */
export async function referenceHash(gens: number, seed = 7): Promise<number> {
  const s = csa(seed);
  const r = await distribute(s, { fitness: fit("sphere"), maxGenerations: gens });
  const h = r.strategy.stateHash();
  s.dispose();
  return h;
}

export interface Proc { p: ChildProcess; lines: string[]; waitFor(re: RegExp, ms?: number): Promise<string>; kill(sig?: NodeJS.Signals): Promise<void> }

/** A node process on a fixture script, its stdout lines collected. */
export function spawnNode(script: string, args: string[], env: Record<string, string> = {}): Proc {
  const p = spawn(process.execPath, [fileURLToPath(new URL(`../fixtures/${script}`, import.meta.url)), ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  let buf = "", err = "";
  p.stdout!.on("data", (b) => {
    buf += b;
    let k;
    while ((k = buf.indexOf("\n")) >= 0) { lines.push(buf.slice(0, k)); buf = buf.slice(k + 1); }
    for (const w of waiters) w();
  });
  p.stderr!.on("data", (b) => { err += b; });
  const exited = new Promise<void>((r) => p.once("exit", () => { for (const w of waiters) w(); r(); }));
  return {
    p, lines,
    waitFor(re, ms = 20_000) {
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => { waiters.delete(check); reject(new Error(`no line ${re} within ${ms} ms; stdout: ${lines.slice(-5).join(" | ")}; stderr: ${err.slice(-500)}`)); }, ms);
        const check = () => {
          const l = lines.find((x) => re.test(x));
          if (l) { clearTimeout(t); waiters.delete(check); resolve(l); }
          else if (p.exitCode !== null || p.signalCode !== null) { clearTimeout(t); waiters.delete(check); reject(new Error(`process exited (${p.exitCode ?? p.signalCode}) before ${re}; stderr: ${err.slice(-800)}`)); }
        };
        waiters.add(check);
        check();
      });
    },
    async kill(sig = "SIGKILL") {
      if (p.exitCode === null && p.signalCode === null) { p.kill(sig); await exited; }
    },
  };
}

/**
 * The set-up both NATS suites share: the built package (worker and coordinator processes import dist/),
 * a nats-server on loopback, and the processes a test spawns, all stopped after the suite.
 */
export function natsSuite(): { readonly nats: Awaited<ReturnType<typeof startNats>>; procs: Proc[] } {
  const state = { nats: undefined as unknown as Awaited<ReturnType<typeof startNats>>, procs: [] as Proc[] };
  beforeAll(async () => {
    execFileSync(process.execPath, [fileURLToPath(new URL("../../scripts/ensure-dist.mjs", import.meta.url))], { stdio: "pipe", timeout: 300_000 });
    state.nats = await startNats();
  });
  afterAll(async () => {
    for (const p of state.procs) await p.kill();
    await state.nats?.stop();
  });
  return state;
}
