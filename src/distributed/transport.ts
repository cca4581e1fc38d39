/**
 * What a distributed run needs from its messaging system, per run: a work queue with acknowledgement
 * and redelivery, fire-and-forget results, an ordered replayable log, a key-value store and control
 * messages. Two implementations: memoryTransport() (one process, no server: the embedded default and
 * the protocol's tests) and natsTransport() (NATS JetStream, ./nats.ts).
 */

/** A subscription or consumer; stop() ends its deliveries. */
export interface Sub { stop(): void }

/** What a work item's handler can do with it (JetStream's ack, nak and in-progress). */
export interface Delivery {
  ack(): void;
  /** Redeliver (after delayMs). */
  nak(delayMs?: number): void;
  /** Still working: restart the ack wait. */
  working(): void;
}

/** One connection's view of one run. */
export interface Channel {
  publishWork(items: Uint8Array[]): Promise<void>;
  purgeWork(): Promise<void>;
  /** Delivers items, at most `max` unacknowledged at a time. */
  consumeWork(max: number, onItem: (data: Uint8Array, d: Delivery) => void): Promise<Sub>;
  publishResult(data: Uint8Array): void;
  subscribeResults(cb: (data: Uint8Array) => void): Promise<Sub>;
  /** Appends to the log (resolves once stored); an entry with an id already logged is dropped (a retried append). */
  appendLog(data: Uint8Array, id: string): Promise<void>;
  /** Entries from index `from` (0-based) in order, then new ones as they come. */
  readLog(from: number, cb: (data: Uint8Array, index: number) => void): Promise<Sub>;
  logLength(): Promise<number>;
  put(key: string, value: Uint8Array): Promise<void>;
  get(key: string): Promise<Uint8Array | undefined>;
  /** Forgets the run: work, log and keys. */
  reset(): Promise<void>;
  publishControl(data: Uint8Array): void;
  subscribeControl(cb: (data: Uint8Array) => void): Promise<Sub>;
  /**
   * The fast path (optional; NATS implements it over core request/reply): offers one work item to the
   * worker numbered `to` (workers announce themselves with CTL_HELLO on the control subject). Resolves
   * with its answer: one byte (FAST_TAKEN or FAST_DECLINED), or the item's encoded result (taken and
   * done: a quick fitness saves the separate result message); no bytes when nobody serves that worker
   * any more (gone: the server said so at once); or undefined when it did not answer within ms (busy
   * in a synchronous fitness, or a server restarting). An empty offer is a probe: a live worker
   * answers FAST_DECLINED.
   */
  offer?(data: Uint8Array, ms: number, to: number): Promise<Uint8Array | undefined>;
  /** Serves the fast path for worker `id`: `cb` answers each offer (see offer), at once or soon. */
  serveOffers?(id: number, cb: (data: Uint8Array) => Uint8Array | Promise<Uint8Array>): Promise<Sub>;
  /** Payload bytes this channel sent and received so far, by kind (probes, whose number depends on timing, not counted). */
  readonly bytes: Bytes;
  close(): Promise<void>;
}

export interface Bytes { work: number; results: number; log: number; kv: number; control: number }

/** Opens channels to runs. */
export interface Transport {
  open(runId: string, options?: { ackWait?: number; maxDeliver?: number }): Promise<Channel>;
  close(): Promise<void>;
}

/** Answers to an offer (one byte; a longer answer is the item's result). */
export const FAST_DECLINED = 0, FAST_TAKEN = 1;
export const DECLINED = Uint8Array.of(FAST_DECLINED), TAKEN = Uint8Array.of(FAST_TAKEN);

const zero = (): Bytes => ({ work: 0, results: 0, log: 0, kv: 0, control: 0 });

interface Item { id: number; data: Uint8Array; owner: Consumer | null; timer: ReturnType<typeof setTimeout> | null; deliveries: number }
interface Consumer { max: number; inflight: number; cb: (data: Uint8Array, d: Delivery) => void; stopped: boolean; bytes: Bytes }
interface Run {
  ackWait: number;
  items: Item[];
  consumers: Consumer[];
  rr: number;
  nextId: number;
  results: Set<(b: Uint8Array) => void>;
  control: Set<(b: Uint8Array) => void>;
  log: Uint8Array[];
  logIds: Set<string>;
  readers: Set<() => void>;
  kv: Map<string, Uint8Array>;
}

const later = (f: () => void) => void Promise.resolve().then(f);

/**
 * An in-process transport: every channel opened on it shares the runs. Items not acknowledged within
 * ackWait ms (default 5000) are redelivered, as JetStream does; a stopped consumer's items wait for
 * their ack wait too, like those of a killed process.
 */
