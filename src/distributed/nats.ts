/**
 * The NATS JetStream transport. Per run (runId r):
 *   stream ES_r_WORK  (work-queue retention, file storage): subject es.r.work, one durable pull
 *                     consumer "workers" shared by every worker (explicit ack, ack wait, redelivery);
 *   stream ES_r_LOG   (limits retention, file storage): subject es.r.log, read by ordered consumers
 *                     from any index (sequence = index + 1: the stream is recreated for a fresh run);
 *   KV bucket es_r:   "meta", "ckpt" and the checkpoint's chunks;
 *   core subjects es.r.res (results) and es.r.ctl (control): fire and forget;
 *   core subjects es.r.fast.<worker>: the fast path, a work item (with the previous generation's log
 *                     entry) offered to one worker by request/reply; it answers with the item's values
 *                     when they are ready at once, else whether it took it.
 *
 * The client packages (@nats-io/transport-node, @nats-io/jetstream, @nats-io/kv) are optional peer
 * dependencies, imported here at run time (a non-literal specifier, so bundlers for browsers and
 * workerd leave them alone): the other entries never load them. An application that bundles them
 * passes the modules it imported instead (`natsModules`), and nothing is imported by name.
 */
import { fail } from "../check.js";
import { DECLINED, type Bytes, type Channel, type Delivery, type Sub, type Transport } from "./transport.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

const load = (spec: string): Promise<Any> => import(/* @vite-ignore */ spec);

export interface NatsOptions {
  /** NATS server URL(s), e.g. "nats://127.0.0.1:4222". Required. */
  servers: string | string[];
  /** NATS user. Default: none. */
  user?: string;
  /** NATS password. Default: none. */
  pass?: string;
  /** NATS token. Default: none. */
  token?: string;
  /** Further connect() options, passed through. Default: none. */
  nats?: Record<string, unknown>;
  /** The NATS client modules to use instead of importing them by name (see NatsModules). Default: imported by name at run time. */
  natsModules?: NatsModules;
}

/**
 * The NATS client modules, as an application imported them (a bundled browser page, or a runtime
 * where import by name fails): `{ transport: await import("@nats-io/nats-core"), jetstream: await
 * import("@nats-io/jetstream"), kv: await import("@nats-io/kv") }`, or `@nats-io/transport-node` as
 * `transport` in Node. Only the members named below are used.
 */
export interface NatsModules {
  /** `@nats-io/transport-node` (its `connect`, TCP) or `@nats-io/nats-core` (its `wsconnect`, WebSocket). Required. */
  transport: { connect?: (...a: never[]) => unknown; wsconnect?: (...a: never[]) => unknown };
  /** `@nats-io/jetstream`: `jetstream`, `jetstreamManager`, `AckPolicy`, `RetentionPolicy`, `StorageType`, `DeliverPolicy`. Required. */
  jetstream: object;
  /** `@nats-io/kv`: `Kvm`. Required. */
  kv: object;
}

