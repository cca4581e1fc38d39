// The shipped module (build/core.wasm, entry assembly/index.ts) exports what src/ calls and nothing
// else; internals that only tests call come from the test build (build/testing.wasm, see
// test/testing-core.ts). Read off src/: every `x.name(` on the core's exports, plus the ask, tell and
// ptr that src/base.ts looks up by prefix for every strategy whose `<p>_init` src/ calls.
import { describe, expect, it } from "vitest";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { compiledModule } from "../src/wasm";
import { testingBytes } from "./testing-core";

const ROOT = join(__dirname, "..");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [readFileSync(join(dir, e.name), "utf8")] : []);
}

/** Methods of the arrays src/ also calls as `x.name(` (x a vector there, not the exports). */
const arrayMethods = new Set([Array.prototype, Float64Array.prototype].flatMap((p) => Object.getOwnPropertyNames(p)));

/** Names src/ calls on the core's exports. */
function usedBySrc(): Set<string> {
  const used = new Set<string>(["memory"]);
  for (const text of sources(join(ROOT, "src"))) {
    for (const m of text.matchAll(/\bx\.(\w+)\s*\(/g)) if (!arrayMethods.has(m[1])) used.add(m[1]);
  }
  for (const name of [...used]) {
    const p = name.match(/^([a-z0-9]+)_init$/)?.[1];
    if (p) for (const s of ["ask", "tell", "ptr"]) used.add(`${p}_${s}`);
  }
  return used;
}

describe("exports", () => {
  const shipped = WebAssembly.Module.exports(compiledModule()).map((e) => e.name);

  it("build/core.wasm exports exactly what src/ uses", () => {
    expect([...shipped].sort()).toEqual([...usedBySrc()].sort());
  });

  it("build/testing.wasm exports everything build/core.wasm does, and more", () => {
    const testing = WebAssembly.Module.exports(new WebAssembly.Module(testingBytes as Uint8Array<ArrayBuffer>)).map((e) => e.name);
    expect(testing).toEqual(expect.arrayContaining(shipped));
    expect(testing.length).toBeGreaterThan(shipped.length);
  });
});
