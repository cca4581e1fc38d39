/**
 * What coordinator and workers share: the run's metadata and checkpoint in the key-value store (the
 * checkpoint is split into chunks, as a NATS message holds 1 MiB by default), loading a replica from
 * it, and the evaluation of a block of rows with the failure policy (built on drivers/evaluate.ts).
 */
import type { Strategy } from "../contract/strategy.js";
import { drive, type Batch } from "../drivers/evaluate.js";
import { loadFitness, openPool, type FitnessModule, type Pool } from "../drivers/pool.js";
import { classOf, type CheckpointMeta, type RunMeta } from "./protocol.js";
import type { Channel } from "./transport.js";

const CHUNK = 512 * 1024;
const te = new TextEncoder(), td = new TextDecoder();

export async function getJson<T>(ch: Channel, key: string): Promise<T | undefined> {
  const b = await ch.get(key);
  return b && b.length ? (JSON.parse(td.decode(b)) as T) : undefined;
}

export const putJson = (ch: Channel, key: string, v: unknown): Promise<void> => ch.put(key, te.encode(JSON.stringify(v)));

export const getMeta = (ch: Channel): Promise<RunMeta | undefined> => getJson<RunMeta>(ch, "meta");

/**
 * Stores save() bytes of the state after `generation` tells as the run's checkpoint: the chunks
 * first, then the pointer (so a reader sees the old checkpoint or the new one, whole). `hash` is the
 * state hash the replicas compare before that generation (the last log entry's).
 */
export async function putCheckpoint(ch: Channel, bytes: Uint8Array, generation: number, hash: number): Promise<void> {
  const tag = `${generation}-${Math.random().toString(36).slice(2, 8)}`;
  const chunks = Math.max(1, Math.ceil(bytes.length / CHUNK));
  const puts: Promise<void>[] = [];
  for (let i = 0; i < chunks; i++) puts.push(ch.put(`ckpt.${tag}.${i}`, bytes.subarray(i * CHUNK, (i + 1) * CHUNK)));
  await Promise.all(puts);
  await putJson(ch, "ckpt", { generation, tag, chunks, size: bytes.length, hash } satisfies CheckpointMeta & { hash: number });
}

/** The checkpoint's bytes, its generation and hash, or undefined when there is none. */
export async function getCheckpoint(ch: Channel): Promise<{ bytes: Uint8Array; generation: number; hash: number } | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const m = await getJson<CheckpointMeta & { hash: number }>(ch, "ckpt");
    if (!m) return undefined;
    const parts = await Promise.all(Array.from({ length: m.chunks }, (_, i) => ch.get(`ckpt.${m.tag}.${i}`)));
    if (parts.some((p) => !p)) continue; // replaced while reading: read the new pointer
    const out = new Uint8Array(m.size);
    let o = 0;
    for (const p of parts) { out.set(p!, o); o += p!.length; }
    if (o !== m.size) throw new RangeError("evostrat/distributed: the checkpoint is truncated");
    return { bytes: out, generation: m.generation, hash: m.hash };
  }
  throw new Error("evostrat/distributed: the checkpoint kept changing while it was read");
}

/** A replica from save() bytes (the class is read from them). */
export function loadReplica(bytes: Uint8Array): Strategy {
  return classOf(bytes).load(bytes);
}

/** What happens to an evaluation that throws, times out or returns a non-number. */
export interface FailurePolicy {
  /** ms before an evaluation (a Promise) counts as failed; 0: never. */
  timeout: number;
  /** attempts after the first before a row counts as failed. */
  retries: number;
}

export interface Evaluated { values: Float64Array; failed: number[]; error?: string }

/** Evaluates blocks of rows with a fitness module, in this thread or on a pool of threads. */
export interface RowEvaluator {
  /**
   * values (NaN for failed rows), the failed rows (indices into the block) and the last error; at once
   * when every evaluation returned a number (drive() stays synchronous until the first thenable), so
   * that a worker answers a quick fitness without a Promise or a timer.
   */
  evaluate(block: Float64Array, n: number, d: number): Evaluated | Promise<Evaluated>;
  close(): Promise<void>;
}

const message = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

function timed<T>(p: PromiseLike<T>, ms: number): Promise<T> {
  if (!(ms > 0)) return Promise.resolve(p);
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`evaluation timed out after ${ms} ms`)), ms);
    Promise.resolve(p).then((v) => { clearTimeout(t); resolve(v); }, (e) => { clearTimeout(t); reject(e); });
  });
}

function* once(b: Batch): Generator<Batch, Float64Array, Float64Array> {
  return (yield b).slice();
}

function batchOf(block: Float64Array, n: number, d: number): Batch {
  const rows = Array.from({ length: n }, (_, i) => block.subarray(i * d, (i + 1) * d));
  return { count: n, dimension: d, data: block, row: (i) => rows[i] };
}

/** Opens the evaluator: `threads` > 1 evaluates on the drivers' thread pool. */
export async function rowEvaluator(fitness: FitnessModule, threads: number, policy: FailurePolicy): Promise<RowEvaluator> {
  if (threads > 1) {
    const pool: Pool = await openPool(fitness, threads);
    return {
      // a pool evaluates a block as one job: a failure (or the timeout) applies to the whole block
      async evaluate(block, n, d) {
        let error = "";
        for (let a = 0; a <= policy.retries; a++) {
          try {
            const values = await timed(drive(once(batchOf(block.slice(), n, d)), pool, "startWorker:") as Promise<Float64Array>, policy.timeout);
            return { values, failed: [] };
          } catch (e) {
            error = message(e);
          }
        }
        return { values: new Float64Array(n).fill(NaN), failed: Array.from({ length: n }, (_, i) => i), error };
      },
      close: () => pool.close(),
    };
  }
  const { fitness: f } = await loadFitness(fitness);
  return {
    evaluate(block, n, d) {
      const b = batchOf(block, n, d);
      const failed: number[] = [];
      let error: string | undefined;
      // the row's index is looked up only when it failed (rare)
      const fail = (x: Float64Array, e: unknown): number => {
        for (let i = 0; i < n; i++) if (b.row(i) === x) { failed.push(i); break; }
        error = message(e);
        return NaN;
      };
      // one row: retries, then NaN (recorded as failed); a Promise is raced against the timeout
      const attempt = (x: Float64Array, left: number): number | Promise<number> => {
        let v: unknown;
        try {
          v = f(x);
        } catch (e) {
          return left > 0 ? attempt(x, left - 1) : fail(x, e);
        }
        const check = (y: unknown): number => {
          if (typeof y !== "number") throw new TypeError(`the fitness must return a number (or a Promise of one), got ${typeof y}`);
          return y;
        };
        if (typeof v === "number") return v;
        if (v !== null && typeof v === "object" && typeof (v as PromiseLike<unknown>).then === "function") {
          return timed(v as PromiseLike<unknown>, policy.timeout).then(check).catch((e) => (left > 0 ? attempt(x, left - 1) : fail(x, e)));
        }
        try {
          return check(v);
        } catch (e) {
          return left > 0 ? attempt(x, left - 1) : fail(x, e);
        }
      };
      const done = (values: Float64Array): Evaluated => {
        failed.sort((p, q) => p - q);
        return { values, failed, error };
      };
      const values = drive(once(b), (x: Float64Array) => attempt(x, policy.retries), "startWorker:");
      return values instanceof Promise ? values.then(done) : done(values);
    },
    close: async () => {},
  };
}
