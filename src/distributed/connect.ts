/** Which transport a call uses: one given, NATS when `servers` are, else (distribute only) in-process. */
import { fail } from "../check.js";
import { memoryTransport, type Transport } from "./transport.js";
import type { NatsModules } from "./nats.js";

export interface ConnectionOptions {
  /** NATS server URL(s), e.g. "nats://127.0.0.1:4222". Without them (and without `transport`) distribute runs in-process. Default: none. */
  servers?: string | string[];
  /** A transport to use instead (memoryTransport() for several in-process workers, or your own). Default: none. */
  transport?: Transport;
  /** NATS user. Default: none. */
  user?: string;
  /** NATS password. Default: none. */
  pass?: string;
  /** NATS token. Default: none. */
  token?: string;
  /** Further options for @nats-io/transport-node's connect() (e.g. an nkey `authenticator`, `tls`), passed through. Default: none. */
  nats?: Record<string, unknown>;
  /**
   * The `@nats-io/*` client modules, as your application imported them (a bundled browser page): used
   * instead of importing them by name at run time. Default: imported by name when `servers` are given.
   */
  natsModules?: NatsModules;
}

export async function connectTransport(o: ConnectionOptions, where: string, inProcess = false): Promise<{ transport: Transport; owned: boolean }> {
  if (o.transport !== undefined) {
    if (o.servers !== undefined) fail("type", `${where}: option "transport"`, `cannot be given with "servers"`);
    if (typeof o.transport?.open !== "function") fail("type", `${where}: option "transport"`, "must be a Transport (memoryTransport(), natsTransport(...))");
    return { transport: o.transport, owned: false };
  }
  if (o.servers === undefined) {
    if (!inProcess) fail("type", `${where}: option "servers"`, "is required (NATS server URLs), or give a transport");
    return { transport: memoryTransport(), owned: true };
  }
  const s = o.servers;
  if (!(typeof s === "string" || (Array.isArray(s) && s.length > 0 && s.every((x) => typeof x === "string")))) fail("type", `${where}: option "servers"`, "must be a URL string or an array of them");
  const { natsTransport } = await import("./nats.js");
  return { transport: await natsTransport({ servers: s, user: o.user, pass: o.pass, token: o.token, nats: o.nats, natsModules: o.natsModules }), owned: true };
}
