// Rebuilds build/core.wasm when any assembly/ source is newer than it, so `npm test` on a fresh clone
// (or after an edit) always tests the current core, and a warm run skips the 3-6 s compile.
import { statSync, readdirSync, existsSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "build", "meta.json");
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}
const stale = !existsSync(out) || newest(join(root, "assembly")) > statSync(out).mtimeMs ||
  statSync(join(root, "asconfig.json")).mtimeMs > statSync(out).mtimeMs;
if (stale) execFileSync(process.execPath, [join(root, "scripts", "build-wasm.mjs")], { stdio: "inherit" });
