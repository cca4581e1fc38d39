/**
 * The wire format of a distributed run: scalars only (OpenAI-ES's shared-seed trick, Salimans et al.
 * 2017, §2.1): every process holds a replica of the optimizer built from the same save() bytes, and
 * row k of generation g comes from its own stream (assembly/core/rng.ts gen_row), so any replica that
 * calls ask() draws the same rows. Only (generation, row range) items, (row, f) values and the
 * generation's λ values cross the wire: O(λ) bytes per generation, whatever the dimension.
 *
 * All integers little-endian.
 *   work item  (16 B):  u32 generation, u32 first row, u32 row count, u32 epoch (the coordinator's
 *              incarnation: 0 for a fresh run, one more at every resume; a worker whose replica is
 *              ahead of an item of a newer epoch rebuilds it from the log, as the entry it applied from
 *              the previous coordinator's offer may never have been logged)
 *   result     (24 B + 8n [+ tail]):  u32 generation, u32 first row, u32 n, u32 replica hash (before
 *              this generation's tell), u32 worker, u32 tail length, f64 × n, then an optional UTF-8
 *              JSON tail { failed: rows, error } when rows failed after their retries; n = 0 without a
 *              tail: a heartbeat, the item offered to this worker is still in work
 *   log entry  (16 B + 8λ):  u32 generation, u32 state hash after the tell, u32 λ, u32 flags
 *              (1: the run ended, no values), f64 × λ (the values told, user sign)
 *   control    (8 B):  u32 worker, u32 code (1: resynchronise; 2: a worker serves offers; 3: roll call,
 *              every worker answers with 2; 4: a worker leaves)
 */
import { decode as decodeState } from "../contract/state.js";
import { strategies, type StrategyClass } from "../registry.js";

export interface WorkItem { generation: number; first: number; count: number; epoch: number }
/** The bytes of an encoded work item (an offer carries the log entry after them). */
export const WORK_BYTES = 16;
export interface Result { generation: number; first: number; values: Float64Array; hash: number; worker: number; failed?: number[]; error?: string }
export interface LogEntry { generation: number; hash: number; values: Float64Array; end: boolean }

const te = new TextEncoder(), td = new TextDecoder();

export function encodeWork(w: WorkItem): Uint8Array {
  const b = new Uint8Array(WORK_BYTES), v = new DataView(b.buffer);
  v.setUint32(0, w.generation, true); v.setUint32(4, w.first, true); v.setUint32(8, w.count, true); v.setUint32(12, w.epoch, true);
  return b;
}

export function decodeWork(b: Uint8Array): WorkItem {
  if (b.length !== WORK_BYTES) throw new RangeError(`evostrat/distributed: a work item has ${WORK_BYTES} bytes, got ${b.length}`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { generation: v.getUint32(0, true), first: v.getUint32(4, true), count: v.getUint32(8, true), epoch: v.getUint32(12, true) };
}

export function encodeResult(r: Result): Uint8Array {
  const n = r.values.length;
  const tail = r.failed?.length ? te.encode(JSON.stringify({ failed: r.failed, error: r.error ?? "" })) : new Uint8Array(0);
  const b = new Uint8Array(24 + 8 * n + tail.length), v = new DataView(b.buffer);
  v.setUint32(0, r.generation, true); v.setUint32(4, r.first, true); v.setUint32(8, n, true);
  v.setUint32(12, r.hash >>> 0, true); v.setUint32(16, r.worker >>> 0, true); v.setUint32(20, tail.length, true);
  for (let i = 0; i < n; i++) v.setFloat64(24 + 8 * i, r.values[i], true);
  b.set(tail, 24 + 8 * n);
  return b;
}

export function decodeResult(b: Uint8Array): Result {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (b.length < 24) throw new RangeError("evostrat/distributed: a result is too short");
  const n = v.getUint32(8, true), tl = v.getUint32(20, true);
  if (b.length !== 24 + 8 * n + tl) throw new RangeError("evostrat/distributed: a result has the wrong length");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = v.getFloat64(24 + 8 * i, true);
  const r: Result = { generation: v.getUint32(0, true), first: v.getUint32(4, true), values, hash: v.getUint32(12, true), worker: v.getUint32(16, true) };
  if (tl) {
    const t = JSON.parse(td.decode(b.subarray(24 + 8 * n))) as { failed: number[]; error: string };
    r.failed = t.failed;
    r.error = t.error;
  }
  return r;
}

export function encodeLog(e: LogEntry): Uint8Array {
  const n = e.values.length;
  const b = new Uint8Array(16 + 8 * n), v = new DataView(b.buffer);
  v.setUint32(0, e.generation, true); v.setUint32(4, e.hash >>> 0, true); v.setUint32(8, n, true); v.setUint32(12, e.end ? 1 : 0, true);
  for (let i = 0; i < n; i++) v.setFloat64(16 + 8 * i, e.values[i], true);
  return b;
}

export function decodeLog(b: Uint8Array): LogEntry {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const n = v.getUint32(8, true);
  if (b.length !== 16 + 8 * n) throw new RangeError("evostrat/distributed: a log entry has the wrong length");
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = v.getFloat64(16 + 8 * i, true);
  return { generation: v.getUint32(0, true), hash: v.getUint32(4, true), values, end: (v.getUint32(12, true) & 1) === 1 };
}

export function encodeControl(worker: number, code: number): Uint8Array {
  const b = new Uint8Array(8), v = new DataView(b.buffer);
  v.setUint32(0, worker >>> 0, true); v.setUint32(4, code, true);
  return b;
}

export function decodeControl(b: Uint8Array): { worker: number; code: number } {
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  return { worker: v.getUint32(0, true), code: v.getUint32(4, true) };
}

export const CTL_RESYNC = 1;
/** A worker serves offers (worker: its number); the coordinator asks every worker to say so (worker 0); a worker leaves. */
export const CTL_HELLO = 2, CTL_ROLLCALL = 3, CTL_BYE = 4;
/** The run's end is in the log (workers that stopped following it read it now). */
export const CTL_END = 5;

/** What the run's key-value store holds under "meta" (JSON). */
export interface RunMeta {
  /** the strategy's name (save() header) */
  strategy: string;
  dimension: number;
  popSize: number;
  /** the generation of the first log entry (the starting state's) */
  g0: number;
  /** "running" or "done" */
  status: "running" | "done";
  /** per-evaluation timeout (ms; 0: none), retries, and what a failure becomes */
  timeout: number;
  retries: number;
  onError: "nan" | "abort";
  /** ms a work item may stay unacknowledged before it is redelivered */
  ackWait: number;
  /** the coordinator's incarnation (0 for a fresh run, +1 at every resume); work items carry it */
  epoch?: number;
}

/** The checkpoint pointer under "ckpt" (JSON): the blob's chunks are "ckpt.<tag>.<i>". */
export interface CheckpointMeta { generation: number; tag: string; chunks: number; size: number }

/** The strategy class whose save() bytes these are. */
export function classOf(bytes: Uint8Array): StrategyClass {
  const name = decodeState(bytes).header.strategy;
  for (const C of Object.values(strategies)) if (C.strategyName === name) return C;
  throw new RangeError(`evostrat/distributed: no strategy named "${name}" in this build`);
}

/** Row ranges of a population of n rows in k items (as even as possible). */
export function split(n: number, k: number): [number, number][] {
  k = Math.max(1, Math.min(n, k));
  const out: [number, number][] = [];
  for (let j = 0; j < k; j++) {
    const a = Math.floor((j * n) / k), b = Math.floor(((j + 1) * n) / k);
    out.push([a, b - a]);
  }
  return out;
}
