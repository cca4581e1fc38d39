/**
 * distribute(strategy, options): minimize's loop (drivers/evaluate.ts `generations`) with an evaluator
 * that sends work items instead of points. Per generation: append the previous generation's values
 * and state hash to the log, checkpoint when due, publish the work items, gather λ values (the first
 * value of a row counts; a result from a replica whose hash differs is refused and that worker told
 * to resynchronise; lost items come back by redelivery), tell.
 *
 * A run is named (runId). When the store holds an unfinished run of that name, distribute resumes it:
 * the checkpoint, then the logged values, bring a fresh replica to where the last coordinator was, bit
 * for bit; the work of the interrupted generation is published again.
 */
import type { GenerationInfo, StopReason, Strategy } from "../contract/strategy.js";
import { fail, num } from "../check.js";
import { drive, generations, type Batch, type LoopEnd } from "../drivers/evaluate.js";
import { checkFitnessModule, type FitnessModule } from "../drivers/pool.js";
import { CTL_BYE, CTL_HELLO, CTL_RESYNC, CTL_ROLLCALL, decodeControl, decodeLog, decodeResult, encodeControl, encodeLog, encodeWork, split, type RunMeta } from "./protocol.js";
import { getCheckpoint, getMeta, loadReplica, putCheckpoint, putJson } from "./replica.js";
import { connectTransport, type ConnectionOptions } from "./connect.js";
import { runWorker, type DistributedWorker } from "./worker.js";
import { FAST_DECLINED, FAST_TAKEN, type Bytes, type Sub } from "./transport.js";

export interface DistributeOptions extends ConnectionOptions {
  /** The fitness the local worker imports (required when `workers` > 0). Default: none. */
  fitness?: FitnessModule;
  /**
   * Threads this process evaluates on, as one local worker (the drivers' pool when > 1). Default 1
   * in-process, 0 with `servers` or `transport` (the workers are elsewhere).
   */
  workers?: number;
  /** The run's name in the store; workers name it too. An unfinished run of that name is resumed. Default "evostrat". */
  runId?: string;
  /** Generations between checkpoints in the key-value store (the first is the starting state). Default 10. */
  checkpointEvery?: number;
  /** Work items per generation (row ranges of about λ/items rows). Default 4 (at most λ). */
  items?: number;
  /** ms before an unacknowledged item is redelivered (a dead worker's rows). Default 5000. */
  ackWait?: number;
  /** Per-evaluation timeout in ms for a fitness that returns a Promise (0: none). Default 0. */
  timeout?: number;
  /** Attempts after the first before an evaluation counts as failed. Default 0. */
  retries?: number;
  /** A failed evaluation: 'nan' (the worst value) or 'abort' (distribute rejects naming the row). Default 'nan'. */
  onError?: "nan" | "abort";
  /** Called after every generation; return false to stop ("callback"). Default: none. */
  onGeneration?: (info: GenerationInfo) => boolean | void;
  /** Generations to run at most (besides the strategy's stop criteria). Default Infinity. */
  maxGenerations?: number;
  /** ms to wait for a generation's values before rejecting. Default Infinity. */
  generationTimeout?: number;
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
  stats: { bytes: Bytes; refused: number; duplicates: number; failed: number; checkpoints: number };
}

