// npm run bench: runs every bench/*.bench.mjs against the built package (dist/) and prints their
// markdown sections under a header naming the machine. The committed bench/RESULTS.md is rewritten
// only when asked: `npm run bench -- --write` (or EVOSTRAT_BENCH_WRITE=1) for a full run; with a
// filter (`npm run bench -- distributed --write`) only the sections of the files run are replaced,
// each marked with the machine and date it was re-measured on.
// Each bench file exports `title` and `async run(): string` (a markdown section). Timings on these
// shared 2-core machines are noisy (about ±2×): compare ratios taken in one run, as the tables do.
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem, platform, arch } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const write = args.includes("--write") || process.env.EVOSTRAT_BENCH_WRITE === "1";
const only = args.filter((a) => a !== "--write");
const files = readdirSync(here).filter((f) => f.endsWith(".bench.mjs") && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
const cpu = cpus();
const machine = `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}-${arch()}; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}`;
const header = [
  "# Benchmarks",
  "",
  `Machine: ${machine}.`,
  "Reference figures (NEORL, PyPop7, pycma, numpy, native C) are from bench/reference.json (with their provenance), measured on this kind of machine; ratios against them are only indicative, timings here vary by about ±2× between runs.",
  "Regenerate with `npm run bench -- --write` (`npm run bench` prints only; `npm run bench -- xnes` runs one file).",
  "",
];
const sections = [];
const byTitle = [];
console.log(header.slice(2, 4).join("\n") + "\n");
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  process.stderr.write(`bench: ${f}\n`);
  const md = await mod.run();
  sections.push(md.trim(), "");
  byTitle.push([mod.title, md.trim()]);
  console.log(md);
}
const results = join(here, "RESULTS.md");
if (write && only.length === 0) writeFileSync(results, header.concat(sections).join("\n"));
else if (write) {
  // a partial run replaces its own sections (from "## <title>" to the next "## ") and leaves the rest
  let text = readFileSync(results, "utf8");
  for (const [t, md] of byTitle) {
    const start = text.indexOf(`\n## ${t}\n`);
    if (start < 0) { console.log(`(no section "## ${t}" in bench/RESULTS.md: not written)`); continue; }
    const next = text.indexOf("\n## ", start + 1);
    const end = next < 0 ? text.length : next;
    const lines = md.split("\n");
    const marked = [lines[0], "", `Re-measured alone (\`npm run bench -- ${only.join(" ")} --write\`) on ${machine}.`, ...lines.slice(1)].join("\n");
    text = text.slice(0, start + 1) + marked + "\n" + (next < 0 ? "" : "\n") + text.slice(end + 1);
  }
  writeFileSync(results, text);
  console.log(`(bench/RESULTS.md: ${byTitle.map(([t]) => `"${t}"`).join(", ")} replaced)`);
} else console.log("(bench/RESULTS.md not written: npm run bench -- --write rewrites it)");
