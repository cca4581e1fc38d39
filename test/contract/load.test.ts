// How the package's entries load dist/core.wasm (src/wasm/load-*.ts) and provideCore(): every way of
// loading gives the same module, a failure is kept and thrown at first use (never at import) with the
// URL and what to do, and provideCore() takes bytes or a module and overrides what the entry provided.
// The runtimes themselves are test/dist/ (Node, Deno, Bun, workerd, Chromium, an esbuild bundle).
import { describe, it, expect, vi, beforeAll, afterAll } from "vitest";
import { createServer, type Server } from "node:http";
import { readFileSync } from "node:fs";
import { CSAES } from "../../src/strategies/csa";
import { provideCore, ready } from "../../src/wasm";
import { fromFile } from "../../src/wasm/load-file";

const CORE = new URL("../../build/core.wasm", import.meta.url);
const bytes = readFileSync(CORE);
const exportsOf = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).map((e) => e.name).sort();
const want = exportsOf(new WebAssembly.Module(bytes));

let server: Server;
let base = "";
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/wasm") res.writeHead(200, { "content-type": "application/wasm" }).end(bytes);
    else if (req.url === "/octet") res.writeHead(200, { "content-type": "application/octet-stream" }).end(bytes);
    else res.writeHead(404).end("not here");
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

// load-url.ts compiles once per realm (the first URL wins): a fresh copy of the module per case
async function fromUrl(url: string) {
  vi.resetModules();
  const m = await import("../../src/wasm/load-url");
  return m.fromUrl(() => new URL(url));
}

describe("the browser/default entries' loader (load-url.ts)", () => {
  it("compiles from a server that says application/wasm, one that does not, and a file: URL (node:fs)", async () => {
    for (const u of [`${base}/wasm`, `${base}/octet`, CORE.href]) {
      const m = await fromUrl(u);
      expect(m, u).toBeInstanceOf(WebAssembly.Module);
      expect(exportsOf(m as WebAssembly.Module), u).toEqual(want);
    }
  });

  it("never rejects: a missing file gives a function that throws an evostrat Error naming the URL", async () => {
    const m = await fromUrl(`${base}/missing/core.wasm`);
    expect(typeof m).toBe("function");
    expect(() => (m as () => never)()).toThrow(`evostrat: could not load the WebAssembly core from ${base}/missing/core.wasm (HTTP 404)`);
    expect(() => (m as () => never)()).toThrow(/copied next to the bundle.*provideCore\(\)/);
    // no URL at all (an IIFE bundle, where import.meta is empty)
    vi.resetModules();
    const { fromUrl: again } = await import("../../src/wasm/load-url");
    const n = await again(() => new URL("./core.wasm", undefined as unknown as string));
    expect(() => (n as () => never)()).toThrow(/^evostrat: could not load the WebAssembly core from core\.wasm/);
  });

  it("compiles once for every entry: the first call's URL wins", async () => {
    vi.resetModules();
    const { fromUrl: load } = await import("../../src/wasm/load-url");
    const a = load(() => new URL(`${base}/wasm`));
    const b = load(() => new URL(`${base}/missing`));
    expect(await b).toBe(await a);
  });
});

describe("the Node entries' loader (load-file.ts)", () => {
  it("reads the file on first use, and reports a missing one at that use", () => {
    const ok = fromFile(() => CORE);
    expect(Buffer.from(ok()).equals(bytes)).toBe(true);
    const missing = new URL("./no-such-dir/core.wasm", CORE);
    const bad = fromFile(() => missing);
    expect(() => bad()).toThrow(`evostrat: could not load the WebAssembly core from ${missing.href} (ENOENT`);
  });
});

describe("provideCore()", () => {
  const run = () => {
    const o = new CSAES({ mean: [1, 2, 3], sigma: 0.5, seed: 7 });
    const x = Array.from(o.ask().data);
    o.dispose();
    return x;
  };

  it("takes a module, an ArrayBuffer or a typed array of core.wasm, and optimizers use it (same bits)", async () => {
    const reference = run();
    provideCore(new WebAssembly.Module(bytes));
    expect(run()).toEqual(reference);
    provideCore(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    await ready();
    expect(run()).toEqual(reference);
    provideCore(new Uint8Array(bytes));
    expect(run()).toEqual(reference);
  });

  it("rejects anything else with a TypeError naming it", () => {
    expect(() => provideCore("core.wasm" as never)).toThrow(TypeError);
    expect(() => provideCore("core.wasm" as never)).toThrow(/^evostrat: provideCore: core must be a WebAssembly\.Module/);
  });
});