/** Runs `strategy` with its evaluations spread over workers (see the module comment). */
export async function distribute(strategy: Strategy, options: DistributeOptions = {}): Promise<DistributeResult> {
  if (strategy === null || typeof strategy !== "object" || typeof strategy.ask !== "function" || typeof strategy.save !== "function") fail("type", "distribute(strategy):", "strategy must be an evostrat strategy (new CSAES({...}), ...)");
  if (options === null || typeof options !== "object") fail("type", "distribute(strategy, options):", "options must be an object");
  const o = options;
  const inProcess = o.servers === undefined && o.transport === undefined;
  const workers = num("workers", o.workers, inProcess ? 1 : 0, { min: 0, integer: true, max: 1024 });
  if (workers > 0) {
    if (o.fitness === null || typeof o.fitness !== "object") fail("type", `distribute: option "fitness"`, "must be { module: url, name } when workers > 0 (the local worker imports it)");
    checkFitnessModule(`distribute: option "fitness":`, o.fitness);
  }
  if (inProcess && workers === 0) fail("range", `distribute: option "workers"`, "must be >= 1 without servers (nobody else would evaluate)");
  const runId = o.runId ?? "evostrat";
  if (typeof runId !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(runId)) fail("type", `distribute: option "runId"`, `must be 1 to 64 letters, digits, _ or -, got ${String(runId)}`);
  const every = num("checkpointEvery", o.checkpointEvery, 10, { min: 1, integer: true, infinite: true });
  const items = num("items", o.items, 4, { min: 1, integer: true, max: 1 << 20 });
  const ackWait = num("ackWait", o.ackWait, 5000, { min: 10, max: 3_600_000 });
  const timeout = num("timeout", o.timeout, 0, { min: 0 });
  const retries = num("retries", o.retries, 0, { min: 0, integer: true, max: 100 });
  const onError = o.onError ?? "nan";
  if (onError !== "nan" && onError !== "abort") fail("range", `distribute: option "onError"`, `must be 'nan' or 'abort', got ${String(onError)}`);
  if (o.onGeneration !== undefined && typeof o.onGeneration !== "function") fail("type", `distribute: option "onGeneration"`, "must be a function");
  const maxGenerations = num("maxGenerations", o.maxGenerations, Infinity, { min: 0, integer: true, infinite: true });
  const genTimeout = num("generationTimeout", o.generationTimeout, Infinity, { min: 1, infinite: true });
  if (strategy.disposed) fail("type", "distribute(strategy):", "the strategy is disposed");
  if (strategy.asked) fail("type", "distribute(strategy):", "the strategy has a population waiting for tell(): tell or discard() it first");

  const { transport, owned } = await connectTransport(o, "distribute", true);
  const ch = await transport.open(runId, { ackWait });
  let local: DistributedWorker | undefined;
  let resultSub: Sub | undefined;
  const stats = { bytes: ch.bytes, refused: 0, duplicates: 0, failed: 0, checkpoints: 0 };
  // the workers that serve offers (the fast path), in the order they said hello
  const members: number[] = [];
  let rr = 0, ctlSub: Sub | undefined;
  const forget = (w: number) => {
    const k = members.indexOf(w);
    if (k >= 0) members.splice(k, 1);
  };
  try {
    if (ch.offer) {
      ctlSub = await ch.subscribeControl((b) => {
        const m = decodeControl(b);
        if (m.code === CTL_HELLO && !members.includes(m.worker)) members.push(m.worker);
        else if (m.code === CTL_BYE) forget(m.worker);
      });
    }
    // a fresh run, or the unfinished one of this name
    const old = await getMeta(ch);
    let s = strategy, resumed = false, g0 = strategy.generation, hash: number;
    if (old?.status === "running") {
      const ck = await getCheckpoint(ch);
      if (!ck) throw new Error(`evostrat/distributed: run "${runId}" is unfinished but has no checkpoint`);
      s = loadReplica(ck.bytes);
      if (s.dimension !== strategy.dimension || (s.constructor as typeof Strategy).strategyName !== (strategy.constructor as typeof Strategy).strategyName) {
        s.dispose();
        fail("type", "distribute(strategy):", `run "${runId}" is unfinished with another strategy or dimension; give another runId`);
      }
      g0 = old.g0;
      hash = ck.hash;
      const n = await ch.logLength();
      // replay the logged values from the checkpoint on (ordered, so index = generation - g0)
      const logged: Uint8Array[] = [];
      const want = n - (ck.generation - g0);
      if (want > 0) {
        await new Promise<void>((resolve) => {
          let sub: Sub | undefined;
          void ch.readLog(ck.generation - g0, (b) => { logged.push(b); if (logged.length === want) { sub?.stop(); resolve(); } }).then((x) => { sub = x; if (logged.length >= want) x.stop(); });
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
      await ch.purgeWork();
      resumed = true;
    } else {
      await ch.reset();
      hash = strategy.stateHash();
      await putCheckpoint(ch, strategy.save(), g0, hash);
      stats.checkpoints++;
      const meta: RunMeta = { strategy: (strategy.constructor as typeof Strategy).strategyName, dimension: strategy.dimension, popSize: strategy.popSize, g0, status: "running", timeout, retries, onError, ackWait };
      await putJson(ch, "meta", meta);
    }
    let lastCkpt = s.generation;

    // the values of the generation being gathered
    let cur: { g: number; values: Float64Array; have: Uint8Array; left: number; resolve: () => void; reject: (e: unknown) => void; expect: number; beat?: (first: number) => void } | undefined;
    resultSub = await ch.subscribeResults((b) => {
      const r = decodeResult(b);
      const c = cur;
      if (!c || r.generation !== c.g) { if (r.values.length) stats.duplicates++; return; }
      if (r.values.length === 0 && !r.failed?.length) { c.beat?.(r.first); return; } // an offered item still in work
      if (r.hash !== c.expect) {
        // a replica in another state: its values are not this generation's; its rows go out again
        stats.refused++;
        ch.publishControl(encodeControl(r.worker, CTL_RESYNC));
        void ch.publishWork([encodeWork({ generation: c.g, first: r.first, count: r.values.length })]);
        return;
      }
      if (r.failed?.length && onError === "abort") {
        c.reject(new Error(`evostrat/distributed: the fitness failed on row ${r.failed[0]} of generation ${r.generation}: ${r.error ?? ""}`));
        return;
      }
      stats.failed += r.failed?.length ?? 0;
      for (let i = 0; i < r.values.length; i++) {
        const k = r.first + i;
        if (k >= c.values.length) break;
        if (c.have[k]) { stats.duplicates++; continue; }
        c.have[k] = 1;
        c.values[k] = r.values[i];
        if (--c.left === 0) c.resolve();
      }
    });

    if (ch.offer) ch.publishControl(encodeControl(0, CTL_ROLLCALL)); // workers of a resumed run say hello again
    if (workers > 0) local = await runWorker(transport, false, runId, o.fitness!, 1, workers);

    // the previous generation's log entry, appended before the next generation's work goes out, and
    // the checkpoint taken after that tell (before the next ask), stored once the entry is (off the
    // critical path: the next flush waits for it)
    let pending: { data: Uint8Array; id: string } | undefined;
    let pendingCkpt: { bytes: Uint8Array; g: number; hash: number } | undefined;
    let storing: Promise<void> | undefined;
    const flush = async () => {
      if (storing) { const p = storing; storing = undefined; await p; }
      if (pending) { const p = pending; pending = undefined; await ch.appendLog(p.data, p.id); }
      if (pendingCkpt) {
        const c = pendingCkpt;
        pendingCkpt = undefined;
        storing = putCheckpoint(ch, c.bytes, c.g, c.hash).then(() => { stats.checkpoints++; });
        storing.catch(() => {}); // awaited by the next flush
      }
    };
    const fastWait = Math.min(ackWait, 1000);
    const evaluator = {
      async evaluateBatch(b: Batch): Promise<Float64Array> {
        const g = s.generation;
        const n = b.count;
        const got = new Promise<void>((resolve, reject) => {
          cur = { g, values: new Float64Array(n), have: new Uint8Array(n), left: n, resolve, reject, expect: hash };
        });
        const c = cur!;
        const ranges = split(n, items);
        // an offered item's deadline (ackWait after it was taken, restarted by the worker's heartbeats)
        const timers = new Map<number, ReturnType<typeof setTimeout>>();
        const arm = (first: number, count: number) => {
          clearTimeout(timers.get(first));
          timers.set(first, setTimeout(() => { timers.delete(first); void durable(first, count)?.catch(() => {}); }, ackWait));
        };
        const sizes = new Map<number, number>(ranges);
        c.beat = (first) => { if (timers.has(first)) arm(first, sizes.get(first)!); };
        // an item's rows still missing go to the durable queue (its workers wait for the log entry)
        const durable = (first: number, count: number): Promise<void> | undefined => {
          if (cur !== c) return;
          for (let k = first; k < first + count; k++) if (!c.have[k]) return ch.publishWork([encodeWork({ generation: g, first, count })]);
        };
        if (ch.offer) {
          // the fast path: the entry is stored first (a coordinator that dies after this point resumes
          // from it), then each item goes with the entry to a worker by request/reply; an item declined or
          // unanswered goes to the durable queue at once, one taken whose values do not come within ackWait too
          const entry = pending?.data;
          await flush();
          const offers = ranges.map(([first, count], j) => {
            const w = encodeWork({ generation: g, first, count });
            const data = entry ? new Uint8Array(12 + entry.length) : w;
            if (entry) { data.set(w); data.set(entry, 12); }
            // item j goes to the workers in turn from member rr + j: one that declines (busy) passes it
            // to the next, one that does not answer is forgotten (until it says hello again); when every
            // worker was asked, or there is none, the item goes to the durable queue
            const start = rr + j;
            const attempt = (k: number): Promise<void> | undefined => {
              if (cur !== c) return;
              if (k >= members.length) return durable(first, count);
              const to = members[(start + k) % members.length];
              return ch.offer!(data, fastWait, to).then((a) => {
                if (cur !== c) return;
                if (a === FAST_TAKEN) arm(first, count);
                else if (a === FAST_DECLINED) return attempt(k + 1);
                else {
                  // gone, or the server restarts: forget it, and ask the live workers to say hello again
                  forget(to);
                  ch.publishControl(encodeControl(0, CTL_ROLLCALL));
                  return durable(first, count);
                }
              });
            };
            return attempt(0);
          });
          rr = (rr + ranges.length) % Math.max(1, members.length);
          void Promise.all(offers).catch((e) => c.reject(e));
        } else {
          // the previous generation's entry and this generation's items go out together: a worker waits
          // for the entry before it evaluates, and a coordinator that dies in between resumes from the log
          await Promise.all([flush(), ch.publishWork(ranges.map(([first, count]) => encodeWork({ generation: g, first, count })))]);
        }
        let timer: ReturnType<typeof setTimeout> | undefined;
        try {
          await (Number.isFinite(genTimeout)
            ? Promise.race([got, new Promise<never>((_, rej) => { timer = setTimeout(() => rej(new Error(`evostrat/distributed: generation ${g} got no values within ${genTimeout} ms (are workers running for run "${runId}"?)`)), genTimeout); })])
            : got);
        } finally {
          clearTimeout(timer);
          for (const t of timers.values()) clearTimeout(t);
          timers.clear();
        }
        const v = c.values;
        cur = undefined;
        return v;
      },
    };

    const history = { bestF: [] as number[], meanF: [] as number[], sigma: [] as number[] };
    const reasons = await drive(generations(s, {
      maxGenerations: Math.max(0, maxGenerations - (resumed ? s.generation - g0 : 0)),
      onGeneration: (info, values) => {
        hash = s.stateHash();
        pending = { data: encodeLog({ generation: info.generation - 1, hash, values, end: false }), id: `g${info.generation - 1}` };
        if (s.generation - lastCkpt >= every) {
          pendingCkpt = { bytes: s.save(), g: s.generation, hash };
          lastCkpt = s.generation;
        }
        history.bestF.push(info.bestF); history.meanF.push(info.meanF); history.sigma.push(info.sigma);
        return o.onGeneration?.(info);
      },
    }), evaluator, "distribute:") as LoopEnd[];
    await flush();
    if (storing) await storing;
    await ch.appendLog(encodeLog({ generation: s.generation, hash, values: new Float64Array(0), end: true }), "end");
    const meta = await getMeta(ch);
    await putJson(ch, "meta", { ...meta, status: "done" });
    const stopReasons = reasons.filter((r): r is StopReason | "callback" => r !== "halt" && r !== "restart");
    const best = s.best;
    return { x: best.x, f: best.f, evaluations: s.evaluations, generations: s.generation, stopReason: stopReasons[0], stopReasons, history, strategy: s, resumed, stats };
  } finally {
    resultSub?.stop();
    ctlSub?.stop();
    await local?.close();
    await ch.close();
    if (owned) await transport.close();
  }
}
