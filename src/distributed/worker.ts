/**
 * A worker: holds a replica of the run's optimizer (the checkpoint, then the fitness log), takes work
 * items (generation, row range), draws only the item's rows on its replica (askRows: each row from its
 * own stream, the bits the coordinator's ask gives them), evaluates them with its own fitness module
 * and sends back the values with its replica's hash.
 *
 * tell needs the whole population (every row's z enters the update), so the replica still draws it
 * once per generation, but after its values went out, while the coordinator gathers the others: the
 * next generation's item then waits only for tell and its own rows.
 *
 * A worker follows the log (a JetStream consumer: one more message and wake-up per generation) only
 * while it needs it: joining, catching up, when an item finds its replica behind, when the run's end
 * is announced, or after a second without offers. While offers bring every entry (each offer carries
 * the previous generation's), it stops following after a few generations in a row; each time that
 * proves premature (an item found the replica behind), it waits twice as long before stopping again.
 */
import type { Strategy } from "../contract/strategy.js";
import { checkFitnessModule, type FitnessModule } from "../drivers/pool.js";
import { fail } from "../check.js";
import { CTL_BYE, CTL_END, CTL_HELLO, CTL_RESYNC, CTL_ROLLCALL, WORK_BYTES, decodeControl, encodeControl, decodeLog, decodeWork, encodeResult, type RunMeta, type WorkItem } from "./protocol.js";
import { getCheckpoint, getMeta, loadReplica, rowEvaluator, type Evaluated, type RowEvaluator } from "./replica.js";
import { DECLINED, TAKEN, type Channel, type Delivery, type Sub, type Transport } from "./transport.js";
import { connectTransport, type ConnectionOptions } from "./connect.js";

export interface WorkerOptions extends ConnectionOptions {
  /** The run to serve. Default "evostrat". */
  runId?: string;
  /** The fitness this worker imports itself: `{ module: url, name }` (no code crosses the wire). Required. */
  fitness: FitnessModule;
  /** Work items evaluated at once (for a fitness that returns Promises). Default 1. */
  concurrency?: number;
  /** Threads this worker evaluates on (the drivers' pool; 1: this thread). Default 1. */
  threads?: number;
  /** How long to wait for the run to appear, ms. Default Infinity. */
  waitForRun?: number;
}

