/*
 * The coordinator of a distributed run, in two shapes over one session:
 * - `distributed(strategy, options)`: ask/tell for users who drive the loop themselves (`run.ask()`
 *   sends the generation's work items and asks the strategy, `await run.evaluate()` gathers the λ
 *   values from the workers, `run.tell(values)` tells the strategy and logs the values for the replicas);
 * - `distribute(strategy, options)`: minimize's loop (drivers/evaluate.ts `generations`) over that session.
 *
 * Per generation: publish the work items (row ranges) with the previous generation's log entry, store
 * that entry in the log at the same time (the generation ends only once it is stored), checkpoint
 * when due (off the critical path), gather λ values (the first value of a row counts; a result from
 * a replica whose hash differs is refused and that worker told to resynchronise; lost items come back
 * by redelivery), tell.
 *
 * A run is named (runId). When the store holds an unfinished run of that name, the coordinator resumes
 * it: the checkpoint, then the logged values, bring a fresh replica to where the last coordinator was,
 * bit for bit; the work of the interrupted generation is published again, under a new epoch (a worker
 * that applied an entry the dead coordinator offered but never stored rebuilds its replica from the log).
 */
import type { GenerationInfo, Population, StopReason, Strategy } from "../contract/strategy.js";
import { describe, fail, num } from "../check.js";
import { drive, generations, type LoopEnd } from "../drivers/evaluate.js";
import { checkFitnessModule, type FitnessModule } from "../drivers/pool.js";
import { CTL_BYE, CTL_END, CTL_HELLO, CTL_RESYNC, CTL_ROLLCALL, WORK_BYTES, decodeControl, decodeLog, decodeResult, encodeControl, encodeLog, encodeWork, split, type RunMeta } from "./protocol.js";
import { getCheckpoint, getMeta, loadReplica, putCheckpoint, putJson } from "./replica.js";
import { connectTransport, type ConnectionOptions } from "./connect.js";
import { runWorker, type DistributedWorker } from "./worker.js";
import { FAST_DECLINED, FAST_TAKEN, type Bytes, type Channel, type Sub } from "./transport.js";

/** The options of a distributed run's coordinator (`distributed`, and `distribute` with a few more). */
export interface RunOptions extends ConnectionOptions {
  /** The fitness the local worker imports (required when `workers` > 0). Default: none. */
  fitness?: FitnessModule;
  /**
   * Threads this process evaluates on, as one local worker (the drivers' pool when > 1). Default 1
   * in-process, 0 with `servers` or `transport` (the workers are elsewhere).
   */
  workers?: number;
  /** The run's name in the store; workers name it too. An unfinished run of that name is resumed. Default "evostrat". */
  runId?: string;
  /** Generations between checkpoints (the first is the starting state). Default 10, spaced out when a checkpoint takes over a tenth of the time; a number given is followed exactly. */
  // the default's spacing: a state of 173 MB (RMES at d = 10^6, λ = 16) took 5 s to store, against
  // 0.17 s a generation; every 10 generations, checkpoints took 3/4 of the run
  checkpointEvery?: number;
  /** Work items per generation (row ranges of about λ/items rows). Default 4 (at most λ). */
  items?: number;
  /** ms before an unacknowledged item is redelivered (a dead worker's rows). Default 5000. */
  ackWait?: number;
  /** Per-evaluation timeout in ms for a fitness that returns a Promise (0: none). Default 0. */
  timeout?: number;
  /** Attempts after the first before an evaluation counts as failed. Default 0. */
  retries?: number;
  /** A failed evaluation: 'nan' (the worst value) or 'abort' (the generation rejects naming the row). Default 'nan'. */
  onError?: "nan" | "abort";
  /** ms to wait for a generation's values before rejecting. Default Infinity. */
  generationTimeout?: number;
}

