/**
 * COCO's reference values for the BBOB suites, read from ../shared/reference/bbob/ beside the
 * repository (never copied into it; see that folder's README for the points and the provenance).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export interface Reference {
  id: string;
  d: number;
  f_xopt: number;
  xopt: number[];
  /** f at x = 0, then at the five generator points */
  f: number[];
  /** f at x_opt + h·v/5 for h = 1e-2, 1e-4, 1e-6, each v the next d draws */
  f_near: number[];
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");

/**
 * The main checkout's root when this one is a git worktree (its `.git` is a file naming the gitdir,
 * whose `commondir` leads to the main repository's .git), so a worktree finds the same ../shared.
 */
function mainRoot(root: string): string | null {
  try {
    const git = join(root, ".git");
    if (!statSync(git).isFile()) return null;
    const gitdir = resolve(root, readFileSync(git, "utf8").replace(/^gitdir:\s*/, "").trim());
    const common = resolve(gitdir, readFileSync(join(gitdir, "commondir"), "utf8").trim());
    return dirname(common);
  } catch {
    return null;
  }
}

const candidates = [
  process.env.EVOSTRAT_BBOB_REFERENCE,
  join(repoRoot, "..", "shared", "reference", "bbob"),
  ...[mainRoot(repoRoot)].filter((r): r is string => r !== null).map((r) => join(r, "..", "shared", "reference", "bbob")),
].filter((p): p is string => !!p);

/** The folder of reference files: $EVOSTRAT_BBOB_REFERENCE, else ../shared/reference/bbob beside the repository. */
export const referenceDir = candidates.find((p) => existsSync(p)) ?? candidates[candidates.length - 1];

/** The lines of `<suite>.jsonl`, or null when the folder is absent. */
export function readReference(suite: "bbob" | "bbob-largescale"): Reference[] | null {
  const file = join(referenceDir, `${suite}.jsonl`);
  if (!existsSync(file)) return null;
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as Reference);
}

/** fid, instance and d from COCO's id `bbob_f001_i01_d02`. */
export function parseId(id: string): { fid: number; instance: number; d: number } {
  const m = /^bbob_f(\d+)_i(\d+)_d(\d+)$/.exec(id);
  if (!m) throw new Error(`unexpected problem id ${id}`);
  return { fid: Number(m[1]), instance: Number(m[2]), d: Number(m[3]) };
}

/**
 * The reference points' generator: a 64-bit LCG from 12345 (Knuth's MMIX constants), each draw
 * 10 · (s >> 11) · 2⁻⁵³ − 5, in [−5, 5).
 */
export function lcg(): () => number {
  let s = 12345n;
  const mask = (1n << 64n) - 1n;
  return () => {
    s = (s * 6364136223846793005n + 1442695040888963407n) & mask;
    return 10 * Number(s >> 11n) * 2 ** -53 - 5;
  };
}

/** The nine documented points of one problem, in the order of `f` then `f_near`. */
export function points(d: number, xopt: ArrayLike<number>): { f: Float64Array[]; near: Float64Array[] } {
  const next = lcg();
  const f = [new Float64Array(d)];
  for (let k = 0; k < 5; k++) f.push(Float64Array.from({ length: d }, () => next()));
  const near = [1e-2, 1e-4, 1e-6].map((h) => {
    const v = Float64Array.from({ length: d }, () => next());
    return Float64Array.from({ length: d }, (_, i) => xopt[i] + (h * v[i]) / 5);
  });
  return { f, near };
}