export interface DistributedWorker {
  /** This worker's number (in results and control messages). */
  readonly id: number;
  /** Rows evaluated so far. */
  readonly evaluated: number;
  /** The replica's generation (tells applied). */
  readonly generation: number;
  /** Times the replica was rebuilt from the checkpoint (hash mismatch or a refusal). */
  readonly resyncs: number;
  /** Resolves once the worker holds a replica and takes work (it joins in the background). */
  readonly ready: Promise<void>;
  /** Resolves when the run ends (or the worker is closed); rejects on a fatal error. */
  readonly done: Promise<void>;
  /** The channel's byte counters. */
  readonly bytes: Channel["bytes"];
  close(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
// after pending I/O callbacks and microtasks, in this turn of the event loop where the runtime allows
const soon: (f: () => void) => void = (globalThis as { setImmediate?: (f: () => void) => void }).setImmediate ?? ((f) => setTimeout(f, 0));

/** Starts a worker for a run (see DistributedWorker). Resolves once connected; it then waits for the run and joins it (`ready`). */
export async function startWorker(options: WorkerOptions): Promise<DistributedWorker> {
  if (options === null || typeof options !== "object") fail("type", "startWorker(options):", "options must be an object");
  const { runId = "evostrat", fitness, concurrency = 1, threads = 1, waitForRun = Infinity } = options;
  if (fitness === null || typeof fitness !== "object") fail("type", `startWorker: option "fitness"`, "must be { module: url, name }");
  checkFitnessModule(`startWorker: option "fitness":`, fitness);
  if (!Number.isInteger(concurrency) || concurrency < 1) fail("range", `startWorker: option "concurrency"`, `must be an integer >= 1, got ${concurrency}`);
  if (!Number.isInteger(threads) || threads < 1) fail("range", `startWorker: option "threads"`, `must be an integer >= 1, got ${threads}`);
  const { transport, owned } = await connectTransport(options, "startWorker");
  return runWorker(transport, owned, runId, fitness, concurrency, threads, waitForRun);
}

/** @internal the worker over a transport (distribute starts its local worker with this). */
export async function runWorker(transport: Transport, ownsTransport: boolean, runId: string, fitness: FitnessModule, concurrency: number, threads: number, waitForRun = Infinity): Promise<DistributedWorker> {
  const ch = await transport.open(runId);
  const id = (Math.random() * 2 ** 32) >>> 0 || 1;
  let closed = false, evaluated = 0, resyncs = 0;
  let replica: Strategy | undefined;
  let hash = 0; // the replica's hash before its next tell (the log's last hash)
  let meta: RunMeta | undefined;
  let epoch = 0; // the newest coordinator incarnation seen (work items carry theirs)
  let logSub: Sub | undefined, workSub: Sub | undefined, ctlSub: Sub | undefined, fastSub: Sub | undefined;
  let ev: RowEvaluator | undefined;
  let waiters: (() => void)[] = [];
  // following the log: offers served in a row since it started (or the fast path last fell behind),
  // how many it takes to stop following, and when the last offer was served
  let streak = 0, needed = 4, lastOffer = 0, idle: ReturnType<typeof setInterval> | undefined;
  let settle!: { resolve: () => void; reject: (e: unknown) => void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => {}); // observed by whoever awaits it
  const wake = () => { const w = waiters; waiters = []; for (const f of w) f(); };

  const shutdown = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    if (fastSub) { try { ch.publishControl(encodeControl(id, CTL_BYE)); } catch { /* closed */ } }
    logSub?.stop(); workSub?.stop(); ctlSub?.stop(); fastSub?.stop();
    clearInterval(idle);
    wake();
    await ev?.close();
    replica?.dispose();
    await ch.close();
    if (ownsTransport) await transport.close();
    settle.resolve();
  };

  // the log's entries for replica r (from its generation on), applied in order
  const entries = (r: Strategy) => (b: Uint8Array) => {
    if (replica !== r) return;
    const e = decodeLog(b);
    if (e.end) { void shutdown(); return; }
    if (e.generation < r.generation) return; // told already (by an offer)
    if (e.generation > r.generation) { resync(); return; } // a gap: cannot happen on an ordered log
    try {
      if (!r.asked) r.ask();
      r.tell(e.values);
    } catch (err) {
      settle.reject(err);
      void shutdown();
      return;
    }
    if (r.stateHash() !== e.hash) { resync(); return; }
    hash = e.hash;
    wake();
  };
  // follows the log from the replica's next entry (when it does not already)
  let starting = false;
  const follow = (): void => {
    const r = replica;
    streak = 0;
    if (logSub || starting || syncing || !r || closed) return;
    starting = true;
    ch.readLog(r.generation - meta!.g0, entries(r)).then((sub) => {
      starting = false;
      if (replica !== r || closed || logSub) sub.stop();
      else logSub = sub;
    }, (e) => { starting = false; settle.reject(e); void shutdown(); });
  };
  const unfollow = (): void => {
    logSub?.stop();
    logSub = undefined;
  };
  // an item found the replica behind: follow the log, and stop following later next time
  const behind = (): void => {
    if (!logSub && !starting) needed = Math.min(2 * needed, 1 << 20);
    follow();
  };

  // (re)builds the replica from the checkpoint and follows the log from there
  let syncing: Promise<void> | undefined;
  const sync = (): Promise<void> =>
    (syncing ??= (async () => {
      unfollow();
      replica?.dispose();
      replica = undefined;
      let ck = await getCheckpoint(ch);
      for (let t = 0; !ck && !closed && t < 100; t++) { await sleep(20); ck = await getCheckpoint(ch); }
      if (!ck) throw new Error(`evostrat/distributed: run "${runId}" has no checkpoint`);
      const r = loadReplica(ck.bytes);
      replica = r;
      hash = ck.hash;
      streak = 0;
      const sub = await ch.readLog(ck.generation - meta!.g0, entries(r));
      if (replica !== r || closed || logSub) sub.stop();
      else logSub = sub;
      wake();
    })().finally(() => { syncing = undefined; }));
  const resync = () => {
    if (closed) return;
    resyncs++;
    replica?.dispose();
    replica = undefined;
    sync().catch((e) => { settle.reject(e); void shutdown(); });
  };

  // waits until the replica reached generation g (or could not: false)
  const reach = async (g: number, ms: number): Promise<boolean> => {
    const until = Date.now() + ms;
    while (!closed && (!replica || replica.generation < g)) {
      const left = until - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((r) => { waiters.push(r); setTimeout(r, Math.min(left, 50)); });
    }
    return !closed && !!replica && replica.generation === g;
  };

  // An item of a newer coordinator (a resumed run): if this replica went past the item's generation,
  // it applied an entry of the dead coordinator's offers that may never have been logged, and the new
  // coordinator runs that generation again: rebuild the replica from the checkpoint and the log. An
  // item of an older coordinator is stale. True when the item can be served (after the replica catches up).
  const current = (w: WorkItem): boolean => {
    if (w.epoch < epoch) return false;
    if (w.epoch > epoch) {
      epoch = w.epoch;
      if (replica && replica.generation > w.generation) resync();
    }
    return true;
  };

  const onItem = async (data: Uint8Array, d: Delivery): Promise<void> => {
    const w = decodeWork(data);
    if (!current(w)) { d.ack(); return; }
    if (replica && w.generation < replica.generation) { d.ack(); return; } // stale: told already
    if (replica && replica.generation < w.generation) behind();
    if (!(await reach(w.generation, 2000))) {
      if (replica && replica.generation > w.generation) d.ack(); else d.nak(100);
      return;
    }
    if (busy >= concurrency) { d.nak(10); return; } // evaluating offered items: another worker may take it
    busy++;
    try { await evaluateItem(w, d); } finally { busy--; }
  };

  // evaluates an item's rows on the replica (at the item's generation) and sends the values (to the
  // results subject, or as the answer to the offer that brought the item); synchronous (undefined)
  // when the fitness is (no Promise, no heartbeat timer), else a Promise
  const evaluateItem = (w: WorkItem, d: Delivery, send = (b: Uint8Array) => ch.publishResult(b)): Promise<void> | undefined => {
    const r = replica!;
    if (w.first + w.count > r.popSize || w.count === 0) { d.ack(); return; }
    const block = r.askRows(w.first, w.first + w.count).slice(); // a copy: the next ask or tell overwrites the rows
    const h = hash;
    const deliver = (out: Evaluated) => {
      if (closed) return;
      evaluated += w.count;
      send(encodeResult({ generation: w.generation, first: w.first, values: out.values, hash: h, worker: id, failed: out.failed.length ? out.failed.map((i) => i + w.first) : undefined, error: out.error }));
      d.ack();
      // the whole population tell will need, drawn now that the values are out (off the next item's
      // path): after the microtask that writes them to the socket, and without a timer (setTimeout(0)
      // would wake the process once more per generation)
      soon(() => { if (replica === r && !closed && !r.asked && r.generation === w.generation) r.ask(); });
    };
    const lost = (e: unknown) => {
      d.nak(100);
      settle.reject(e);
      void shutdown();
    };
    let out: Evaluated | Promise<Evaluated>;
    try {
      out = ev!.evaluate(block, w.count, r.dimension);
      if (!(out instanceof Promise)) { deliver(out); return; }
    } catch (e) {
      lost(e);
      return;
    }
    // a heartbeat while the evaluations are pending restarts the item's ack wait
    const beat = setInterval(() => d.working(), Math.max(50, (meta!.ackWait ?? 5000) / 3));
    return out.then(deliver).catch(lost).finally(() => clearInterval(beat));
  };

  // The fast path: an offered item carries the previous generation's log entry (stored in the log at
  // the same time); a replica one tell behind applies it now instead of waiting for the log. An item
  // this replica cannot serve at once is declined (the coordinator queues it durably). The answer is
  // the item's values when they are ready within this turn of the event loop (a quick fitness: one
  // message instead of two), else "taken", and the values follow on the results subject.
  let busy = 0; // items being evaluated, offered or queued (at most `concurrency`: offers beyond are declined)
  // an offered item's heartbeat: an empty result (the coordinator restarts the item's deadline)
  const offeredDelivery = (w: WorkItem): Delivery => ({
    ack() {}, nak() {},
    working() { if (!closed) ch.publishResult(encodeResult({ generation: w.generation, first: w.first, values: new Float64Array(0), hash, worker: id })); },
  });
  const onOffer = (data: Uint8Array): Uint8Array | Promise<Uint8Array> => {
    const r = replica;
    if (closed || !r || syncing || !ev || data.length < WORK_BYTES) return DECLINED;
    const w = decodeWork(data.subarray(0, WORK_BYTES));
    if (!current(w) || replica !== r) return DECLINED; // stale, or being rebuilt (the queue brings it back)
    if (data.length > WORK_BYTES && r.generation === w.generation - 1) {
      const e = decodeLog(data.subarray(WORK_BYTES));
      if (e.end || e.generation !== r.generation) return DECLINED;
      if (!r.asked) r.ask();
      r.tell(e.values);
      if (r.stateHash() !== e.hash) { resync(); return DECLINED; }
      hash = e.hash;
      wake();
    }
    if (r.generation < w.generation) { behind(); return DECLINED; } // the queue brings it back, the log the entries
    lastOffer = Date.now();
    // offers keep the replica current: the log is not needed
    if (logSub && ++streak >= needed) unfollow();
    if (r.generation !== w.generation || w.first + w.count > r.popSize || busy >= concurrency) return DECLINED;
    busy++;
    // a quick fitness: the values are the answer, at once (one message instead of two)
    let now = true, sent: Uint8Array | undefined, answer: ((b: Uint8Array) => void) | undefined;
    const p = evaluateItem(w, offeredDelivery(w), (b) => {
      if (now) sent = b;
      else if (answer) { const a = answer; answer = undefined; a(b); }
      else ch.publishResult(b);
    });
    now = false;
    if (p === undefined) { busy--; return sent ?? TAKEN; }
    return new Promise<Uint8Array>((resolve) => {
      // a macrotask comes after every microtask: values ready by then go in the answer
      const later = setTimeout(() => { answer = undefined; resolve(TAKEN); }, 0);
      answer = (b) => { clearTimeout(later); resolve(b); };
      void p.finally(() => { busy--; });
    });
  };

  // joins in the background: waits for the run, loads the fitness, the replica, then takes work
  const ready = (async () => {
    const until = Date.now() + waitForRun;
    for (;;) {
      if (closed) return;
      meta = await getMeta(ch);
      if (meta?.status === "running") { epoch = meta.epoch ?? 0; break; }
      if (Date.now() > until) throw new Error(`evostrat/distributed: run "${runId}" did not start within ${waitForRun} ms`);
      await sleep(50);
    }
    ev = await rowEvaluator(fitness, threads, { timeout: meta.timeout, retries: meta.retries });
    if (closed) return;
    ctlSub = await ch.subscribeControl((b) => {
      const c = decodeControl(b);
      if (c.worker === id && c.code === CTL_RESYNC) resync();
      else if (c.code === CTL_ROLLCALL && fastSub && !closed) ch.publishControl(encodeControl(id, CTL_HELLO));
      else if (c.code === CTL_END) follow();
    });
    await sync();
    if (closed) return;
    workSub = await ch.consumeWork(concurrency, (data, d) => void onItem(data, d));
    if (ch.serveOffers && !closed) {
      fastSub = await ch.serveOffers(id, onOffer);
      ch.publishControl(encodeControl(id, CTL_HELLO));
      // a second without offers (the run paused, ended, or its coordinator died): follow the log again
      idle = setInterval(() => { if (!logSub && Date.now() - lastOffer > 1000) follow(); }, 1000);
      (idle as { unref?: () => void }).unref?.();
    }
  })();
  const readyOut = ready.then(() => {});
  readyOut.catch(() => {}); // reported through done as well
  ready.catch(async (e) => {
    settle.reject(e);
    await shutdown();
  });
  return {
    id,
    get evaluated() { return evaluated; },
    get generation() { return replica?.generation ?? -1; },
    get resyncs() { return resyncs; },
    done,
    ready: readyOut,
    bytes: ch.bytes,
    close: shutdown,
  };
}