export interface DistributeOptions extends RunOptions {
  /** Called after every generation; return false to stop ("callback"). Default: none. */
  onGeneration?: (info: GenerationInfo) => boolean | void;
  /** Generations to run at most (besides the strategy's stop criteria). Default Infinity. */
  maxGenerations?: number;
}

/** Protocol figures of a coordinator. */
export interface RunStats {
  /** Payload bytes this coordinator (and its local worker) sent and received, by kind. */
  bytes: Bytes;
  /** Results refused because the worker's replica hash differed. */
  refused: number;
  /** Values that came for a row that already had one (redelivered items), or for a past generation. */
  duplicates: number;
  /** Rows whose evaluation failed after its retries (told as NaN with onError 'nan'). */
  failed: number;
  /** Checkpoints stored. */
  checkpoints: number;
  /**
   * Items sent to the durable queue at once because their worker was gone (a probe or the offer found
   * nobody): the items offered to it, and the items already queued, which it may have held.
   */
  lost: number;
}

export interface DistributeResult {
  x: Float64Array;
  f: number;
  evaluations: number;
  generations: number;
  stopReason: StopReason | "callback" | undefined;
  stopReasons: (StopReason | "callback")[];
  history: { bestF: number[]; meanF: number[]; sigma: number[] };
  /** The coordinator's optimizer at the end (the given one, or its replica when the run was resumed). */
  strategy: Strategy;
  /** True when this call resumed an unfinished run. */
  resumed: boolean;
  /** Protocol figures: payload bytes this coordinator sent and received by kind, refused results, duplicates, failed rows. */
  stats: RunStats;
}

/**
 * A distributed run driven by its caller: the strategy's ask/tell, with the evaluations done by the
 * run's workers. One generation is `run.ask()` (optional), `await run.evaluate()`, `run.tell(values)`;
 * tell the strategy only through `run.tell` (the replicas follow the values it logs).
 */
export interface DistributedRun {
  /** The coordinator's optimizer: the given one, or its replica when an unfinished run was resumed. Read it freely; ask and tell through the run. */
  readonly strategy: Strategy;
  /** True when an unfinished run of this name was resumed (`strategy` is then its replica, at the generation it reached). */
  readonly resumed: boolean;
  readonly stats: RunStats;
  /**
   * Sends the next generation's work items to the workers, then asks the strategy (its own draw
   * overlaps theirs) and returns the population: the rows the workers evaluate, bit for bit. A view,
   * as strategy.ask()'s.
   */
  ask(): Population;
  /**
   * The values of the generation asked (asking first when it is not): one per row, user sign, NaN for
   * a row whose evaluation failed (onError 'nan'). A new array. Rejects after `generationTimeout`, or
   * naming the row with onError 'abort'; the population stays asked, so evaluate() may be called again.
   */
  evaluate(): Promise<Float64Array>;
  /**
   * Tells the strategy these values for the population asked (the evaluated ones, or any others:
   * penalties, a transform) and logs them with the state hash, so that every replica reaches the same
   * state. Returns the strategy's tell() figures.
   */
  tell(values: ArrayLike<number>): GenerationInfo;
  /**
   * Stops coordinating. `finish` (default true) ends the run: the workers leave, and a later
   * coordinator with this runId starts afresh; `finish: false` leaves it unfinished, to be resumed.
   */
  close(options?: { finish?: boolean }): Promise<void>;
}

interface Session {
  s: Strategy;
  resumed: boolean;
  /** The generation the run started at (a resumed run's first coordinator's). */
  g0: number;
  stats: RunStats;
  /** Sends the work items of the strategy's current generation (once per generation). */
  send(): void;
  /** Waits for the values of the generation sent (sending it first when needed): a fresh array. */
  gather(): Promise<Float64Array>;
  /** After the strategy's tell: the log entry of those values and the checkpoint, when due. */
  told(values: Float64Array): void;
  /** Stores what is pending: the last entry, the checkpoint. */
  settle(): Promise<void>;
  /** Stores what is pending, the run's end in the log and its status. */
  finish(): Promise<void>;
  close(): Promise<void>;
}

