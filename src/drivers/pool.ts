/**
 * A worker pool for evaluating a fitness module on several threads, in every runtime: Web Workers
 * (browsers, Deno, Bun) and Node's worker_threads. No dependency and no separate worker file that a
 * bundler could lose: the worker's code is a string, started as a Blob-URL module (Web Workers) or
 * with `new Worker(code, { eval: true })` (Node).
 *
 * A function cannot be sent between threads, so the fitness is named by its module and export,
 * `{ module: url, name }`, and each worker imports the module itself, once. Each generation, each
 * worker receives one contiguous block of rows (one transferred Float64Array) and sends back one
 * block of values; a Promise returned by the fitness is awaited in the worker. The pool must be
 * closed (`close()`), which terminates the workers, so that no thread keeps the process alive.
 */
import { describe, fail } from "../check.js";
import type { Batch, BatchEvaluator, PointFitness } from "./evaluate.js";

/** A fitness defined in a module, so worker threads can load it: `import(module)[name]`. */
export interface FitnessModule {
  /** The module's URL (file:, http(s):, data:) or, in Node, an absolute path. */
  module: string | URL;
  /** The export to call. Default "default". */
  name?: string;
}

/** A pool of workers that evaluates batches; close() it when done. */
export interface Pool extends BatchEvaluator {
  readonly size: number;
  evaluateBatch(batch: Batch): Promise<Float64Array>;
  close(): Promise<void>;
}

/** True for `{ module, name? }`. */
export function isFitnessModule(v: unknown): v is FitnessModule {
  return v !== null && typeof v === "object" && "module" in v;
}

/** Checks a fitness module spec (TypeError naming `where`). */
export function checkFitnessModule(where: string, v: FitnessModule): void {
  const m = v.module, nm = v.name;
  if (typeof m !== "string" && !(typeof URL !== "undefined" && m instanceof URL)) fail("type", where, `module must be a URL string or URL, got ${describe(m)}`);
  if (nm !== undefined && typeof nm !== "string") fail("type", where, `name must be a string, got ${describe(nm)}`);
}

/** The module's URL: an absolute filesystem path (Node) becomes a file: URL. */
export function moduleUrl(m: string | URL): string {
  const s = String(m);
  if (s.startsWith("/")) return "file://" + s.split("/").map(encodeURIComponent).join("/");
  if (/^[A-Za-z]:[\\/]/.test(s)) return "file:///" + s.replace(/\\/g, "/");
  return s;
}

const noExport = (url: string, name: string) => `evostrat: option "fit": module ${url} has no function export "${name}"`;

/** Loads a fitness module in this thread. */
export async function loadFitness(spec: FitnessModule): Promise<{ fitness: PointFitness }> {
  const url = moduleUrl(spec.module), name = spec.name ?? "default";
  const mod = await import(/* @vite-ignore */ url);
  const f = mod[name];
  if (typeof f !== "function") throw new TypeError(noExport(url, name));
  return { fitness: f as PointFitness };
}

// The worker's code (runs as a module in Web Workers and as a script in Node's eval workers: only
// dynamic import(), no import statements). `post` and the message hook come from a runtime header.
const BODY = `
let fn = null;
const show = (v) => v === null ? "null" : v === undefined ? "undefined" : Array.isArray(v) ? "an array"
  : typeof v === "object" ? ((v.constructor && v.constructor.name) || "an object")
  : typeof v === "string" ? "the string '" + (v.length > 20 ? v.slice(0, 20) + "…" : v) + "'" : typeof v + " " + String(v);
const err = (e) => ({ name: (e && e.name) || "Error", message: e && e.message !== undefined ? String(e.message) : String(e), stack: e && e.stack });
async function onmsg(m) {
  if (m.t === "load") {
    try {
      const mod = await import(m.url);
      const f = mod[m.name];
      if (typeof f !== "function") throw new TypeError(${JSON.stringify(noExport("@U", "@N"))}.replace("@U", m.url).replace("@N", m.name));
      fn = f;
      post({ id: m.id });
    } catch (e) { post({ id: m.id, error: err(e) }); }
    return;
  }
  try {
    const x = new Float64Array(m.buf), d = m.d, n = x.length / d, vs = new Array(n);
    let wait = false;
    for (let i = 0; i < n; i++) {
      const v = fn(x.subarray(i * d, i * d + d));
      vs[i] = v;
      if (v !== null && (typeof v === "object" || typeof v === "function") && typeof v.then === "function") wait = true;
    }
    const ys = wait ? await Promise.all(vs) : vs;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const v = ys[i];
      if (typeof v !== "number") { post({ id: m.id, bad: i, what: show(v) }); return; }
      out[i] = v;
    }
    post({ id: m.id, buf: out.buffer }, [out.buffer]);
  } catch (e) { post({ id: m.id, error: err(e) }); }
}
`;
const WEB = `const post = (m, t) => self.postMessage(m, t || []);\nself.onmessage = (e) => onmsg(e.data);\n${BODY}`;
const NODE = `const { parentPort } = require("node:worker_threads");\nconst post = (m, t) => parentPort.postMessage(m, t || []);\nparentPort.on("message", onmsg);\n${BODY}`;

interface Reply { id: number; error?: { name: string; message: string; stack?: string }; bad?: number; what?: string; buf?: ArrayBuffer }

/** One worker, as the pool sees it. */
interface Thread {
  send(msg: object, transfer?: Transferable[]): void;
  onReply(cb: (r: Reply) => void): void;
  onFail(cb: (e: Error) => void): void;
  terminate(): Promise<void>;
}

type NodeWorker = {
  postMessage(m: unknown, t?: readonly unknown[]): void;
  on(ev: string, cb: (v: never) => void): void;
  terminate(): Promise<number>;
};