// ws:// or wss:// servers, or no Node (a browser page, Deno, workerd): @nats-io/nats-core's WebSocket
// client (wsconnect); otherwise @nats-io/transport-node's TCP one
const wsOnly = (servers: string | string[]): boolean => {
  const list = Array.isArray(servers) ? servers : [servers];
  const g = globalThis as Any;
  return list.every((u) => /^wss?:\/\//i.test(u)) || !g.process?.versions?.node;
};

type Modules = { connect: Any; headers?: Any; jetstream: Any; jetstreamManager: Any; Kvm: Any; AckPolicy: Any; RetentionPolicy: Any; StorageType: Any; DeliverPolicy: Any };

// the members this transport uses, from modules an application passed (checked, naming what is missing)
function given(m: NatsModules, ws: boolean): Modules {
  const where = `natsTransport: option "natsModules"`;
  if (m === null || typeof m !== "object") fail("type", where, "must be { transport, jetstream, kv } (the imported @nats-io modules)");
  const t = m.transport as Any, js = m.jetstream as Any, kv = m.kv as Any;
  if (t === null || typeof t !== "object" && typeof t !== "function") fail("type", `${where}.transport`, "must be @nats-io/transport-node or @nats-io/nats-core");
  // a WebSocket server needs wsconnect; a TCP one takes connect, else wsconnect (a page given nats-core)
  const connect = ws ? t.wsconnect : (t.connect ?? t.wsconnect);
  if (typeof connect !== "function") fail("type", `${where}.transport`, ws ? "has no wsconnect (ws:// servers, or no Node: pass @nats-io/nats-core)" : "has no connect or wsconnect");
  for (const k of ["jetstream", "jetstreamManager"]) if (typeof js?.[k] !== "function") fail("type", `${where}.jetstream`, `has no ${k}() (pass @nats-io/jetstream)`);
  for (const k of ["AckPolicy", "RetentionPolicy", "StorageType", "DeliverPolicy"]) if (js?.[k] === undefined) fail("type", `${where}.jetstream`, `has no ${k} (pass @nats-io/jetstream)`);
  if (typeof kv?.Kvm !== "function") fail("type", `${where}.kv`, "has no Kvm (pass @nats-io/kv)");
  return { connect, headers: typeof t.headers === "function" ? t.headers : undefined, jetstream: js.jetstream, jetstreamManager: js.jetstreamManager, Kvm: kv.Kvm, AckPolicy: js.AckPolicy, RetentionPolicy: js.RetentionPolicy, StorageType: js.StorageType, DeliverPolicy: js.DeliverPolicy };
}

async function modules(ws: boolean): Promise<Modules> {
  try {
    const [tn, js, kv] = await Promise.all([ws ? load("@nats-io/nats-core") : load("@nats-io/transport-node"), load("@nats-io/jetstream"), load("@nats-io/kv")]);
    return { connect: ws ? tn.wsconnect : tn.connect, headers: tn.headers, jetstream: js.jetstream, jetstreamManager: js.jetstreamManager, Kvm: kv.Kvm, AckPolicy: js.AckPolicy, RetentionPolicy: js.RetentionPolicy, StorageType: js.StorageType, DeliverPolicy: js.DeliverPolicy };
  } catch (e) {
    const what = ws ? "@nats-io/nats-core (WebSocket: in a browser, map the three names to a bundle of them, see the README)" : "@nats-io/transport-node";
    throw new Error(`evostrat/distributed: servers need the NATS client: npm install ${what} @nats-io/jetstream @nats-io/kv (${(e as Error).message})`);
  }
}

const nanos = (ms: number) => Math.round(ms * 1e6);

// JetStream calls fail while the server restarts or a leader is elected: retry for up to 30 s
async function retry<T>(f: () => Promise<T>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (let i = 0; ; i++) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > until) throw e;
      await new Promise((r) => setTimeout(r, Math.min(500, 25 * 2 ** i)));
    }
  }
}

const td = new TextDecoder();

/**
 * Request/reply on one subscription for every answer (its subject ends in the request's token), with
 * a plain timer per request. nats.js's request() costs more per call: its cancel() after a resolve
 * builds an Error (stack included, whatever noAsyncTraces says), and it makes a promise and a timer of
 * its own; at a few requests per generation that was about 0.1 ms of CPU. Resolves with the answer,
 * null when nobody listens on the subject (the server's 503 status), or undefined after ms.
 */
function requests(nc: Any, prefix: string): (subject: string, data: Uint8Array, ms: number, headers?: Any) => Promise<Any> {
  const inbox = `${prefix}.${Math.random().toString(36).slice(2)}${Date.now().toString(36)}.`;
  const waiting = new Map<string, { resolve: (m: Any) => void; timer: ReturnType<typeof setTimeout> }>();
  let sub: Any, n = 0;
  return (subject, data, ms, headers) => new Promise<Any>((resolve, reject) => {
    sub ??= nc.subscribe(`${inbox}*`, {
      callback: (err: unknown, msg: Any) => {
        if (err) return;
        const token = msg.subject.slice(inbox.length), w = waiting.get(token);
        if (!w) return; // timed out already
        waiting.delete(token);
        clearTimeout(w.timer);
        w.resolve(msg.data.length === 0 && msg.headers?.code === 503 ? null : msg);
      },
    });
    const token = (n++).toString(36);
    const timer = setTimeout(() => { waiting.delete(token); resolve(undefined); }, ms);
    waiting.set(token, { resolve, timer });
    try {
      nc.publish(subject, data, headers ? { reply: inbox + token, headers } : { reply: inbox + token });
    } catch (e) {
      waiting.delete(token);
      clearTimeout(timer);
      reject(e);
    }
  });
}