/** Checks the options and opens (or resumes) a run: the session both shapes drive. */
async function openSession(strategy: Strategy, o: RunOptions, where: string): Promise<Session> {
  if (strategy === null || typeof strategy !== "object" || typeof strategy.ask !== "function" || typeof strategy.save !== "function") fail("type", `${where}(strategy):`, "strategy must be an evostrat strategy (new CSAES({...}), ...)");
  if (o === null || typeof o !== "object") fail("type", `${where}(strategy, options):`, "options must be an object");
  const inProcess = o.servers === undefined && o.transport === undefined;
  const workers = num("workers", o.workers, inProcess ? 1 : 0, { min: 0, integer: true, max: 1024 });
  if (workers > 0) {
    if (o.fitness === null || typeof o.fitness !== "object") fail("type", `${where}: option "fitness"`, "must be { module: url, name } when workers > 0 (the local worker imports it)");
    checkFitnessModule(`${where}: option "fitness":`, o.fitness);
  }
  if (inProcess && workers === 0) fail("range", `${where}: option "workers"`, "must be >= 1 without servers (nobody else would evaluate)");
  const runId = o.runId ?? "evostrat";
  if (typeof runId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(runId)) fail("type", `${where}: option "runId"`, `must be 1 to 64 letters, digits, _ or -, got ${String(runId)}`);
  const every = num("checkpointEvery", o.checkpointEvery, 10, { min: 1, integer: true, infinite: true });
  // the default also spaces checkpoints by their cost (see RunOptions.checkpointEvery)
  const byCost = o.checkpointEvery === undefined;
  const items = num("items", o.items, 4, { min: 1, integer: true, max: 1 << 20 });
  const ackWait = num("ackWait", o.ackWait, 5000, { min: 10, max: 3_600_000 });
  const timeout = num("timeout", o.timeout, 0, { min: 0 });
  const retries = num("retries", o.retries, 0, { min: 0, integer: true, max: 100 });
  const onError = o.onError ?? "nan";
  if (onError !== "nan" && onError !== "abort") fail("range", `${where}: option "onError"`, `must be 'nan' or 'abort', got ${String(onError)}`);
  const genTimeout = num("generationTimeout", o.generationTimeout, Infinity, { min: 1, infinite: true });
  if (strategy.disposed) fail("type", `${where}(strategy):`, "the strategy is disposed");
  if (strategy.asked) fail("type", `${where}(strategy):`, "the strategy has a population waiting for tell(): tell or discard() it first");

  const { transport, owned } = await connectTransport(o, where, true);
  let ch: Channel | undefined, local: DistributedWorker | undefined;
  const subs: Sub[] = [];
  const shut = async () => {
    for (const x of subs.splice(0)) x.stop();
    await local?.close();
    await ch?.close();
    if (owned) await transport.close();
  };
  try {
    ch = await transport.open(runId, { ackWait });
    const c = ch;
    const stats: RunStats = { bytes: c.bytes, refused: 0, duplicates: 0, failed: 0, checkpoints: 0, lost: 0 };
    // the workers that serve offers (the fast path), in the order they said hello
    const members: number[] = [];
    // workers forgotten because an offer went unanswered (blocked, or dying): offered nothing until
    // they say hello again, but still probed, since one may die holding a queue item; and those found gone
    const quiet = new Set<number>(), dead = new Set<number>();
    let rr = 0;
    const forget = (w: number) => {
      const k = members.indexOf(w);
      if (k >= 0) members.splice(k, 1);
    };
    if (c.offer) {
      subs.push(await c.subscribeControl((b) => {
        const m = decodeControl(b);
        if (m.code === CTL_HELLO) {
          // alive (one found gone while the server restarted has resubscribed)
          quiet.delete(m.worker);
          dead.delete(m.worker);
          if (!members.includes(m.worker)) members.push(m.worker);
        } else if (m.code === CTL_BYE) {
          forget(m.worker);
          quiet.delete(m.worker);
        }
      }));
    }
    // a fresh run, or the unfinished one of this name
    const old = await getMeta(c);
    let s = strategy, resumed = false, hash: number, epoch = 0, g0 = strategy.generation;
    // ms the last checkpoint took (save() to stored), when it was stored, and whether one is on its way
    let ckptCost = 0, ckptAt = 0, ckptBusy = false;
    if (old?.status === "running") {
      const ck = await getCheckpoint(c);
      if (!ck) throw new Error(`evostrat/distributed: run "${runId}" is unfinished but has no checkpoint`);
      s = loadReplica(ck.bytes);
      if (s.dimension !== strategy.dimension || (s.constructor as typeof Strategy).strategyName !== (strategy.constructor as typeof Strategy).strategyName) {
        s.dispose();
        fail("type", `${where}(strategy):`, `run "${runId}" is unfinished with another strategy or dimension; give another runId`);
      }
      hash = ck.hash;
      g0 = old.g0;
      const n = await c.logLength();
      // replay the logged values from the checkpoint on (ordered, so index = generation - g0)
      const logged: Uint8Array[] = [];
      const want = n - (ck.generation - old.g0);
      if (want > 0) {
        await new Promise<void>((resolve) => {
          let sub: Sub | undefined;
          void c.readLog(ck.generation - old.g0, (b) => { logged.push(b); if (logged.length === want) { sub?.stop(); resolve(); } }).then((x) => { sub = x; if (logged.length >= want) x.stop(); });
        });
      }
      for (const b of logged) {
        const e = decodeLog(b);
        if (e.end) break;
        if (!s.asked) s.ask();
        s.tell(e.values);
        if (s.stateHash() !== e.hash) throw new Error(`evostrat/distributed: run "${runId}": replaying generation ${e.generation} gave another state than was logged (another build?)`);
        hash = e.hash;
      }
      await c.purgeWork();
      epoch = (old.epoch ?? 0) + 1;
      await putJson(c, "meta", { ...old, epoch } satisfies RunMeta);
      resumed = true;
    } else {
      await c.reset();
      hash = strategy.stateHash();
      const t0 = performance.now();
      await putCheckpoint(c, strategy.save(), strategy.generation, hash);
      ckptCost = performance.now() - t0;
      stats.checkpoints++;
      const meta: RunMeta = { strategy: (strategy.constructor as typeof Strategy).strategyName, dimension: strategy.dimension, popSize: strategy.popSize, g0: strategy.generation, status: "running", timeout, retries, onError, ackWait, epoch };
      await putJson(c, "meta", meta);
    }
    let lastCkpt = s.generation;
    ckptAt = performance.now();

    // the values of the generation being gathered
    interface Gathering {
      g: number; values: Float64Array; have: Uint8Array; left: number; expect: number;
      got: Promise<void>; resolve: () => void; reject: (e: unknown) => void; failed: boolean;
      /** the previous generation's entry, stored */
      stored: Promise<void>;
      /** offered items' deadlines, and the heartbeat that restarts one; the next probe of the workers */
      timers: Map<number, ReturnType<typeof setTimeout>>; beat?: (first: number) => void; probe?: ReturnType<typeof setTimeout>;
    }
    let cur: Gathering | undefined;
    const onResult = (b: Uint8Array) => {
      const r = decodeResult(b);
      const g = cur;
      if (!g || r.generation !== g.g) { if (r.values.length) stats.duplicates++; return; }
      if (r.values.length === 0 && !r.failed?.length) { g.beat?.(r.first); return; } // an offered item still in work
      if (r.hash !== g.expect) {
        // a replica in another state: its values are not this generation's; its rows go out again
        stats.refused++;
        c.publishControl(encodeControl(r.worker, CTL_RESYNC));
        void c.publishWork([encodeWork({ generation: g.g, first: r.first, count: r.values.length, epoch })]);
        return;
      }
      if (r.failed?.length && onError === "abort") {
        g.reject(new Error(`evostrat/distributed: the fitness failed on row ${r.failed[0]} of generation ${r.generation}: ${r.error ?? ""}`));
        return;
      }
      stats.failed += r.failed?.length ?? 0;
      for (let i = 0; i < r.values.length; i++) {
        const k = r.first + i;
        if (k >= g.values.length) break;
        if (g.have[k]) { stats.duplicates++; continue; }
        g.have[k] = 1;
        g.values[k] = r.values[i];
        if (--g.left === 0) g.resolve();
      }
    };
    subs.push(await c.subscribeResults(onResult));

    if (c.offer) c.publishControl(encodeControl(0, CTL_ROLLCALL)); // workers of a resumed run say hello again
    if (workers > 0) local = await runWorker(transport, false, runId, o.fitness!, 1, workers);

    // The previous generation's log entry goes out with the next generation's work and is stored at
    // the same time; the checkpoint taken after that tell (before the next ask) is stored once the
    // entry is, one at a time, off the critical path (the run's end waits for it).
    // Appends are chained, so the log stays in generation order whatever the caller awaits; with none
    // in flight (the usual case) the append is issued at once, so that the client writes it to the
    // server together with the generation's offers.
    let pending: { data: Uint8Array; id: string } | undefined;
    let pendingCkpt: { bytes: Uint8Array; g: number; hash: number; t0: number } | undefined;
    let logTail: Promise<void> = Promise.resolve(), storing: Promise<void> = Promise.resolve(), appending = 0;
    const append = (p: { data: Uint8Array; id: string }) => {
      appending++;
      return c.appendLog(p.data, p.id).finally(() => { appending--; });
    };
    const flush = (): Promise<void> => {
      if (pending) {
        const p = pending;
        pending = undefined;
        logTail = appending === 0 ? append(p) : logTail.then(() => append(p));
      }
      const appended = logTail;
      if (pendingCkpt) {
        const k = pendingCkpt;
        pendingCkpt = undefined;
        // never ahead of the log: a resumed coordinator replays the entries after the checkpoint
        storing = Promise.all([storing, appended]).then(() => putCheckpoint(c, k.bytes, k.g, k.hash)).then(() => {
          stats.checkpoints++;
          ckptAt = performance.now();
          ckptCost = ckptAt - k.t0;
        }).finally(() => { ckptBusy = false; });
      }
      storing.catch(() => {}); // awaited by finish()
      appended.catch(() => {}); // awaited by gather() and finish()
      return appended;
    };
    const stop = (k: Gathering) => {
      for (const t of k.timers.values()) clearTimeout(t);
      clearTimeout(k.probe);
      k.timers.clear();
      k.probe = undefined;
      if (cur === k) cur = undefined;
    };
    const fastWait = Math.min(ackWait, 1000), probeEvery = Math.max(10, Math.min(ackWait / 10, 1000));
    const PROBE = new Uint8Array(0);

    const send = (): void => {
      const g = s.generation;
      if (cur?.g === g) return;
      if (cur) stop(cur); // a generation told without its values (the ask/tell shape allows it)
      const n = s.popSize;
      let resolve!: () => void, reject!: (e: unknown) => void;
      const got = new Promise<void>((res, rej) => { resolve = res; reject = rej; });
      got.catch(() => {}); // awaited by gather()
      const entry = pending?.data;
      const k: Gathering = { g, values: new Float64Array(n), have: new Uint8Array(n), left: n, expect: hash, got, resolve, reject: (e) => { k.failed = true; reject(e); }, failed: false, stored: flush(), timers: new Map() };
      cur = k;
      const ranges = split(n, items);
      const work = (first: number, count: number) => encodeWork({ generation: g, first, count, epoch });
      // the worker of each offered item taken, and the items sent to the durable queue
      const holder = new Map<number, number>(), queued = new Set<number>();
      // an item's rows still missing go to the durable queue (its workers wait for the log entry)
      const durable = (first: number, count: number): Promise<void> | undefined => {
        if (cur !== k) return;
        holder.delete(first);
        queued.add(first);
        for (let r = first; r < first + count; r++) if (!k.have[r]) return c.publishWork([work(first, count)]);
      };
      if (!c.offer) {
        // a worker takes an item from the queue and waits for the previous generation's entry in the log
        c.publishWork(ranges.map(([first, count]) => work(first, count))).catch((e) => k.reject(e));
        return;
      }
      // the fast path: each item goes, with the previous generation's entry, to one worker by
      // request/reply; one declined or unanswered goes to the durable queue at once, one taken whose
      // values do not come within ackWait (after it was taken, or after the worker's last heartbeat) too
      const sizes = new Map<number, number>(ranges);
      const arm = (first: number, count: number) => {
        clearTimeout(k.timers.get(first));
        k.timers.set(first, setTimeout(() => { k.timers.delete(first); void durable(first, count)?.catch(() => {}); }, ackWait));
      };
      k.beat = (first) => { if (k.timers.has(first)) arm(first, sizes.get(first)!); };
      const done = (first: number, count: number) => { for (let r = first; r < first + count; r++) if (!k.have[r]) return false; return true; };
      // A worker found gone (the server says nobody serves it any more: a killed worker's connection
      // is gone at once) is forgotten and the live ones asked to say hello again; the items it took
      // go to the durable queue now, not ackWait later. So do the items already queued: the dead
      // worker may hold one that the queue delivered to it (a busy worker's pull brings items it
      // passes back, so any worker may hold one at its death), which would come back only after
      // ackWait. A copy in the queue costs at most an evaluation whose values count as duplicates.
      const gone = (w: number) => {
        const newly = !dead.has(w);
        if (newly) {
          dead.add(w);
          forget(w);
          quiet.delete(w);
          c.publishControl(encodeControl(0, CTL_ROLLCALL));
        }
        for (const [first, count] of ranges) {
          if (done(first, count) || !(holder.get(first) === w || (newly && queued.has(first)))) continue;
          stats.lost++;
          clearTimeout(k.timers.get(first));
          k.timers.delete(first);
          void durable(first, count)?.catch(() => {});
        }
      };
      // Every probeEvery ms until the values come, the workers (those forgotten for an unanswered
      // offer, and those of the items taken, too) are probed, whatever they hold: a queue item's
      // worker is not known here. A worker blocked in a synchronous fitness cannot answer; that is
      // not a death, and its items' deadline stays ackWait.
      const probe = () => {
        k.probe = undefined;
        if (cur !== k) return;
        const who = new Set([...members, ...quiet]);
        for (const [first, w] of holder) if (!done(first, sizes.get(first)!) && !dead.has(w)) who.add(w);
        void Promise.all([...who].map((w) => c.offer!(PROBE, fastWait, w).then((answer) => {
          if (cur === k && answer?.length === 0) gone(w);
        }))).then(() => { if (cur === k) k.probe = setTimeout(probe, probeEvery); });
      };
      k.probe = setTimeout(probe, probeEvery);
      const offers = ranges.map(([first, count], j) => {
        const w = work(first, count);
        const data = entry ? new Uint8Array(WORK_BYTES + entry.length) : w;
        if (entry) { data.set(w); data.set(entry, WORK_BYTES); }
        // item j goes to the workers in turn from member rr + j: one that declines (busy) passes it
        // to the next, one that does not answer is forgotten (until it says hello again); when every
        // worker was asked, or there is none, the item goes to the durable queue
        const start = rr + j;
        const attempt = (a: number): Promise<void> | undefined => {
          if (cur !== k) return;
          if (a >= members.length) return durable(first, count);
          const to = members[(start + a) % members.length];
          return c.offer!(data, fastWait, to).then((answer) => {
            if (answer && answer.length > 1) { onResult(answer); return; } // taken and done: the values
            if (cur !== k) return;
            if (answer?.[0] === FAST_TAKEN) { holder.set(first, to); arm(first, count); }
            else if (answer?.[0] === FAST_DECLINED) return attempt(a + 1);
            else {
              // gone, or no answer (blocked, dying, or the server restarts: it stays probed): forget
              // it, ask the live workers to say hello again, and queue this item (and, when the server
              // said it is gone, the dead worker's)
              stats.lost++;
              if (answer?.length === 0) gone(to);
              else {
                forget(to);
                quiet.add(to);
                c.publishControl(encodeControl(0, CTL_ROLLCALL));
              }
              return durable(first, count);
            }
          });
        };
        return attempt(0);
      });
      rr = (rr + ranges.length) % Math.max(1, members.length);
      void Promise.all(offers).catch((e) => k.reject(e));
    };

    const gather = async (): Promise<Float64Array> => {
      if (cur?.g !== s.generation) send();
      const k = cur!;
      let timer: ReturnType<typeof setTimeout> | undefined;
      try {
        const both = Promise.all([k.got, k.stored]);
        await (Number.isFinite(genTimeout)
          ? Promise.race([both, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`evostrat/distributed: generation ${k.g} got no values within ${genTimeout} ms (are workers running for run "${runId}"?)`)), genTimeout); })])
          : both);
      } catch (e) {
        // a failed generation (onError 'abort') is sent again by the next gather; one that timed out
        // keeps gathering (its values may still come)
        if (k.failed) stop(k);
        throw e;
      } finally {
        clearTimeout(timer);
      }
      stop(k);
      return k.values;
    };

    const told = (values: Float64Array): void => {
      hash = s.stateHash();
      pending = { data: encodeLog({ generation: s.generation - 1, hash, values, end: false }), id: `g${s.generation - 1}` };
      if (s.generation - lastCkpt >= every && !(byCost && (ckptBusy || performance.now() - ckptAt < 10 * ckptCost))) {
        const t0 = performance.now();
        ckptBusy = true;
        pendingCkpt = { bytes: s.save(), g: s.generation, hash, t0 };
        lastCkpt = s.generation;
      }
    };

    let closed = false;
    const settle = async () => {
      await flush();
      await storing;
    };
    return {
      s, resumed, g0, stats, send, gather, told, settle,
      async finish() {
        await settle();
        await c.appendLog(encodeLog({ generation: s.generation, hash, values: new Float64Array(0), end: true }), "end");
        // workers that stopped following the log read its end now (the others within a second)
        c.publishControl(encodeControl(0, CTL_END));
        const meta = await getMeta(c);
        await putJson(c, "meta", { ...meta, status: "done" });
      },
      async close() {
        if (closed) return;
        closed = true;
        if (cur) stop(cur);
        await shut();
      },
    };
  } catch (e) {
    await shut();
    throw e;
  }
}

