// Node 20, as a consumer: `import "evostrat"` and `require("evostrat")` (require(esm), Node ≥ 20.19) by the package's name, through
// its exports map, each running a real optimisation (sphere d = 10, seed 1, to 1e-8).
import { describe, it, expect } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, runJSON, compareWithNode, consumerSetup } from "../runtimes/harness";

const setup = consumerSetup();

describe("Node 20", () => {
  it("ESM: import 'evostrat' resolves to dist/index.mjs and solves sphere d=10", async () => {
    const out = await runJSON(process.execPath, ["consumer.mjs"], { cwd: setup.dir });
    expect(out.entry).toBe(pathToFileURL(join(ROOT, "dist", "index.mjs")).href);
    compareWithNode(out.result, setup.ref, "node esm", true);
    console.log(`node esm: ${out.result.minimize.evaluations} evaluations, f = ${out.result.minimize.f}, ${out.wallMs} ms`);
  });

  it("CJS: require('evostrat') loads dist/index.mjs (require(esm)), silently, and gives the same bits as ESM", async () => {
    const out = await runJSON(process.execPath, ["consumer.cjs"], { cwd: setup.dir });
    expect(out.entry).toBe(join(ROOT, "dist", "index.mjs"));
    // Node 20.19+ loads ES modules through require() without an ExperimentalWarning (from node_modules)
    expect(out.stderr).toBe("");
    compareWithNode(out.result, setup.ref, "node cjs", true);
    console.log(`node cjs: ${out.result.minimize.evaluations} evaluations, ${out.wallMs} ms`);
  });
});
