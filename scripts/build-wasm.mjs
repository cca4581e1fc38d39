// Compiles assembly/ (asc -O3 --enable simd, see asconfig.json) to the shipped module build/core.wasm
// (entry assembly/index.ts) and to the test build build/testing.wasm (entry assembly/testing.ts: the
// same module plus the internals tests reach into; never shipped), and writes build/meta.json with the
// build id that save() stamps into its bytes.
// shrinkLevel stays 0: at 1 or 2 AssemblyScript's std swaps Math.exp, log and pow for versions without
// lookup tables (most of the 14 KB it saves), whose last bits differ, so every result would change
// (test/contract/golden.test.ts fails); kept with the tables, shrinkLevel 1 saves 1 KB gzipped and
// inlines less (issue 13, item 6: measured, not adopted).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
mkdirSync(join(root, "build"), { recursive: true });
const asc = join(root, "node_modules", "assemblyscript", "bin", "asc.js");
for (const [entry, target] of [["assembly/index.ts", "release"], ["assembly/testing.ts", "testing"]]) {
  execFileSync(process.execPath, [asc, entry, "--config", "asconfig.json", "--target", target], {
    cwd: root,
    stdio: "inherit",
  });
}
const bytes = readFileSync(join(root, "build", "core.wasm"));
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
const buildId = `${pkg.version}+${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;
writeFileSync(join(root, "build", "meta.json"), JSON.stringify({ buildId, bytes: bytes.length }) + "\n");
console.log(`build/core.wasm: ${bytes.length} bytes, build ${buildId}`);