/**
 * Opens a distributed run for a caller that drives ask/tell itself (see DistributedRun): the same
 * options as `distribute` but its loop's (`onGeneration`, `maxGenerations`). Resolves once the run is
 * set up (or resumed); close() it when done.
 */
export async function distributed(strategy: Strategy, options: RunOptions = {}): Promise<DistributedRun> {
  const o = options as DistributeOptions;
  if (o !== null && typeof o === "object" && (o.onGeneration !== undefined || o.maxGenerations !== undefined)) {
    fail("type", `distributed: option "${o.onGeneration !== undefined ? "onGeneration" : "maxGenerations"}"`, "belongs to distribute(); with distributed() your own loop decides when to stop");
  }
  const session = await openSession(strategy, options, "distributed");
  const s = session.s, n = s.popSize;
  // the generation this run expects to ask or tell next (a tell elsewhere would leave the replicas behind)
  let expected = s.generation, closed = false;
  const check = (call: string) => {
    if (closed) throw new Error(`evostrat/distributed: ${call} called on a closed run`);
    if (s.disposed) throw new Error(`evostrat/distributed: ${call}: the strategy is disposed`);
    if (s.generation !== expected) throw new Error(`evostrat/distributed: ${call}: the strategy was told outside run.tell() (generation ${s.generation}, the run is at ${expected}); the replicas cannot follow`);
  };
  const values = new Float64Array(n);
  const ask = (): Population => {
    check("ask()");
    if (s.asked) throw new Error("evostrat: ask() called out of order: expected tell(fitness) for the population of the previous ask()");
    session.send();
    return s.ask();
  };
  return {
    strategy: s,
    resumed: session.resumed,
    stats: session.stats,
    ask,
    async evaluate() {
      check("evaluate()");
      if (!s.asked) ask();
      return session.gather();
    },
    tell(fitness) {
      check("tell()");
      if (!s.asked) throw new Error("evostrat: tell() called out of order: expected ask() or evaluate() first");
      if (fitness === null || typeof fitness !== "object" || typeof (fitness as ArrayLike<number>).length !== "number") fail("type", "tell(values):", `values must be an array or typed array of numbers, got ${describe(fitness)}`);
      if (fitness.length !== n) fail("range", "tell(values):", `values must have length ${n} (the population size), got ${fitness.length}`);
      // read once, as the strategy's tell does: the log must hold exactly what was told
      for (let i = 0; i < n; i++) {
        const v = fitness[i];
        if (typeof v !== "number") fail("type", "tell(values):", `values[${i}] must be a number, got ${describe(v)}`);
        values[i] = v;
      }
      const info = s.tell(values);
      expected = s.generation;
      session.told(values);
      return info;
    },
    async close(opts = {}) {
      if (closed) return;
      closed = true;
      try {
        if (opts.finish ?? true) await session.finish();
        else await session.settle(); // everything told so far is stored: the next coordinator resumes from it
      } finally {
        if (!s.disposed && s.asked) s.discard();
        await session.close();
      }
    },
  };
}

