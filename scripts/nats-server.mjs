// A real nats-server for the distributed tests and benchmarks, on 127.0.0.1 only.
//   findNatsServer(): the binary on PATH, or in node_modules/.cache/nats-server, or Debian's package
//     fetched there without root (apt-get download + dpkg -x); undefined (with the reason) when none.
//   startNats({ token, user, pass }): a server on a free port with JetStream in a temporary store;
//     { url, port, stop(), kill(), restart() }. Every caller stops what it started.
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const cache = join(root, "node_modules", ".cache", "nats-server");

function onPath() {
  try {
    return execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

let found;
/** { path } or { reason } */
export function findNatsServer() {
  if (found) return found;
  const p = process.env.NATS_SERVER ?? onPath();
  if (p) return (found = { path: p });
  const bin = join(cache, "x", "usr", "sbin", "nats-server");
  if (existsSync(bin)) return (found = { path: bin });
  try {
    mkdirSync(cache, { recursive: true });
    execFileSync("apt-get", ["download", "nats-server"], { cwd: cache, stdio: "pipe", timeout: 120_000 });
    const deb = readdirSync(cache).find((f) => f.startsWith("nats-server") && f.endsWith(".deb"));
    if (!deb) throw new Error("apt-get download gave no .deb");
    execFileSync("dpkg", ["-x", join(cache, deb), join(cache, "x")], { stdio: "pipe", timeout: 60_000 });
    if (!existsSync(bin)) throw new Error(`no ${bin} in the package`);
    return (found = { path: bin });
  } catch (e) {
    return (found = { reason: `nats-server is not on PATH and Debian's package could not be fetched (${String(e.message ?? e).split("\n")[0]})` });
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// resolves once the server answers with its INFO line
async function waitReady(port, ms = 10_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const ok = await new Promise((resolve) => {
      const c = connect(port, "127.0.0.1");
      c.once("data", (b) => { c.destroy(); resolve(b.toString().startsWith("INFO")); });
      c.once("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(25);
  }
  throw new Error(`nats-server on port ${port} did not start within ${ms} ms`);
}

export async function startNats(auth = {}) {
  const f = findNatsServer();
  if (!f.path) throw new Error(f.reason);
  const port = await freePort();
  const store = mkdtempSync(join(tmpdir(), "evostrat-nats-"));
  const args = ["-a", "127.0.0.1", "-p", String(port), "-js", "-sd", store];
  // a WebSocket listener (for browser workers), on loopback, without TLS: only in a config file
  let wsPort;
  if (auth.websocket) {
    wsPort = await freePort();
    const conf = join(store, "ws.conf");
    writeFileSync(conf, `websocket {\n  host: "127.0.0.1"\n  port: ${wsPort}\n  no_tls: true\n}\n`);
    args.push("-c", conf);
  }
  if (auth.token) args.push("--auth", auth.token);
  if (auth.user) args.push("--user", auth.user, "--pass", auth.pass);
  let proc;
  const start = async () => {
    proc = spawn(f.path, args, { stdio: "ignore" });
    await waitReady(port);
  };
  const exited = () => new Promise((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once("exit", r)));
  await start();
  return {
    url: `nats://127.0.0.1:${port}`,
    wsUrl: wsPort === undefined ? undefined : `ws://127.0.0.1:${wsPort}`,
    port,
    store,
    /** SIGKILL, then start again on the same port and store (file storage survives). */
    async restart() {
      proc.kill("SIGKILL");
      await exited();
      await start();
    },
    async stop() {
      proc.kill("SIGTERM");
      await Promise.race([exited(), sleep(3000)]);
      if (proc.exitCode === null && proc.signalCode === null) { proc.kill("SIGKILL"); await exited(); }
      rmSync(store, { recursive: true, force: true });
    },
  };
}
