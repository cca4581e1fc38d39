import { defineConfig } from "vitest/config";
import { readFileSync, readdirSync } from "node:fs";

// Tests import src/ directly. In the bundles, esbuild inlines build/core.wasm as bytes; here this
// plugin does the same, so tests run the exact module the package ships.
const wasmBytes = {
  name: "evostrat-wasm-bytes",
  enforce: "pre" as const,
  load(id: string) {
    if (!id.endsWith(".wasm")) return null;
    const b64 = readFileSync(id).toString("base64");
    return `const s = ${JSON.stringify(b64)}; const b = typeof Buffer !== "undefined" ? Buffer.from(s, "base64") : Uint8Array.from(atob(s), (c) => c.charCodeAt(0)); export default new Uint8Array(b.buffer, b.byteOffset, b.byteLength);`;
  },
};

// Tiers (each a vitest project; package.json's scripts pick them):
//   fast: the contract, the drivers, the strategies, the faces, the BBOB functions and the core's own numerics, in-process (npm run test:fast);
//   dist: the built package in every runtime, the browser, the examples (needs dist/, spawns processes);
//   slow: reproductions of published figures at large d (npm run test:slow; not in npm test).
// npm test runs fast and dist: everything CI runs but slow.
const FAST = ["test/contract/**/*.test.ts", "test/drivers/**/*.test.ts", "test/strategies/**/*.test.ts", "test/faces/**/*.test.ts", "test/bbob/**/*.test.ts", "test/linalg.test.ts", "test/kernels*.test.ts"];
const DIST = ["test/dist/**/*.test.ts", "test/distributed/**/*.test.ts"];
const SLOW = ["test/slow/**/*.test.ts"];

// A test file outside every tier would never run: refuse to start instead.
const inTier = (f: string) => /^test\/(contract|drivers|strategies|faces|bbob|dist|distributed|slow)\//.test(f) || f === "test/linalg.test.ts" || /^test\/kernels[^/]*\.test\.ts$/.test(f);
const stray = (readdirSync("test", { recursive: true }) as string[]).map((f) => `test/${f.split("\\").join("/")}`).filter((f) => f.endsWith(".test.ts") && !inTier(f));
if (stray.length) throw new Error(`test files in no tier (vitest.config.ts): ${stray.join(", ")}`);

export default defineConfig({
  plugins: [wasmBytes],
  test: {
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    execArgv: ["--expose-gc"],
    projects: [
      { extends: true, test: { name: "fast", include: FAST } },
      { extends: true, test: { name: "dist", include: DIST } },
      { extends: true, test: { name: "slow", include: SLOW } },
    ],
  },
});
