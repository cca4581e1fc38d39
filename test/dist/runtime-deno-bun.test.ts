// Deno and Bun: each runs the same optimisation as Node and must reach the target with the same
// evaluation count (the RNG and the numerics run in wasm).
import { describe, it, expect } from "vitest";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, BIN, runJSON, compareWithNode, consumerSetup } from "../runtimes/harness";

const entryURL = pathToFileURL(join(ROOT, "dist", "index.mjs")).href;
const setup = consumerSetup();

describe("Deno", () => {
  const deno = join(BIN, "deno");
  // A private DENO_DIR and no update check: nothing is fetched, nothing outside the temp dir is written.
  const env = () => {
    const denoDir = join(setup.dir, ".deno");
    mkdirSync(denoDir, { recursive: true });
    return { DENO_DIR: denoDir, DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" };
  };

  it("imports dist/index.mjs by path (deno run --allow-read) and solves sphere d=10", async () => {
    const out = await runJSON(deno, ["run", "--allow-read", "by-path.mjs", entryURL], { cwd: setup.dir, env: env() });
    expect(out.entry).toBe(entryURL);
    compareWithNode(out.result, setup.ref, "deno by path");
    console.log(`deno (by path): ${out.result.minimize.evaluations} evaluations, f = ${out.result.minimize.f}, ${out.wallMs} ms`);
  });

  it("imports 'evostrat' by name from node_modules (package.json + exports map)", async () => {
    const out = await runJSON(deno, ["run", "--allow-read", "--node-modules-dir=manual", "consumer.mjs"], { cwd: setup.dir, env: env() });
    expect(out.entry).toBe(entryURL);
    compareWithNode(out.result, setup.ref, "deno by name");
    console.log(`deno (by name): ${out.wallMs} ms`);
  });
});

describe("Bun", () => {
  const bun = join(BIN, "bun");

  it("ESM: import 'evostrat' resolves to dist/index.mjs and solves sphere d=10", async () => {
    const out = await runJSON(bun, ["consumer.mjs"], { cwd: setup.dir });
    expect(out.entry).toBe(entryURL);
    compareWithNode(out.result, setup.ref, "bun esm");
    console.log(`bun esm: ${out.result.minimize.evaluations} evaluations, f = ${out.result.minimize.f}, ${out.wallMs} ms`);
  });

  it("CJS: require('evostrat') loads dist/index.mjs (Bun requires ES modules)", async () => {
    const out = await runJSON(bun, ["consumer.cjs"], { cwd: setup.dir });
    expect(out.entry).toBe(join(ROOT, "dist", "index.mjs"));
    compareWithNode(out.result, setup.ref, "bun cjs");
    console.log(`bun cjs: ${out.wallMs} ms`);
  });
});
