/**
 * Raw DEFLATE decoding, for the one input it ever sees: the core's bytes as the default ES build
 * inlines them (tsup.config.ts deflates build/core.wasm and writes it in base64).
 *
 * Why: base64 of the bare module gzips poorly (each byte pattern recurs at three bit alignments), so
 * the inlined copy cost more in the tarball than dist/core.wasm itself; deflated first, the copy
 * weighs what the file does, and a bundle for browsers carries 38 KB of text instead of 78 KB.
 * `DecompressionStream` would do this natively, but only asynchronously, and the core must be
 * ready synchronously where the runtime allows it (Node, Deno, Bun, Web Workers).
 *
 * see: RFC 1951 (DEFLATE), sections 3.2.3-3.2.7: stored, fixed and dynamic Huffman blocks, with
 * canonical codes decoded through lookup tables.
 * The build decodes its own output once and compares it with build/core.wasm, so the bytes that
 * ship are known to decode (tsup.config.ts).
 */

/** Code-length alphabet order (RFC 1951, 3.2.7). */
const ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// Length codes 257..285 and distance codes 0..29: base values and extra bits (RFC 1951, 3.2.5),
// computed rather than listed: extra bits grow by one every four (lengths) or two (distances) codes.
const LEN_BASE = new Uint16Array(29), LEN_EXTRA = new Uint8Array(29);
const DIST_BASE = new Uint16Array(30), DIST_EXTRA = new Uint8Array(30);
for (let i = 0, b = 3; i < 28; i++) {
  LEN_EXTRA[i] = i < 8 ? 0 : (i - 4) >> 2;
  LEN_BASE[i] = b;
  b += 1 << LEN_EXTRA[i];
}
LEN_BASE[28] = 258; // code 285: 258 with no extra bits (not the next step of the series)
for (let i = 0, b = 1; i < 30; i++) {
  DIST_EXTRA[i] = i < 4 ? 0 : (i - 2) >> 1;
  DIST_BASE[i] = b;
  b += 1 << DIST_EXTRA[i];
}

/** A canonical Huffman code as a lookup table: index = the next `bits` input bits, entry = symbol·16 + code length. */
interface Code { table: Uint32Array; bits: number }

function code(lengths: Uint8Array): Code {
  const count = new Uint16Array(16), next = new Uint16Array(16);
  let max = 0;
  for (const l of lengths) {
    count[l]++;
    if (l > max) max = l;
  }
  count[0] = 0;
  for (let l = 1, c = 0; l < 16; l++) next[l] = c = (c + count[l - 1]!) << 1; // 3.2.2
  const table = new Uint32Array(1 << max);
  for (let s = 0; s < lengths.length; s++) {
    const l = lengths[s]!;
    if (!l) continue;
    // codes are packed from their most significant bit (3.1.1), the table is indexed from the least
    let c = next[l]++, r = 0;
    for (let i = 0; i < l; i++, c >>= 1) r = (r << 1) | (c & 1);
    for (let j = r; j < table.length; j += 1 << l) table[j] = (s << 4) | l;
  }
  return { table, bits: max };
}

const bad = (why: string): never => {
  throw new Error(`evostrat: the inlined core is damaged (${why})`);
};

/** Decodes raw DEFLATE data `src` that inflates to exactly `size` bytes. */
export function inflateRaw(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let pos = 0, buf = 0, cnt = 0, o = 0;
  const bits = (n: number): number => {
    while (cnt < n) {
      if (pos >= src.length) bad("truncated");
      buf |= src[pos++]! << cnt;
      cnt += 8;
    }
    const v = buf & ((1 << n) - 1);
    buf >>>= n;
    cnt -= n;
    return v;
  };
  // peeks h.bits bits (zeros past the end, which the final check catches), then takes the code's own
  const decode = (h: Code): number => {
    while (cnt < h.bits) {
      buf |= (src[pos++] ?? 0) << cnt;
      cnt += 8;
    }
    const e = h.table[buf & ((1 << h.bits) - 1)]!;
    if (!(e & 15)) bad("no such code");
    buf >>>= e & 15;
    cnt -= e & 15;
    return e >>> 4;
  };
  let fixed: [Code, Code] | undefined;
  for (let last = 0; !last; ) {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {
      // stored: back to the byte boundary (decode may have read whole bytes ahead), the rest of the
      // current byte dropped
      pos -= cnt >> 3;
      buf = cnt = 0;
      const n = src[pos]! | (src[pos + 1]! << 8);
      if (pos + 4 + n > src.length || o + n > size) bad("stored block");
      out.set(src.subarray(pos + 4, pos + 4 + n), o);
      pos += 4 + n;
      o += n;
      continue;
    }
    let lit: Code, dist: Code;
    if (type === 1) {
      fixed ??= [code(Uint8Array.from({ length: 288 }, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8))), code(new Uint8Array(30).fill(5))];
      [lit, dist] = fixed;
    } else if (type === 2) {
      const nlen = bits(5) + 257, ndist = bits(5) + 1, ncode = bits(4) + 4;
      const cl = new Uint8Array(19);
      for (let i = 0; i < ncode; i++) cl[ORDER[i]!] = bits(3);
      const clc = code(cl);
      const lengths = new Uint8Array(nlen + ndist);
      for (let i = 0; i < nlen + ndist; ) {
        const s = decode(clc);
        if (s < 16) lengths[i++] = s;
        else {
          const [v, n] = s === 16 ? [i > 0 ? lengths[i - 1]! : bad("repeat with no length"), 3 + bits(2)] : [0, s === 17 ? 3 + bits(3) : 11 + bits(7)];
          if (i + n > nlen + ndist) bad("lengths overrun");
          lengths.fill(v, i, i + n);
          i += n;
        }
      }
      lit = code(lengths.subarray(0, nlen));
      dist = code(lengths.subarray(nlen));
    } else return bad("block type 3");
    for (;;) {
      const s = decode(lit);
      if (s < 256) {
        if (o >= size) bad("longer than expected");
        out[o++] = s;
      } else if (s === 256) break;
      else {
        const li = s - 257;
        if (li >= 29) bad("length code");
        const len = LEN_BASE[li]! + bits(LEN_EXTRA[li]!);
        const di = decode(dist);
        if (di >= 30) bad("distance code");
        const d = DIST_BASE[di]! + bits(DIST_EXTRA[di]!);
        if (d > o || o + len > size) bad("distance or length");
        // byte by byte: a copy may overlap what it writes (d < len repeats the last d bytes)
        for (let k = 0; k < len; k++, o++) out[o] = out[o - d]!;
      }
    }
  }
  if (o !== size || pos - (cnt >> 3) > src.length) bad(`${o} bytes, expected ${size}`);
  return out;
}

/** The core from its inlined form: base64 of the raw DEFLATE data, and the module's size. */
export function inflateBase64(b64: string, size: number): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const src = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) src[i] = bin.charCodeAt(i);
  return inflateRaw(src, size) as Uint8Array<ArrayBuffer>;
}
