// npm run bench: runs every bench/*.bench.mjs against the built package (dist/) and prints their
// markdown sections under a header naming the machine. The committed bench/RESULTS.md is rewritten
// only when asked: `npm run bench -- --write` (or EVOSTRAT_BENCH_WRITE=1), for a full run.
// Each bench file exports `title` and `async run(): string` (a markdown section). Timings on these
// shared 2-core machines are noisy (about ±2×): compare ratios taken in one run, as the tables do.
import { readdirSync, writeFileSync } from "node:fs";
import { cpus, totalmem, platform, arch } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { dirname, join } from "node:path";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const write = args.includes("--write") || process.env.EVOSTRAT_BENCH_WRITE === "1";
const only = args.filter((a) => a !== "--write");
const files = readdirSync(here).filter((f) => f.endsWith(".bench.mjs") && (only.length === 0 || only.some((o) => f.includes(o)))).sort();
const cpu = cpus();
const header = [
  "# Benchmarks",
  "",
  `Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${platform()}-${arch()}; Node ${process.version}; ${new Date().toISOString().slice(0, 10)}.`,
  "Reference figures (NEORL, PyPop7, pycma, numpy, native C) are from bench/reference.json (with their provenance), measured on this kind of machine; ratios against them are only indicative, timings here vary by about ±2× between runs.",
  "Regenerate with `npm run bench -- --write` (`npm run bench` prints only; `npm run bench -- xnes` runs one file).",
  "",
];
const sections = [];
console.log(header.slice(2, 4).join("\n") + "\n");
for (const f of files) {
  const mod = await import(pathToFileURL(join(here, f)).href);
  process.stderr.write(`bench: ${f}\n`);
  const md = await mod.run();
  sections.push(md.trim(), "");
  console.log(md);
}
if (write && only.length === 0) writeFileSync(join(here, "RESULTS.md"), header.concat(sections).join("\n"));
else if (write) console.log("(partial run: bench/RESULTS.md not written)");
else console.log("(bench/RESULTS.md not written: npm run bench -- --write rewrites it)");
