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

export type Fields = { [K in keyof typeof FIELDS]: (typeof FIELDS)[K] extends "numbers" ? number[] : (typeof FIELDS)[K] extends "bool" ? boolean : number };

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
      ArrayBuffer.isView(v) ? Array.from(v as Float64Array, (e) => { const n = Number(e); return Number.isFinite(n) && !Object.is(n, -0) ? n : { $num: Object.is(n, -0) ? "-0" : String(n) }; })
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
    h = JSON.parse(new TextDecoder().decode(head), (_k, v) => (v && typeof v === "object" && "$num" in v ? (["-0", "NaN", "Infinity", "-Infinity"].includes(v.$num) ? Number(v.$num) : bad("damaged state (a tagged number)")) : v));
  } catch (e) {
    if (e instanceof RangeError) throw e; // a field the reviver refused, named
    return bad("damaged state (header is not JSON)");
  }
  const st = h.state as Record<string, unknown> | undefined, opts = h.options as Record<string, unknown> | undefined;
  if (typeof h.build !== "string" || typeof h.strategy !== "string" || typeof h.heapHash !== "number" ||
    !st || typeof st !== "object" || !opts || typeof opts !== "object" || typeof opts.seed !== "string") bad("damaged state (header fields)");
  for (const [k, kind] of Object.entries(FIELDS)) {
    const v = st![k];
    const ok = kind === "count" ? typeof v === "number" && Number.isSafeInteger(v) && v >= 0
      : kind === "bool" ? typeof v === "boolean"
      : kind === "number" ? typeof v === "number"
      : Array.isArray(v) && v.every((e) => typeof e === "number");
    if (!ok) bad(`damaged state (field ${k})`);
  }
  return { header: h as unknown as Header, heap: bytes.subarray(16 + hl, 16 + hl + heapLen) };
}