/** Runs `strategy` with its evaluations spread over workers (see the module comment): minimize's loop, stop criteria, history and result. */
export async function distribute(strategy: Strategy, options: DistributeOptions = {}): Promise<DistributeResult> {
  const o = options;
  if (o !== null && typeof o === "object") {
    if (o.onGeneration !== undefined && typeof o.onGeneration !== "function") fail("type", `distribute: option "onGeneration"`, "must be a function");
    num("maxGenerations", o.maxGenerations, Infinity, { min: 0, integer: true, infinite: true });
  }
  const session = await openSession(strategy, o, "distribute");
  const s = session.s;
  try {
    const maxGenerations = o.maxGenerations ?? Infinity;
    const history = { bestF: [] as number[], meanF: [] as number[], sigma: [] as number[] };
    const reasons = await drive(generations(s, {
      // a resumed run counts the generations its first coordinator ran
      maxGenerations: Math.max(0, maxGenerations - (s.generation - session.g0)),
      // the work goes out before the coordinator's own ask, which then overlaps the workers' draws
      beforeAsk: () => session.send(),
      onGeneration: (info, values) => {
        session.told(values);
        history.bestF.push(info.bestF); history.meanF.push(info.meanF); history.sigma.push(info.sigma);
        return o.onGeneration?.(info);
      },
    }), { evaluateBatch: () => session.gather() }, "distribute:") as LoopEnd[];
    await session.finish();
    const stopReasons = reasons.filter((r): r is StopReason | "callback" => r !== "halt" && r !== "restart");
    const best = s.best;
    return { x: best.x, f: best.f, evaluations: s.evaluations, generations: s.generation, stopReason: stopReasons[0], stopReasons, history, strategy: s, resumed: session.resumed, stats: session.stats };
  } finally {
    await session.close();
  }
}
