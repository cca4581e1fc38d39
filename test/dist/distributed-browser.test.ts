// A browser tab as a worker (issue 11, item 6): a page in Chromium (test/dist/chromium.ts) runs
// startWorker from the built package over WebSocket (nats-server's websocket listener on 127.0.0.1,
// no TLS), joins a run and evaluates its rows; the coordinator is this Node process, with no worker
// of its own. The run ends bit for bit where the in-process run ends. Two pages: one maps the NATS
// package names with an import map; one is an application bundled with esbuild (the package and the
// NATS modules in one file, no import map) that passes its imported modules as `natsModules`, with
// dist/core.wasm copied next to the bundle, as README tells esbuild users.
import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import { copyFile, readFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { execFileSync } from "node:child_process";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { distribute } from "../../src/distributed/index.js";
import { csa, natsAvailable, referenceHash, startNats } from "../distributed/helpers.js";
import { launchChromium } from "./chromium";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TYPES: Record<string, string> = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };
const have = natsAvailable();

// one ES module with what evostrat/distributed takes from the three NATS packages (CommonJS on npm)
async function bundleNats(dir: string): Promise<string> {
  const out = join(dir, "nats-browser.mjs");
  const entry = [
    `export { wsconnect } from "@nats-io/nats-core";`,
    `export { jetstream, jetstreamManager, AckPolicy, RetentionPolicy, StorageType, DeliverPolicy } from "@nats-io/jetstream";`,
    `export { Kvm } from "@nats-io/kv";`,
  ].join("\n");
  // the entry on stdin, resolved from the repository (its node_modules)
  execFileSync(join(ROOT, "node_modules", ".bin", "esbuild"), ["--bundle", "--format=esm", "--platform=browser", `--outfile=${out}`, "--log-level=error"], { cwd: ROOT, input: entry, stdio: ["pipe", "pipe", "pipe"], timeout: 60_000 });
  return out;
}

// an application bundled with esbuild: evostrat/distributed from dist/ and the NATS modules it passes
// as natsModules (evostrat's own import by name would find nothing here: there is no import map)
async function bundleApp(dir: string): Promise<void> {
  const entry = [
    `import { startWorker } from ${JSON.stringify(join(ROOT, "dist", "distributed.mjs"))};`,
    `import * as core from "@nats-io/nats-core";`,
    `import * as jetstream from "@nats-io/jetstream";`,
    `import * as kv from "@nats-io/kv";`,
    `const q = new URLSearchParams(location.search);`,
    `const out = (window.__worker = {});`,
    `try {`,
    `  const w = await startWorker({ servers: q.get("ws"), runId: q.get("run"), natsModules: { transport: core, jetstream, kv }, fitness: { module: new URL("/test/fixtures/distributed-fit.mjs", location.href).href, name: "sphere" } });`,
    `  await w.ready;`,
    `  await w.done;`,
    `  out.done = { evaluated: w.evaluated, generation: w.generation, id: w.id };`,
    `} catch (e) { out.error = String((e && e.stack) || e); }`,
  ].join("\n");
  execFileSync(join(ROOT, "node_modules", ".bin", "esbuild"), ["--bundle", "--format=esm", "--platform=browser", `--outfile=${join(dir, "app.mjs")}`, "--log-level=error"], { cwd: ROOT, input: entry, stdio: ["pipe", "pipe", "pipe"], timeout: 60_000 });
  // esbuild leaves new URL("./core.wasm", import.meta.url) as it is: the core goes next to the bundle
  await copyFile(join(ROOT, "dist", "core.wasm"), join(dir, "core.wasm"));
  await writeFile(join(dir, "app.html"), `<!doctype html><meta charset="utf-8"><title>a bundled worker page</title><script type="module" src="/app.mjs"></script>`);
}

async function serve(dir: string) {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    const own = ["/nats-browser.mjs", "/app.mjs", "/app.html", "/core.wasm"].includes(path);
    const file = own ? join(dir, path) : /^\/(dist|test\/fixtures)\//.test(path) && !path.includes("..") ? join(ROOT, path) : undefined;
    if (!file) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(await readFile(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}

describe.skipIf(!have)("evostrat/distributed: a browser tab as a worker", () => {
  it("pages in Chromium join runs over WebSocket (an import map; a bundled app passing natsModules), evaluate every row, and each run equals the in-process one bit for bit", async () => {
    execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-dist.mjs")], { cwd: ROOT, stdio: "pipe", timeout: 300_000 });
    const dir = await mkdtemp(join(tmpdir(), "evostrat-nats-browser-"));
    const nats = await startNats({ websocket: true });
    let server: Awaited<ReturnType<typeof serve>> | undefined;
    let browser: Awaited<ReturnType<typeof launchChromium>>["browser"] | undefined;
    const logs: string[] = [];
    try {
      await bundleNats(dir);
      await bundleApp(dir);
      server = await serve(dir);
      ({ browser } = await launchChromium());
      const ref = await referenceHash(20);
      // one page, navigated from one worker page to the other (a headless shell in single-process
      // mode, as @sparticuz/chromium runs, ends with its last page)
      const page = await browser.newPage();
      page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
      page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
      for (const [page0, runId] of [["/test/fixtures/distributed-browser.html", "browser"], ["/app.html", "bundled"]]) {
        await page.goto(`${server.url}${page0}?ws=${encodeURIComponent(nats.wsUrl!)}&run=${runId}`);
        // the page connects, then waits for the run: start it (workers: 0, the page is the only worker)
        await page.waitForFunction(() => (window as unknown as { __worker?: object }).__worker, null, { timeout: 30_000 });
        const s = csa();
        const r = await distribute(s, { servers: nats.url, runId, workers: 0, maxGenerations: 20, generationTimeout: 20_000 });
        await page.waitForFunction(() => { const w = (window as unknown as { __worker: { done?: unknown; error?: string } }).__worker; return w.done || w.error; }, null, { timeout: 30_000 });
        const out = await page.evaluate(() => (window as unknown as { __worker: { done?: { evaluated: number; generation: number }; error?: string } }).__worker);
        expect(out.error, `${page0}: ${logs.join("\n")}`).toBeUndefined();
        expect(r.generations).toBe(20);
        expect(out.done!.generation).toBe(20);
        expect(out.done!.evaluated).toBe(20 * 12);
        expect(r.strategy.stateHash()).toBe(ref);
        s.dispose();
      }
    } finally {
      await browser?.close();
      await server?.close();
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 240_000);
});
