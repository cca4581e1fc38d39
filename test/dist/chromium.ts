// Which Chromium the browser tests drive (playwright-core), decided here and nowhere else:
//   1. EVOSTRAT_CHROMIUM, when set (a path to a Chromium binary; it must exist);
//   2. Debian's /usr/bin/chromium, when installed;
//   3. otherwise the headless Chromium shipped inside the npm package @sparticuz/chromium (a
//      devDependency), so `npm ci && npm test` needs no system browser. Its binary is brotli-compressed
//      in the package and unpacked at run time (no install script), once per package version, into
//      <tmpdir>/evostrat-sparticuz-chromium-<version>/.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { ROOT } from "../runtimes/harness";

const SYSTEM = "/usr/bin/chromium";
// Without the background-networking flags Chromium keeps trying to reach Google's hosts, which a
// closed network refuses (see the machine notes); --no-sandbox because CI runs as root.
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

export interface ChromiumChoice {
  executablePath: string;
  args: string[];
  /** Where the binary comes from, for messages: "EVOSTRAT_CHROMIUM", "system" or "@sparticuz/chromium@<version>". */
  source: string;
}

let chosen: Promise<ChromiumChoice> | undefined;

/** The Chromium to launch and its arguments (memoised per test file). */
export function chooseChromium(): Promise<ChromiumChoice> {
  chosen ??= choose();
  return chosen;
}

async function choose(): Promise<ChromiumChoice> {
  const env = process.env.EVOSTRAT_CHROMIUM;
  if (env) {
    if (!existsSync(env)) throw new Error(`EVOSTRAT_CHROMIUM=${env}: no such file`);
    return { executablePath: env, args: ARGS, source: "EVOSTRAT_CHROMIUM" };
  }
  if (existsSync(SYSTEM)) return { executablePath: SYSTEM, args: ARGS, source: "system" };
  return sparticuz();
}

async function sparticuz(): Promise<ChromiumChoice> {
  const { version } = JSON.parse(readFileSync(join(ROOT, "node_modules", "@sparticuz", "chromium", "package.json"), "utf8")) as { version: string };
  const { default: Chromium } = await import("@sparticuz/chromium");
  // Its own flags for a headless shell (--single-process, --no-zygote, …), then ours; it asks for
  // --headless='shell' itself, so our plain --headless is left out.
  const args = [...new Set([...Chromium.args, ...ARGS.filter((a) => a !== "--headless")])];
  const source = `@sparticuz/chromium@${version}`;
  const dir = join(tmpdir(), `evostrat-sparticuz-chromium-${version}`);
  const exe = join(dir, "chromium");
  if (existsSync(exe)) return { executablePath: exe, args, source };
  // executablePath() unpacks into os.tmpdir() and treats an existing <tmpdir>/chromium as done, so
  // two test files unpacking at once could launch a half-written binary. Unpack into a private
  // staging directory (TMPDIR points there for the call), then rename it into place: the rename is
  // atomic, and the loser of a race discards its copy.
  const stage = mkdtempSync(`${dir}.partial-`);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = stage;
  try {
    await Chromium.executablePath();
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
  try {
    renameSync(stage, dir);
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    if (!existsSync(exe)) throw e;
  }
  return { executablePath: exe, args, source };
}

/** Launches the chosen Chromium headless. */
export async function launchChromium(): Promise<{ browser: Browser; source: string }> {
  const c = await chooseChromium();
  const { chromium } = await import("playwright-core");
  try {
    return { browser: await chromium.launch({ executablePath: c.executablePath, args: c.args, headless: true, timeout: 30_000 }), source: c.source };
  } catch (e) {
    throw new Error(`Chromium (${c.source}, ${c.executablePath}) did not launch: ${(e as Error).message}`);
  }
}
