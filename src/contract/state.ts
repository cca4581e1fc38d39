/**
 * The save/load codec, with one list of the fields the contract keeps outside the core's heap.
 *
 * Bytes: magic "EVST", format, header length, header (JSON: build id, strategy, the options as given,
 * the heap's checksum, FIELDS), heap length, the heap [heap_base, heap_top), FNV-1a of the header.
 * Anything else (another strategy or build, truncated or damaged bytes) is a RangeError naming
 * load(bytes).
 */
import { fail } from "../check.js";

const MAGIC = 0x54535645; // "EVST" little-endian
export const FORMAT = 3;

type Kind = "count" | "bool" | "number" | "numbers";

/** Every field the contract saves beside the heap, and what it must be. */
export const FIELDS = {
  generation: "count",
  evaluations: "count",
  expectTell: "bool",
  bestF: "number",
  bestX: "numbers",
  fhist: "numbers",
  stagBest: "numbers",
  stagMedian: "numbers",
  lastRange: "number",
  elapsed: "number",
} as const satisfies Record<string, Kind>;

export type Fields = { [K in keyof typeof FIELDS]: (typeof FIELDS)[K] extends "numbers" ? Float64Array : (typeof FIELDS)[K] extends "bool" ? boolean : number };

// Float64Arrays travel as base64 of their bytes, so every bit (−0, NaN payloads) comes back. Encoded
// here through a table (RFC 4648, padded: what btoa gives): btoa over a binary string took about
// 20× longer (1.6 ms for 48 KB in Node 20), and the stagnation histories grow to 130 KB each.
const B64 = Uint8Array.from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", (c) => c.charCodeAt(0));
const ascii = new TextDecoder();
function toBase64(a: Float64Array): string {
  const b = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), n = b.length;
  const out = new Uint8Array(4 * Math.ceil(n / 3));
  let i = 0, o = 0;
  for (; i + 2 < n; i += 3) {
    const x = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    out[o++] = B64[x >>> 18]; out[o++] = B64[(x >>> 12) & 63]; out[o++] = B64[(x >>> 6) & 63]; out[o++] = B64[x & 63];
  }
  if (i < n) {
    const x = (b[i] << 16) | (i + 1 < n ? b[i + 1] << 8 : 0);
    out[o++] = B64[x >>> 18]; out[o++] = B64[(x >>> 12) & 63];
    out[o++] = i + 1 < n ? B64[(x >>> 6) & 63] : 61; out[o++] = 61; // "="
  }
  return ascii.decode(out);
}

function fromBase64(s: string): Float64Array {
  let bin = "";
  try {
    bin = atob(s);
  } catch {
    throw new RangeError("evostrat: load(bytes): damaged state (a packed array)");
  }
  if (bin.length % 8 !== 0) throw new RangeError("evostrat: load(bytes): damaged state (a packed array)");
  const out = new Float64Array(bin.length / 8), b = new Uint8Array(out.buffer);
  for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
  return out;
}

export interface Header {
  build: string;
  strategy: string;
  options: Record<string, unknown>;
  heapHash: number;
  state: Fields;
}

/** FNV-1a, 32 bits: the header's checksum. */
function fnv1a(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return h >>> 0;
}

export function encode(h: Header, heap: Uint8Array): Uint8Array {
  const json = JSON.stringify(
    { format: FORMAT, ...h },
    // typed arrays as plain arrays; ±Infinity, NaN and −0 (not JSON) as tagged strings; bigint elements
    // (which the options accept) as the numbers the optimizer used
    (_k, v) =>
      v instanceof Float64Array ? { $f64: toBase64(v) }
      : ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (e) => { const n = Number(e); return Number.isFinite(n) && !Object.is(n, -0) ? n : { $num: Object.is(n, -0) ? "-0" : String(n) }; })
      : typeof v === "bigint" ? Number(v)
      : typeof v === "number" && (!Number.isFinite(v) || Object.is(v, -0)) ? { $num: Object.is(v, -0) ? "-0" : String(v) }
      : v,
  );
  const head = new TextEncoder().encode(json);
  const out = new Uint8Array(12 + head.length + 4 + heap.length + 4);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, MAGIC, true);
  dv.setUint32(4, FORMAT, true);
  dv.setUint32(8, head.length, true);
  out.set(head, 12);
  dv.setUint32(12 + head.length, heap.length, true);
  out.set(heap, 16 + head.length);
  dv.setUint32(out.length - 4, fnv1a(head), true);
  return out;
}

const bad = (msg: string): never => fail("range", "load(bytes):", msg);

/** Checks the framing, the header's checksum and every field's type; returns the header and the heap bytes. */
export function decode(bytes: Uint8Array): { header: Header; heap: Uint8Array } {
  if (!(bytes instanceof Uint8Array)) fail("type", "load(bytes):", "bytes must be a Uint8Array from save()");
  if (bytes.length < 20) bad("too short to be evostrat state");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(0, true) !== MAGIC) bad("not evostrat state (bad magic)");
  const fmt = dv.getUint32(4, true);
  if (fmt !== FORMAT) bad(`state format ${fmt} is not supported (this build reads format ${FORMAT})`);
  const hl = dv.getUint32(8, true);
  if (12 + hl + 8 > bytes.length) bad("truncated state");
  const heapLen = dv.getUint32(12 + hl, true);
  if (16 + hl + heapLen + 4 !== bytes.length) bad("truncated state");
  const head = bytes.subarray(12, 12 + hl);
  if (fnv1a(head) !== dv.getUint32(bytes.length - 4, true)) bad("damaged state (header checksum)");
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(new TextDecoder().decode(head), (_k, v) =>
      v && typeof v === "object" && "$num" in v ? (["-0", "NaN", "Infinity", "-Infinity"].includes(v.$num) ? Number(v.$num) : bad("damaged state (a tagged number)"))
      : v && typeof v === "object" && "$f64" in v ? (typeof v.$f64 === "string" ? fromBase64(v.$f64) : bad("damaged state (a packed array)"))
      : v);
  } catch (e) {
    if (e instanceof RangeError) throw e; // a field the reviver refused, named
    return bad("damaged state (header is not JSON)");
  }
  const st = h.state as Record<string, unknown> | undefined, opts = h.options as Record<string, unknown> | undefined;
  if (typeof h.build !== "string" || typeof h.strategy !== "string" || typeof h.heapHash !== "number" ||
    !st || typeof st !== "object" || !opts || typeof opts !== "object" || typeof opts.seed !== "string") bad("damaged state (header fields)");
  for (const k of Object.keys(st!)) if (!(k in FIELDS)) bad(`damaged state (unknown field ${k})`);
  for (const [k, kind] of Object.entries(FIELDS)) {
    const v = st![k];
    const ok = kind === "count" ? typeof v === "number" && Number.isSafeInteger(v) && v >= 0
      : kind === "bool" ? typeof v === "boolean"
      : kind === "number" ? typeof v === "number"
      : v instanceof Float64Array;
    if (!ok) bad(`damaged state (field ${k})`);
  }
  return { header: h as unknown as Header, heap: bytes.subarray(16 + hl, 16 + hl + heapLen) };
}
