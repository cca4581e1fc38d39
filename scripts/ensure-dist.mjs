// Makes dist/ current for the runtime and packaging tests: rebuilds build/core.wasm if assembly/ changed
// (scripts/ensure-build.mjs), then runs tsup when any dist/ output is missing or older than src/,
// build/, tsup.config.ts, scripts/entries.mjs or package.json. A lock directory
// (node_modules/.cache/evostrat-dist-lock: outside build/, since taking and dropping it changes its
// directory's time, which made dist/ look stale at every call) keeps concurrent test files from
// building at once; the others wait for it and then see a fresh dist/.
//   node scripts/ensure-dist.mjs            (or import { ensureDist } from "./ensure-dist.mjs")
import { statSync, readdirSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { execFileSync } from "node:child_process";
import { entries as table } from "./entries.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// The newest ("max") or oldest ("min") modification time under dir. "max" counts directories too: a
// directory's time changes when a file in it is deleted or renamed, which must also rebuild dist/.
function walk(dir, pick) {
  let t = pick === "min" ? Infinity : statSync(dir, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (!existsSync(dir)) return pick === "min" ? 0 : Infinity;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name.startsWith(".")) continue;
    const p = join(dir, e.name);
    const m = e.isDirectory() ? walk(p, pick) : statSync(p).mtimeMs;
    t = pick === "min" ? Math.min(t, m) : Math.max(t, m);
  }
  return t;
}

/** Names of the entries tsup builds: one per existing source in the table tsup.config.ts uses. */
function entries() {
  return table.filter((e) => existsSync(join(root, e.source))).map((e) => e.name);
}

/** Why dist/ needs a build, or "" when it is current. */
export function distStaleness() {
  const dist = join(root, "dist");
  const need = ["core.wasm"];
  for (const n of entries()) need.push(`${n}.mjs`, `${n}.d.ts`, `workerd/${n}.mjs`);
  const missing = need.filter((f) => !existsSync(join(dist, f)));
  if (missing.length) return `missing dist/${missing.join(", dist/")}`;
  const oldest = walk(dist, "min");
  const inputs = Math.max(
    walk(join(root, "src"), "max"),
    walk(join(root, "build"), "max"),
    statSync(join(root, "tsup.config.ts")).mtimeMs,
    statSync(join(root, "scripts", "entries.mjs")).mtimeMs,
    statSync(join(root, "package.json")).mtimeMs,
  );
  return inputs > oldest ? "dist/ is older than src/, build/, tsup.config.ts or package.json" : "";
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds dist/ if it is missing or stale. Synchronous; safe to call from several processes at once. */
export function ensureDist({ log = (m) => console.error(m) } = {}) {
  const lock = join(root, "node_modules", ".cache", "evostrat-dist-lock");
  mkdirSync(join(root, "node_modules", ".cache"), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      // A lock older than 5 minutes belongs to a build that died.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (Date.now() > deadline) throw new Error(`ensure-dist: timed out waiting for ${lock}`);
      sleep(200);
    }
  }
  try {
    execFileSync(process.execPath, [join(root, "scripts", "ensure-build.mjs")], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
    const why = distStaleness();
    if (why) {
      const t0 = Date.now();
      const tsup = join(root, "node_modules", "tsup", "dist", "cli-default.js");
      // From an empty dist/ (as `npm run build`), so an entry that is no longer built leaves no stale file behind.
      rmSync(join(root, "dist"), { recursive: true, force: true });
      execFileSync(process.execPath, [tsup], { cwd: root, stdio: ["ignore", "ignore", "inherit"], timeout: 240_000 });
      log(`ensure-dist: ${why}; ran tsup (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      const still = distStaleness();
      // Only a warning: another process (an editor's save, a concurrent `npm run build`) may have
      // touched the inputs while tsup ran; the outputs themselves are complete.
      if (still) log(`ensure-dist: warning: after tsup, ${still} (inputs changed during the build?)`);
    }
    return why;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) ensureDist();
