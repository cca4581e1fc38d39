// A page bundled with esbuild, which leaves `new URL("./core.wasm", import.meta.url)` as it is and so
// does not ship the core: the two ways README gives esbuild users, each in Chromium.
//   - core.wasm copied next to the bundle (here served as application/octet-stream, as a server that
//     does not know .wasm would: the entry falls back from compileStreaming to arrayBuffer + compile);
//   - no copy: the import still succeeds, the first construction throws an evostrat Error naming the URL
//     that failed and what to do, and provideCore(await WebAssembly.compileStreaming(fetch(url))) with
//     the core served elsewhere makes it work.
// Both must give Node's bits. The bundle imports `evostrat` by name (a consumer directory whose
// node_modules/evostrat is the package), under esbuild's browser conditions: dist/index.mjs.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createServer } from "node:http";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join, normalize } from "node:path";
import { ROOT, buildDist, consumerDir, nodeReference, compareWithNode, type ProbeResult } from "../runtimes/harness";
import { launchChromium } from "./chromium";

let dir = "";
let cleanup = () => {};
let ref: ProbeResult;

beforeAll(async () => {
  buildDist();
  ({ dir, cleanup } = consumerDir());
  ref = await nodeReference(dir);
  const esbuild = await import("esbuild");
  const bundle = async (name: string, code: string) => {
    writeFileSync(join(dir, `${name}.src.mjs`), code);
    mkdirSync(join(dir, "public", name), { recursive: true });
    await esbuild.build({ entryPoints: [join(dir, `${name}.src.mjs`)], bundle: true, format: "esm", platform: "browser", outfile: join(dir, "public", name, "app.mjs"), logLevel: "silent" });
    writeFileSync(join(dir, "public", name, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./app.mjs"></script>`);
  };
  const head = `import * as api from "evostrat";\nimport * as kernels from "evostrat/kernels";\nimport { probe } from "./probe.mjs";\n`;
  await bundle("copied", `${head}try { window.__out = { result: probe(api, { kernels }) }; } catch (e) { window.__out = { error: String(e && e.stack || e) }; }\n`);
  // README: `cp node_modules/evostrat/dist/core.wasm` next to the bundle
  copyFileSync(join(dir, "node_modules", "evostrat", "dist", "core.wasm"), join(dir, "public", "copied", "core.wasm"));
  await bundle(
    "provided",
    `${head}const out = (window.__out = {});\n` +
      `try { new api.CSAES({ mean: [1, 2], sigma: 1, seed: 1 }); out.before = "constructed"; } catch (e) { out.before = { name: e.name, message: e.message }; }\n` +
      `try {\n  api.provideCore(await WebAssembly.compileStreaming(fetch("/assets/core.wasm")));\n  out.result = probe(api, { kernels });\n} catch (e) { out.error = String(e && e.stack || e); }\n`,
  );
  mkdirSync(join(dir, "public", "assets"));
  copyFileSync(join(dir, "node_modules", "evostrat", "dist", "core.wasm"), join(dir, "public", "assets", "core.wasm"));
}, 300_000);
afterAll(() => cleanup());

async function serve(root: string) {
  const requests: string[] = [];
  const types: Record<string, string> = { ".html": "text/html", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(/\/$/, "/index.html");
    requests.push(path);
    // the copied page's core as a server that does not know .wasm would send it
    const type = path.startsWith("/copied/") && path.endsWith(".wasm") ? "application/octet-stream" : (types[extname(path)] ?? "application/octet-stream");
    try {
      const body = readFileSync(join(root, path));
      res.writeHead(200, { "content-type": type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}

type Out = { result?: ProbeResult; error?: string; before?: string | { name: string; message: string } };

async function visit(page: string): Promise<{ out: Out; requests: string[] }> {
  const { browser } = await launchChromium();
  const server = await serve(join(dir, "public"));
  try {
    const p = await browser.newPage();
    const logs: string[] = [];
    p.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
    await p.goto(`${server.url}/${page}/`, { timeout: 15_000 });
    await p.waitForFunction(() => (window as unknown as { __out?: { result?: unknown; error?: unknown } }).__out?.result ?? (window as unknown as { __out?: { error?: unknown } }).__out?.error, null, { timeout: 20_000 }).catch((e: Error) => {
      throw new Error(`${page}: the page never finished (${e.message})\n${logs.join("\n")}\nrequests: ${server.requests.join(" ")}`);
    });
    const out = await p.evaluate(() => (window as unknown as { __out: Out }).__out);
    expect(logs).toEqual([]);
    return { out, requests: [...server.requests] };
  } finally {
    await browser.close();
    await server.close();
  }
}

describe("an esbuild bundle in Chromium", () => {
  it("with core.wasm copied next to the bundle (served without application/wasm) gives Node's bits", async () => {
    const { out, requests } = await visit("copied");
    if (out.error) throw new Error(out.error);
    compareWithNode(out.result!, ref, "esbuild bundle, core.wasm copied");
    expect(requests).toContain("/copied/core.wasm");
  });

  it("without it: the import succeeds, construction says which URL failed, and provideCore() makes it work", async () => {
    const { out, requests } = await visit("provided");
    expect(out.before).toMatchObject({ name: "Error" });
    const msg = (out.before as { message: string }).message;
    expect(msg).toMatch(/^evostrat: could not load the WebAssembly core from http:\/\/127\.0\.0\.1:\d+\/provided\/core\.wasm \(HTTP 404\)/);
    expect(msg).toContain("provideCore()");
    if (out.error) throw new Error(out.error);
    compareWithNode(out.result!, ref, "esbuild bundle, provideCore()");
    expect(requests.filter((r) => r.endsWith(".wasm"))).toEqual(["/provided/core.wasm", "/assets/core.wasm"]);
  });
});
