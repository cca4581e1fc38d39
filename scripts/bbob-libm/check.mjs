// Reads (int32 k, double log, double cos) records, the correctly rounded ln u and cos 2πu for
// u = k / 2147483647 (./truth.c writes them), from stdin and counts where src/bbob/libm.ts's logCR and
// cosCR (and, for comparison, Math.log and Math.cos) differ from them.
//   gcc -O2 -o /tmp/truth scripts/bbob-libm/truth.c -lquadmath -lm
//   /tmp/truth 30000000 | node scripts/bbob-libm/check.mjs
// (with the k lists that ./scan.c writes as further arguments of truth, the hard cases are added.)
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bundle = await build({ entryPoints: [join(root, "src", "bbob", "libm.ts")], bundle: true, format: "esm", platform: "node", write: false });
const { logCR, cosCR } = await import(`data:text/javascript;base64,${Buffer.from(bundle.outputFiles[0].text).toString("base64")}`);

let rest = Buffer.alloc(0);
let n = 0;
const bad = { logCR: 0, cosCR: 0, "Math.log": 0, "Math.cos": 0 };
process.stdin.on("data", (c) => {
  const b = rest.length ? Buffer.concat([rest, c]) : c;
  let o = 0;
  for (; o + 20 <= b.length; o += 20) {
    const k = b.readInt32LE(o);
    const L = b.readDoubleLE(o + 4);
    const C = b.readDoubleLE(o + 12);
    const u = k / 2.147483647e9;
    const x = 2 * Math.PI * u;
    n++;
    if (logCR(u) !== L) bad.logCR++;
    if (cosCR(x) !== C) bad.cosCR++;
    if (Math.log(u) !== L) bad["Math.log"]++;
    if (Math.cos(x) !== C) bad["Math.cos"]++;
  }
  rest = b.subarray(o);
});
process.stdin.on("end", () => console.log(`${n} inputs; not correctly rounded: ${Object.entries(bad).map(([f, v]) => `${f} ${v}`).join(", ")}`));