async function threadFactory(): Promise<{ make: () => Thread; release: () => void }> {
  const W = (globalThis as { Worker?: new (url: string | URL, o?: object) => Worker }).Worker;
  if (typeof W === "function") {
    // browsers, Deno, Bun: a module worker from a Blob URL (same origin as the page, so it can import
    // the page's modules)
    const url = URL.createObjectURL(new Blob([WEB], { type: "text/javascript" }));
    const make = (): Thread => {
      const w = new W(url, { type: "module", name: "evostrat-pool" });
      return {
        send: (m, t) => w.postMessage(m, t ?? []),
        onReply: (cb) => { w.onmessage = (e: MessageEvent) => cb(e.data as Reply); },
        onFail: (cb) => {
          w.onerror = (e: ErrorEvent) => { e.preventDefault?.(); cb(new Error(`evostrat: a pool worker failed: ${e.message ?? "error"}`)); };
          w.onmessageerror = () => cb(new Error("evostrat: a pool worker sent a message that could not be read"));
        },
        terminate: async () => w.terminate(),
      };
    };
    return { make, release: () => URL.revokeObjectURL(url) };
  }
  // Node: worker_threads with the code evaluated in place (a non-literal specifier, so bundlers for
  // browsers and workerd leave it alone)
  const proc = (globalThis as { process?: { getBuiltinModule?: (n: string) => unknown } }).process;
  const spec = "node:worker_threads";
  const wt = (proc?.getBuiltinModule?.(spec) ?? (await import(/* @vite-ignore */ spec).catch(() => undefined))) as { Worker?: new (code: string, o: object) => NodeWorker } | undefined;
  if (!wt?.Worker) throw new Error("evostrat: this runtime has neither Web Workers nor node:worker_threads, so it cannot evaluate on workers (use one worker)");
  const NW = wt.Worker;
  const make = (): Thread => {
    const w = new NW(NODE, { eval: true, name: "evostrat-pool" });
    let dead = false;
    return {
      send: (m, t) => w.postMessage(m, t as readonly unknown[] | undefined),
      onReply: (cb) => w.on("message", cb as (v: never) => void),
      onFail: (cb) => {
        w.on("error", ((e: Error) => cb(e)) as (v: never) => void);
        w.on("exit", ((code: number) => { if (!dead) cb(new Error(`evostrat: a pool worker exited (code ${code})`)); }) as (v: never) => void);
      },
      terminate: async () => { dead = true; await w.terminate(); },
    };
  };
  return { make, release: () => {} };
}

/**
 * Starts `size` workers, each importing the fitness module. Rejects (with the workers closed) when a
 * worker cannot load it.
 */
export async function openPool(spec: FitnessModule, size: number): Promise<Pool> {
  const url = moduleUrl(spec.module), name = spec.name ?? "default";
  const { make, release } = await threadFactory();
  let nextId = 1, failed: Error | null = null, closed = false;
  const pending = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  const threads: Thread[] = [];
  const failAll = (e: Error) => {
    if (closed) return;
    failed ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  const call = (t: Thread, msg: object, transfer?: Transferable[]): Promise<Reply> =>
    new Promise<Reply>((resolve, reject) => {
      if (failed) return reject(failed);
      const id = nextId++;
      pending.set(id, { resolve, reject });
      t.send({ ...msg, id }, transfer);
    });
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const p of pending.values()) p.reject(new Error("evostrat: the worker pool was closed"));
    pending.clear();
    await Promise.all(threads.map((t) => t.terminate().catch(() => {})));
    release();
  };
  const fromWorker = (e: NonNullable<Reply["error"]>): Error => {
    const E = e.name === "TypeError" ? TypeError : e.name === "RangeError" ? RangeError : Error;
    const out = new E(e.message);
    if (e.name && out.name !== e.name) out.name = e.name;
    if (e.stack) out.stack = e.stack;
    return out;
  };
  try {
    for (let i = 0; i < size; i++) {
      const t = make();
      t.onReply((r) => {
        const p = pending.get(r.id);
        if (!p) return;
        pending.delete(r.id);
        p.resolve(r);
      });
      t.onFail(failAll);
      threads.push(t);
    }
    const loaded = await Promise.all(threads.map((t) => call(t, { t: "load", url, name })));
    for (const r of loaded) if (r.error) throw fromWorker(r.error);
  } catch (e) {
    await close();
    throw e;
  }

  return {
    size,
    close,
    async evaluateBatch(b: Batch): Promise<Float64Array> {
      if (closed) throw new Error("evostrat: the worker pool was closed");
      const n = b.count, d = b.dimension, k = Math.min(size, n), chunk = Math.ceil(n / k);
      const jobs: Promise<Reply>[] = [];
      for (let j = 0, a = 0; a < n; j++, a += chunk) {
        const e = Math.min(n, a + chunk);
        const block = b.data.slice(a * d, e * d); // a copy this worker owns: transferred, not cloned
        jobs.push(call(threads[j], { t: "eval", d, buf: block.buffer }, [block.buffer]));
      }
      // each block is checked as it arrives: the first error rejects at once, without waiting for
      // the other workers (one of them may never answer; the caller then closes the pool, which
      // terminates every worker)
      const out = new Float64Array(n);
      await Promise.all(jobs.map((job, j) => job.then((r) => {
        if (r.error) throw fromWorker(r.error);
        if (r.bad !== undefined) fail("type", "fit(x):", `the fitness must return a number (or a Promise of one), got ${r.what} for row ${j * chunk + r.bad}`);
        out.set(new Float64Array(r.buf!), j * chunk);
      })));
      return out;
    },
  };
}