export function memoryTransport(): Transport {
  const runs = new Map<string, Run>();
  const runOf = (id: string, ackWait: number): Run => {
    let r = runs.get(id);
    if (!r) runs.set(id, (r = { ackWait, items: [], consumers: [], rr: 0, nextId: 1, results: new Set(), control: new Set(), log: [], logIds: new Set(), readers: new Set(), kv: new Map() }));
    return r;
  };
  // hands queued items to consumers with room, round robin
  const pump = (r: Run): void => {
    for (const it of r.items) {
      if (it.owner) continue;
      const live = r.consumers.filter((c) => !c.stopped && c.inflight < c.max);
      if (!live.length) return;
      const c = live[r.rr++ % live.length];
      deliver(r, it, c);
    }
  };
  const deliver = (r: Run, it: Item, c: Consumer): void => {
    it.owner = c;
    it.deliveries++;
    c.inflight++;
    c.bytes.work += it.data.length;
    let done = false;
    const release = (requeue: boolean, delay = 0) => {
      if (done) return;
      done = true;
      if (it.timer) clearTimeout(it.timer);
      it.timer = null;
      c.inflight = Math.max(0, c.inflight - 1);
      if (requeue) {
        const back = () => { it.owner = null; pump(r); };
        if (delay > 0) setTimeout(back, delay); else back();
      } else {
        const k = r.items.indexOf(it);
        if (k >= 0) r.items.splice(k, 1);
        pump(r);
      }
    };
    const arm = () => {
      if (it.timer) clearTimeout(it.timer);
      it.timer = setTimeout(() => release(true), r.ackWait);
    };
    arm();
    const d: Delivery = { ack: () => release(false), nak: (ms) => release(true, ms), working: () => { if (!done) arm(); } };
    later(() => { if (!c.stopped) c.cb(it.data, d); });
  };
  const closers = new Set<() => void>();
  return {
    async open(runId, o = {}) {
      const r = runOf(runId, o.ackWait ?? 5000);
      const bytes = zero();
      const subs: Sub[] = [];
      const track = (s: Sub): Sub => (subs.push(s), s);
      const ch: Channel = {
        bytes,
        async publishWork(items) {
          for (const data of items) {
            bytes.work += data.length;
            r.items.push({ id: r.nextId++, data: data.slice(), owner: null, timer: null, deliveries: 0 });
          }
          pump(r);
        },
        async purgeWork() {
          for (const it of r.items) if (it.timer) clearTimeout(it.timer);
          r.items = [];
        },
        async consumeWork(max, cb) {
          const c: Consumer = { max, inflight: 0, cb, stopped: false, bytes };
          r.consumers.push(c);
          later(() => pump(r));
          return track({ stop: () => { c.stopped = true; const k = r.consumers.indexOf(c); if (k >= 0) r.consumers.splice(k, 1); } });
        },
        publishResult(data) {
          bytes.results += data.length;
          const copy = data.slice();
          for (const cb of r.results) later(() => cb(copy));
        },
        async subscribeResults(cb) {
          const f = (b: Uint8Array) => { bytes.results += b.length; cb(b); };
          r.results.add(f);
          return track({ stop: () => r.results.delete(f) });
        },
        async appendLog(data, id) {
          bytes.log += data.length;
          if (r.logIds.has(id)) return;
          r.logIds.add(id);
          r.log.push(data.slice());
          for (const w of r.readers) later(w);
        },
        async readLog(from, cb) {
          let next = from, stopped = false;
          const wake = () => {
            while (!stopped && next < r.log.length) {
              const b = r.log[next];
              bytes.log += b.length;
              cb(b, next++);
            }
          };
          r.readers.add(wake);
          later(wake);
          return track({ stop: () => { stopped = true; r.readers.delete(wake); } });
        },
        async logLength() {
          return r.log.length;
        },
        async put(key, value) {
          bytes.kv += value.length;
          r.kv.set(key, value.slice());
        },
        async get(key) {
          const v = r.kv.get(key);
          if (v) bytes.kv += v.length;
          return v?.slice();
        },
        async reset() {
          await ch.purgeWork();
          r.log = [];
          r.logIds.clear();
          r.kv.clear();
        },
        publishControl(data) {
          bytes.control += data.length;
          const copy = data.slice();
          for (const cb of r.control) later(() => cb(copy));
        },
        async subscribeControl(cb) {
          const f = (b: Uint8Array) => { bytes.control += b.length; cb(b); };
          r.control.add(f);
          return track({ stop: () => r.control.delete(f) });
        },
        async close() {
          for (const s of subs.splice(0)) s.stop();
          closers.delete(close);
        },
      };
      const close = () => void ch.close();
      closers.add(close);
      return ch;
    },
    async close() {
      for (const c of [...closers]) c();
      for (const r of runs.values()) for (const it of r.items) if (it.timer) clearTimeout(it.timer);
      runs.clear();
    },
  };
}
