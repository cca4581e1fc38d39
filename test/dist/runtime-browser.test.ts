// Chromium (the one test/dist/chromium.ts chooses, driven by playwright-core): the page imports
// dist/index.mjs as an ES module (which compiles dist/core.wasm at import, with top-level await), runs
// on the main thread (before and after `await ready()`) and in a module Web Worker.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { ROOT, buildDist, consumerDir, nodeReference, compareWithNode, type ProbeResult } from "../runtimes/harness";
// @ts-expect-error plain .mjs fixture
import { serve } from "../runtimes/server.mjs";
import { launchChromium } from "./chromium";

type Attempt = { ok: true; result: ProbeResult } | { ok: false; error: string };
interface PageOut {
  userAgent: string;
  mainBeforeReady: Attempt;
  mainAfterReady: Attempt;
  worker: { noReady: Attempt; afterReady?: Attempt };
}

let cleanup = () => {};
let ref: ProbeResult;

beforeAll(async () => {
  buildDist();
  const c = consumerDir();
  cleanup = c.cleanup;
  ref = await nodeReference(c.dir);
}, 300_000);
afterAll(() => cleanup());

const ok = (a: Attempt | undefined, where: string): ProbeResult => {
  if (!a || !a.ok) throw new Error(`${where}: ${a ? a.error : "no result"}`);
  return a.result;
};

describe("Chromium", () => {
  it("runs in a page (main thread, with and without ready()) and in a module Web Worker", async () => {
    const t0 = Date.now();
    const { browser, source } = await launchChromium();
    const server = await serve(ROOT);
    const logs: string[] = [];
    let out: PageOut;
    try {
      const page = await browser.newPage();
      page.on("console", (m) => logs.push(`console.${m.type()}: ${m.text()}`));
      page.on("pageerror", (e) => logs.push(`pageerror: ${e.message}`));
      await page.goto(`${server.url}/test/runtimes/browser.html`, { timeout: 15_000 });
      try {
        await page.waitForFunction(() => (window as unknown as { __evostrat?: unknown }).__evostrat, null, { timeout: 20_000 });
      } catch (e) {
        throw new Error(`page never finished: ${(e as Error).message}\n${logs.join("\n")}\nrequests: ${server.requests.join(" ")}`);
      }
      out = await page.evaluate(() => (window as unknown as { __evostrat: PageOut }).__evostrat);
    } finally {
      await browser.close();
      await server.close();
    }
    const ms = Date.now() - t0;

    // The import compiled the core: optimizers construct synchronously on the main thread without
    // ready() (which resolves at once), and give Node's bits.
    compareWithNode(ok(out.mainBeforeReady, "main thread without ready()"), ref, "chromium main thread, no ready()");
    const main = ok(out.mainAfterReady, "main thread after ready()");
    compareWithNode(main, ref, "chromium main thread");
    // In a Web Worker, synchronous compilation is allowed: no ready() needed.
    compareWithNode(ok(out.worker.noReady, "worker without ready()"), ref, "chromium worker");
    compareWithNode(ok(out.worker.afterReady, "worker after ready()"), ref, "chromium worker (ready)");
    console.log(`chromium (${source}, ${out.userAgent.match(/Chrome\/[\d.]+/)?.[0]}): main thread ${main.minimize.evaluations} evaluations; ${ms} ms`);
    // the page fetched the core once (the entries share one compile), from dist/core.wasm
    expect((server.requests as string[]).filter((r) => r.endsWith(".wasm"))).toEqual(["/dist/core.wasm", "/dist/core.wasm"]);
    expect(logs.filter((l) => l.startsWith("pageerror"))).toEqual([]);
  });
});
