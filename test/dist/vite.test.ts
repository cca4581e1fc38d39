// An app that installs the packed tarball (npm pack, then npm install of the .tgz, as a user would) and
// is bundled by Vite (the devDependency's version) and webpack 5, with no configuration at all, then
// run in Chromium: each must ship core.wasm as an asset, keep the entry's top-level await, and give
// Node's bits for the same calls (the probe every runtime test runs, test/runtimes/probe.mjs).
//   - `vite build`, its output served as plain static files;
//   - `vite dev` (the dev server), whose dependency pre-bundling moves the entry into
//     node_modules/.vite/deps/: Vite 8 rewrites the core's URL to follow it (Vite 6 and 7 did not, and
//     needed optimizeDeps.exclude, as README says: tried by hand with 6.4.6 and 7.3.8);
//   - webpack's production build (classic script output), which warns twice that an import() takes an
//     expression (the fitness-module loader and Node's worker_threads): those warnings, and no others.
// The Node reference runs the same installed tarball.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { ROOT, FIXTURES, buildDist, run, nodeReference, compareWithNode, type ProbeResult } from "../runtimes/harness";
import { launchChromium } from "./chromium";

const VITE = (JSON.parse(readFileSync(join(ROOT, "node_modules", "vite", "package.json"), "utf8")) as { version: string }).version;
const WEBPACK = (JSON.parse(readFileSync(join(ROOT, "node_modules", "webpack", "package.json"), "utf8")) as { version: string }).version;

let dir = "";
let ref: ProbeResult;

// The page's code, bundled as is by both: the probe over the root entry and evostrat/kernels.
const APP = `import * as api from "evostrat";
import * as kernels from "evostrat/kernels";
import { probe } from "./probe.mjs";
try { window.__out = { result: probe(api, { kernels }) }; } catch (e) { window.__out = { error: String((e && e.stack) || e) }; }
`;

beforeAll(async () => {
  buildDist();
  dir = mkdtempSync(join(tmpdir(), "evostrat-vite-"));
  const { stdout } = await run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], ROOT);
  const tgz = (JSON.parse(stdout.slice(stdout.indexOf("["))) as { filename: string }[])[0].filename;
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "vite-consumer", private: true, type: "module" }));
  // the tarball has no dependencies: nothing is fetched
  await run("npm", ["install", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", "--no-package-lock", `./${tgz}`], dir);
  for (const f of ["probe.mjs", "consumer.mjs"]) copyFileSync(join(FIXTURES, f), join(dir, f));
  writeFileSync(join(dir, "app.mjs"), APP);
  writeFileSync(join(dir, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./app.mjs"></script>`);
  ref = await nodeReference(dir);
}, 300_000);
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Serves a directory as plain static files (no bundler logic), logging the paths asked for. */
async function serve(root: string) {
  const requests: string[] = [];
  const types: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/\/$/, "/index.html");
    requests.push(path);
    try {
      res.writeHead(200, { "content-type": types[extname(path)] ?? "application/octet-stream" }).end(readFileSync(join(root, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, requests, close: () => closeServer(server) };
}

const closeServer = (server: Server) =>
  new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });

type Out = { result?: ProbeResult; error?: string };

/** Loads a URL in Chromium and returns what the page put in window.__out; page errors fail. */
async function visit(url: string, where: string, requests: () => string[]): Promise<ProbeResult> {
  const { browser } = await launchChromium();
  try {
    const p = await browser.newPage();
    const logs: string[] = [];
    p.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await p.goto(url, { timeout: 15_000 });
    await p.waitForFunction(() => (window as unknown as { __out?: Out }).__out, null, { timeout: 20_000 }).catch((e: Error) => {
      throw new Error(`${where}: the page never finished (${e.message})\n${logs.join("\n")}\nrequests: ${requests().join(" ")}`);
    });
    const out = await p.evaluate(() => (window as unknown as { __out: Out }).__out);
    if (out.error) throw new Error(`${where}: ${out.error}`);
    expect(logs, where).toEqual([]);
    return out.result!;
  } finally {
    await browser.close();
  }
}

describe(`Vite ${VITE}, no configuration`, () => {
  it("vite build: core.wasm becomes a hashed asset, and the page served statically gives Node's bits", async () => {
    const { build } = await import("vite");
    const outDir = join(dir, "out-vite");
    await build({ root: dir, configFile: false, logLevel: "silent", build: { outDir, emptyOutDir: true } });
    const server = await serve(outDir);
    try {
      const result = await visit(server.url, "vite build", () => server.requests);
      compareWithNode(result, ref, `vite ${VITE} build`);
      expect(server.requests.filter((r) => r.endsWith(".wasm"))).toEqual([expect.stringMatching(/^\/assets\/core-[\w-]+\.wasm$/)]);
    } finally {
      await server.close();
    }
  });

  it("vite dev: the pre-bundled entry still finds core.wasm (no optimizeDeps.exclude)", async () => {
    const { createServer: createViteServer } = await import("vite");
    const vite = await createViteServer({ root: dir, configFile: false, logLevel: "silent", server: { host: "127.0.0.1", port: 0, hmr: false } });
    try {
      await vite.listen();
      const url = vite.resolvedUrls!.local[0];
      const requests: string[] = [];
      const result = await visit(url, "vite dev", () => requests);
      compareWithNode(result, ref, `vite ${VITE} dev`);
      // it did pre-bundle evostrat (else this test would not cover what README warns about)
      expect(readFileSync(join(dir, "node_modules", ".vite", "deps", "_metadata.json"), "utf8")).toContain('"evostrat"');
    } finally {
      await vite.close();
    }
  });
});

describe(`webpack ${WEBPACK}, no configuration`, () => {
  it("production build: core.wasm becomes an asset, and the page gives Node's bits", async () => {
    const { default: webpack } = await import("webpack");
    const outDir = join(dir, "out-webpack");
    const stats = await new Promise<import("webpack").Stats>((resolve, reject) =>
      webpack({ mode: "production", context: dir, entry: "./app.mjs", output: { path: outDir, filename: "app.js" } }, (err, s) => (err || !s ? reject(err ?? new Error("webpack: no stats")) : resolve(s))),
    );
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    expect(info.errors ?? [], "webpack errors").toEqual([]);
    // evostrat's two import(expression) calls; any other warning is new and worth reading
    expect((info.warnings ?? []).map((w) => w.message)).toEqual([expect.stringMatching(/Critical dependency: the request of a dependency is an expression/), expect.stringMatching(/Critical dependency: the request of a dependency is an expression/)]);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(join(outDir, "index.html"), `<!doctype html><meta charset="utf-8"><script src="./app.js"></script>`);
    const server = await serve(outDir);
    try {
      const result = await visit(server.url, "webpack", () => server.requests);
      compareWithNode(result, ref, `webpack ${WEBPACK}`);
      expect(server.requests.filter((r) => r.endsWith(".wasm"))).toEqual([expect.stringMatching(/^\/[0-9a-f]+\.wasm$/)]);
    } finally {
      await server.close();
    }
  });
});
