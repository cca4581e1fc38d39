// Rebuilds build/core.wasm and build/testing.wasm when any assembly/ source (or asconfig.json) is newer
// than either, so `npm test` on a fresh clone (or after an edit) always tests the current core, and a
// warm run skips the compile.
import { statSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// meta.json is written after both modules, so its time stamps the core build; testing.wasm is checked too
const outs = [join(root, "build", "meta.json"), join(root, "build", "testing.wasm")];
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const src = Math.max(newest(join(root, "assembly")), statSync(join(root, "asconfig.json")).mtimeMs);
const stale = outs.some((out) => !existsSync(out) || src > statSync(out).mtimeMs);
if (stale) execFileSync(process.execPath, [join(root, "scripts", "build-wasm.mjs")], { stdio: "inherit" });
