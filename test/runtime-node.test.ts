// Node 20, as a consumer: `import "evostrat"` and `require("evostrat")` by the package's name, through
// its exports map, each running a real optimisation (sphere d = 10, seed 1, to 1e-8).
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { ROOT, buildDist, consumerDir, runJSON, nodeReference, compareWithNode, type ProbeResult } from "./runtimes/harness";

let dir = "";
let cleanup = () => {};
let ref: ProbeResult;

beforeAll(async () => {
  buildDist();
  ({ dir, cleanup } = consumerDir());
  ref = await nodeReference(dir);
}, 300_000);
afterAll(() => cleanup());

describe("Node 20", () => {
  it("ESM: import 'evostrat' resolves to dist/index.mjs and solves sphere d=10", async () => {
    const out = await runJSON(process.execPath, ["consumer.mjs"], { cwd: dir });
    expect(out.entry).toBe(pathToFileURL(join(ROOT, "dist", "index.mjs")).href);
    compareWithNode(out.result, ref, "node esm", true);
    console.log(`node esm: ${out.result.minimize.evaluations} evaluations, f = ${out.result.minimize.f}, ${out.wallMs} ms`);
  });

  it("CJS: require('evostrat') resolves to dist/index.cjs and gives the same bits as ESM", async () => {
    const out = await runJSON(process.execPath, ["consumer.cjs"], { cwd: dir });
    expect(out.entry).toBe(join(ROOT, "dist", "index.cjs"));
    compareWithNode(out.result, ref, "node cjs", true);
    console.log(`node cjs: ${out.result.minimize.evaluations} evaluations, ${out.wallMs} ms`);
  });
});
