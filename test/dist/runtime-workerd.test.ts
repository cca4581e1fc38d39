// workerd (Cloudflare Workers) through miniflare. The workerd entries import `../core.wasm` as a
// CompiledWasm module, because workerd refuses to compile wasm from bytes.
//  1. the worker imports dist/workerd/*.mjs directly (modules listed explicitly: miniflare's automatic
//     module collection rejects the non-literal dynamic import in neorl.mjs);
//  2. a wrangler-style esbuild bundle of a worker that imports "evostrat" by name.
import { describe, it, expect } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import { ROOT, compareWithNode, consumerSetup, type ProbeResult } from "../runtimes/harness";

const setup = consumerSetup();

type Mod = { type: "ESModule" | "CompiledWasm"; path: string; contents: Uint8Array };

async function fetchWorker(modules: Mod[], modulesRoot: string): Promise<{ result?: ProbeResult; error?: string; bytesEntry?: string; sharedEntry?: string }> {
  const mf = new Miniflare({ modules, modulesRoot, compatibilityDate: "2025-01-01", cf: false });
  try {
    const res = await Promise.race([
      mf.dispatchFetch("http://localhost/"),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error("workerd: no response within 30 s")), 30_000)),
    ]);
    const body = await res.text();
    expect(res.status, body).toBe(200);
    return JSON.parse(body);
  } finally {
    await mf.dispose();
  }
}

describe("workerd (miniflare)", () => {
  it("dist/workerd/*.mjs: every entry loads, sphere d=10 is solved as in Node; compiling from bytes is refused", async () => {
    const t0 = Date.now();
    const mod = (type: Mod["type"], path: string): Mod => ({ type, path: join(ROOT, path), contents: readFileSync(join(ROOT, path)) });
    const out = await fetchWorker(
      [
        mod("ESModule", "test/runtimes/worker.mjs"),
        mod("ESModule", "test/runtimes/probe.mjs"),
        ...["index", "kernels", "neorl", "pypop7"].map((n) => mod("ESModule", `dist/workerd/${n}.mjs`)),
        mod("ESModule", "dist/index.mjs"),
        // the chunks every ESM entry shares (the workerd entries and dist/*.mjs alike)
        ...readdirSync(join(ROOT, "dist", "chunks")).filter((f) => f.endsWith(".mjs")).map((f) => mod("ESModule", `dist/chunks/${f}`)),
        mod("CompiledWasm", "dist/core.wasm"),
      ],
      ROOT,
    );
    expect(out.error, "probe threw inside workerd").toBeUndefined();
    const { bitsEqual } = compareWithNode(out.result!, setup.ref, "workerd");
    // Why the workerd condition exists: compiling from bytes is disallowed by the embedder.
    expect(out.bytesEntry).toMatch(/disallowed by embedder/);
    expect(out.sharedEntry, "dist/index.mjs after the workerd entry (shared chunks, one core)").toBe("same run");
    console.log(`workerd: ${out.result!.minimize.evaluations} evaluations, bits = Node: ${bitsEqual}, ${Date.now() - t0} ms`);
  });

  it("a wrangler-style bundle of `import 'evostrat'` resolves the workerd entry and runs", async () => {
    const t0 = Date.now();
    const esbuild = await import("esbuild");
    const wasmSeen = new Set<string>();
    const outDir = join(setup.dir, "bundle");
    await esbuild.build({
      entryPoints: [join(setup.dir, "worker-bundled.mjs")],
      bundle: true,
      format: "esm",
      platform: "neutral",
      conditions: ["workerd", "worker", "browser"],
      mainFields: ["browser", "module", "main"],
      outfile: join(outDir, "worker.mjs"),
      logLevel: "silent",
      plugins: [
        {
          name: "wasm-module",
          setup(b) {
            b.onResolve({ filter: /\.wasm$/ }, (a) => {
              wasmSeen.add(resolve(a.resolveDir, a.path));
              return { path: "./core.wasm", external: true };
            });
          },
        },
      ],
    });
    // The exports map sent the bundler to dist/workerd/*, which import the one dist/core.wasm.
    expect([...wasmSeen]).toEqual([join(ROOT, "dist", "core.wasm")]);
    const out = await fetchWorker(
      [
        { type: "ESModule", path: join(outDir, "worker.mjs"), contents: readFileSync(join(outDir, "worker.mjs")) },
        { type: "CompiledWasm", path: join(outDir, "core.wasm"), contents: readFileSync(join(ROOT, "dist", "core.wasm")) },
      ],
      outDir,
    );
    expect(out.error, "probe threw inside workerd").toBeUndefined();
    compareWithNode(out.result!, setup.ref, "workerd (bundled)");
    console.log(`workerd (esbuild bundle by name): ${out.result!.minimize.evaluations} evaluations, ${Date.now() - t0} ms`);
  });
});
