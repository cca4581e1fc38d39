import { defineConfig } from "vitest/config";
import { readFileSync } from "node:fs";

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

export default defineConfig({
  plugins: [wasmBytes],
  test: {
    include: ["test/**/*.test.ts"],
    exclude: process.env.EVOSTRAT_SLOW ? [] : ["test/**/*.slow.test.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    execArgv: ["--expose-gc"],
  },
});