/** Connects to NATS; each open(runId) is a channel to that run's streams, consumer and bucket. */
export async function natsTransport(o: NatsOptions): Promise<Transport & { wire(): { in: number; out: number } }> {
  const ws = wsOnly(o.servers);
  const m = o.natsModules !== undefined ? given(o.natsModules, ws) : await modules(ws);
  const auth: Record<string, unknown> = {};
  if (o.user !== undefined) auth.user = o.user;
  if (o.pass !== undefined) auth.pass = o.pass;
  if (o.token !== undefined) auth.token = o.token;
  // noAsyncTraces: without it every request (an offer, a JetStream publish) builds an Error up front
  // for the stack of a timeout that rarely comes, a measurable cost at a few requests per generation
  const nc = await m.connect({ servers: o.servers, noAsyncTraces: true, ...auth, ...(o.nats ?? {}) });
  const jsm = await m.jetstreamManager(nc);
  const js = m.jetstream(nc);
  const request = requests(nc, (o.nats?.inboxPrefix as string | undefined) ?? "_INBOX");
  // a JetStream publish over that request/reply: the message id (Nats-Msg-Id) dedupes a retried one;
  // the answer is the server's acknowledgement (JSON: the stream and sequence, or an error)
  const jsPublish = async (subject: string, data: Uint8Array, id: string): Promise<void> => {
    if (!m.headers) { await js.publish(subject, data, { msgID: id }); return; }
    const h = m.headers();
    h.set("Nats-Msg-Id", id);
    const a = await request(subject, data, 5000, h);
    if (a === undefined) throw new Error(`evostrat/distributed: JetStream did not acknowledge a message on ${subject} within 5 s`);
    if (a === null) throw new Error(`evostrat/distributed: no JetStream stream listens on ${subject}`);
    const ack = JSON.parse(td.decode(a.data)) as { error?: { description?: string } };
    if (ack.error) throw new Error(`evostrat/distributed: JetStream refused a message on ${subject}: ${ack.error.description ?? "error"}`);
  };
  const kvm = new m.Kvm(nc);
  const channels = new Set<Channel>();

  return {
    wire: () => { const s = nc.stats(); return { in: s.inBytes, out: s.outBytes }; },
    async open(runId, opts = {}) {
      const fs = `es.${runId}.fast`;
      const W = `ES_${runId}_WORK`, L = `ES_${runId}_LOG`, ws = `es.${runId}.work`, ls = `es.${runId}.log`, rs = `es.${runId}.res`, cs = `es.${runId}.ctl`;
      const ackWait = opts.ackWait;
      const coordinator = ackWait !== undefined;
      const bytes: Bytes = { work: 0, results: 0, log: 0, kv: 0, control: 0 };
      const exists = async (name: string) => { try { await jsm.streams.info(name); return true; } catch { return false; } };
      const makeWork = async () => {
        await jsm.streams.add({ name: W, subjects: [ws], retention: m.RetentionPolicy.Workqueue, storage: m.StorageType.File });
        await jsm.consumers.add(W, { durable_name: "workers", ack_policy: m.AckPolicy.Explicit, ack_wait: nanos(ackWait ?? 5000), max_ack_pending: -1 });
      };
      const makeLog = () => jsm.streams.add({ name: L, subjects: [ls], storage: m.StorageType.File });
      if (coordinator) {
        if (!(await exists(W))) await makeWork();
        if (!(await exists(L))) await makeLog();
      }
      // workers that join at once create the bucket at once, and the server may refuse all but one
      // ("subjects overlap with an existing stream"): by then it exists, and the next try binds to it
      const kv = await retry<Any>(() => kvm.create(`es_${runId}`, { history: 1, storage: m.StorageType.File }), 5_000);
      const subs = new Set<Sub>();
      const track = (s: Sub): Sub => {
        const t = { stop: () => { subs.delete(t); s.stop(); } };
        subs.add(t);
        return t;
      };
      const waitStream = async (name: string) => {
        for (let i = 0; !(await exists(name)); i++) await new Promise((r) => setTimeout(r, Math.min(200, 20 * (i + 1))));
      };
      const ch: Channel = {
        bytes,
        async publishWork(items) {
          for (const d of items) bytes.work += d.length;
          await Promise.all(items.map((d) => retry(() => js.publish(ws, d))));
        },
        async purgeWork() {
          await retry(() => jsm.streams.purge(W));
        },
        async consumeWork(max, cb) {
          await waitStream(W);
          let stopped = false, iter: Any;
          const c = await js.consumers.get(W, "workers");
          const loop = async () => {
            while (!stopped) {
              try {
                iter = await c.consume({ max_messages: max, expires: 2000 }); // short pulls: a pull lost in a server restart is renewed within seconds
                for await (const msg of iter) {
                  if (stopped) break;
                  bytes.work += msg.data.length;
                  const d: Delivery = { ack: () => msg.ack(), nak: (ms) => msg.nak(ms), working: () => msg.working() };
                  cb(msg.data, d);
                }
              } catch {
                if (!stopped) await new Promise((r) => setTimeout(r, 100)); // the stream was recreated, or the server restarts
              }
            }
          };
          void loop();
          return track({ stop: () => { stopped = true; iter?.stop(); } });
        },
        publishResult(data) {
          bytes.results += data.length;
          nc.publish(rs, data);
        },
        async subscribeResults(cb) {
          const s = nc.subscribe(rs, { callback: (err: unknown, msg: Any) => { if (!err) { bytes.results += msg.data.length; cb(msg.data); } } });
          return track({ stop: () => s.unsubscribe() });
        },
        async appendLog(data, id) {
          bytes.log += data.length;
          // the id dedupes a retried append (the stream's duplicate window), so index = sequence - 1 holds
          await retry(() => jsPublish(ls, data, `${runId}.${id}`));
        },
        async readLog(from, cb) {
          await waitStream(L);
          let stopped = false, iter: Any, next = from;
          const loop = async () => {
            while (!stopped) {
              try {
                const c = await js.consumers.get(L, { opt_start_seq: next + 1, deliver_policy: m.DeliverPolicy.StartSequence });
                iter = await c.consume({ expires: 2000 });
                for await (const msg of iter) {
                  if (stopped) break;
                  const i = msg.seq - 1;
                  if (i < next) continue;
                  next = i + 1;
                  bytes.log += msg.data.length;
                  cb(msg.data, i);
                }
              } catch {
                if (!stopped) await new Promise((r) => setTimeout(r, 100));
              }
            }
          };
          void loop();
          return track({ stop: () => { stopped = true; iter?.stop(); } });
        },
        async logLength() {
          const i = await retry<Any>(() => jsm.streams.info(L));
          return i.state.last_seq;
        },
        async put(key, value) {
          bytes.kv += value.length;
          await retry(() => kv.put(key, value));
        },
        async get(key) {
          const e = await retry<Any>(() => kv.get(key));
          if (!e || e.operation !== "PUT") return undefined;
          bytes.kv += e.value.length;
          return e.value as Uint8Array;
        },
        async reset() {
          // fresh streams (the log's sequence numbers restart at 1) and an empty bucket
          for (const n of [W, L]) if (await exists(n)) await jsm.streams.delete(n);
          await makeWork();
          await makeLog();
          const keys: string[] = [];
          for await (const k of await kv.keys()) keys.push(k);
          for (const k of keys) await kv.purge(k);
        },
        async offer(data, ms, to) {
          bytes.work += data.length;
          let m: Any;
          try {
            m = await request(`${fs}.${to >>> 0}`, data, ms);
          } catch {
            return undefined; // disconnected
          }
          // no responders: nobody subscribes to that worker's subject (gone); no answer: a timeout or a disconnection
          if (m === null) return new Uint8Array(0);
          if (m === undefined) return undefined;
          // a probe (an empty offer) and its answer are not counted: their number depends on timing
          if (data.length > 0) {
            if (m.data.length === 1) bytes.work += 1;
            else bytes.results += m.data.length;
          }
          return m.data.length >= 1 ? m.data : undefined;
        },
        async serveOffers(id, cb) {
          const s = nc.subscribe(`${fs}.${id >>> 0}`, {
            callback: (err: unknown, msg: Any) => {
              if (err) return;
              bytes.work += msg.data.length;
              const respond = (a: Uint8Array) => {
                // a probe's answer is not counted, as in offer()
                if (msg.data.length > 0) {
                  if (a.length === 1) bytes.work += 1;
                  else bytes.results += a.length;
                }
                try { msg.respond(a); } catch { /* closed */ }
              };
              let a: Uint8Array | Promise<Uint8Array>;
              try { a = cb(msg.data); } catch { a = DECLINED; }
              if (a instanceof Uint8Array) respond(a);
              else a.then(respond, () => respond(DECLINED));
            },
          });
          return track({ stop: () => s.unsubscribe() });
        },
        publishControl(data) {
          bytes.control += data.length;
          nc.publish(cs, data);
        },
        async subscribeControl(cb) {
          const s = nc.subscribe(cs, { callback: (err: unknown, msg: Any) => { if (!err) { bytes.control += msg.data.length; cb(msg.data); } } });
          return track({ stop: () => s.unsubscribe() });
        },
        async close() {
          for (const s of [...subs]) s.stop();
          channels.delete(ch);
        },
      };
      channels.add(ch);
      return ch;
    },
    async close() {
      for (const c of [...channels]) await c.close();
      await nc.drain().catch(() => nc.close());
    },
  };
}
