// evostrat/neorl in Chromium (the one test/dist/chromium.ts chooses, via playwright-core): ncores = 2 evaluates on
// Web Workers (workerpool's browser build, through an import map), with the same result as in Node.
import { describe, expect, it } from "vitest";
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { XNES } from "../../src/neorl";
import { launchChromium } from "./chromium";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TYPES: Record<string, string> = { ".html": "text/html", ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm" };

async function serve() {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!/^\/(dist|test\/fixtures|node_modules\/workerpool\/dist)\//.test(path) || path.includes("..")) return void res.writeHead(404).end();
    try {
      res.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" }).end(await readFile(join(ROOT, path)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise<void>((r) => { server.closeAllConnections?.(); server.close(() => r()); }) };
}

describe("evostrat/neorl in Chromium", () => {
  it("ncores = 2 on Web Workers gives the in-thread result, and Node's", async () => {
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, [join(ROOT, "scripts", "ensure-dist.mjs")], { cwd: ROOT, stdio: "pipe", timeout: 300_000 });
    const { browser } = await launchChromium();
    const server = await serve();
    const logs: string[] = [];
    let out: { inThread?: unknown; workers?: unknown; error?: string };
    try {
      const page = await browser.newPage();
      page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
      page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
      await page.goto(`${server.url}/test/fixtures/neorl-browser.html`);
      await page.waitForFunction(() => (window as unknown as { __neorl?: unknown }).__neorl, null, { timeout: 30_000 });
      out = await page.evaluate(() => (window as unknown as { __neorl: typeof out }).__neorl);
    } finally {
      await browser.close();
      await server.close();
    }
    expect(out.error, logs.join("\n")).toBeUndefined();
    const bounds = Object.fromEntries([1, 2, 3, 4, 5].map((i) => [`x${i}`, ["float", -100, 100] as const]));
    const node = new XNES({ mode: "min", bounds, npop: 12, seed: 6, fit: (x) => x.reduce((s, v) => s + v * v, 0) }).evolute(15, [3, -2, 1, 4, 0.5]);
    expect(out.workers).toEqual(out.inThread);
    expect(out.inThread).toEqual(JSON.parse(JSON.stringify(node)));
  }, 120_000);
});
