// src/wasm/inflate.ts, which decodes the core the default ES build inlines: it must give back what
// zlib deflated, in every kind of block zlib writes (stored, fixed and dynamic Huffman codes, long
// overlapping copies), and refuse damaged input instead of returning wrong bytes.
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { constants, deflateRawSync } from "node:zlib";
import { inflateBase64, inflateRaw } from "../../src/wasm/inflate";

const core = new Uint8Array(readFileSync(new URL("../../build/core.wasm", import.meta.url)));

// bytes with repeats at short and long distances (so copies overlap what they write), from a seed
function sample(n: number, alphabet: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let s = seed >>> 0;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (let i = 0; i < n; i++) b[i] = i > 300 && next() < 0.6 ? b[i - 1 - Math.floor(next() ** 3 * 300)]! : Math.floor(next() * alphabet);
  return b;
}

describe("inflateRaw", () => {
  const strategies = { default: constants.Z_DEFAULT_STRATEGY, fixed: constants.Z_FIXED, huffmanOnly: constants.Z_HUFFMAN_ONLY, rle: constants.Z_RLE, filtered: constants.Z_FILTERED };
  for (const level of [0, 1, 9]) {
    it(`gives back zlib's raw deflate at level ${level}${level === 0 ? " (stored blocks)" : ", every strategy"}`, () => {
      for (const [name, strategy] of Object.entries(strategies)) {
        const inputs = [core, new Uint8Array(0), new Uint8Array(70_000).fill(7), sample(100_000, 256, 1), sample(40_000, 3, 2), sample(9_000, 60, 3)];
        for (const b of inputs) expect(Buffer.from(inflateRaw(deflateRawSync(b, { level, strategy }), b.length)).equals(b), `${name}, ${b.length} bytes`).toBe(true);
      }
    });
  }

  it("decodes the core from base64, as the build inlines it", () => {
    expect(inflateBase64(deflateRawSync(core, { level: 9 }).toString("base64"), core.length)).toEqual(core);
  });

  it("refuses truncated or damaged input and a wrong size", () => {
    const packed = deflateRawSync(core, { level: 9 });
    expect(() => inflateRaw(packed.subarray(0, packed.length >> 1), core.length)).toThrow(/inlined core is damaged/);
    expect(() => inflateRaw(packed, core.length - 1)).toThrow(/inlined core is damaged/);
    expect(() => inflateRaw(packed, core.length + 1)).toThrow(/inlined core is damaged/);
    expect(() => inflateRaw(Uint8Array.of(0b111), 10)).toThrow(/block type 3/);
    // flipped bits somewhere in the stream: an error, or (if the code stays valid) other bytes, never silence with the same bytes
    // (positions inside the stream, whatever the core's size: a flip past the end would change nothing)
    for (const at of [100, packed.length >> 2, packed.length - 100]) {
      const bad = Uint8Array.from(packed);
      bad[at]! ^= 0x5a;
      let out: Uint8Array | undefined;
      try { out = inflateRaw(bad, core.length); } catch (e) { expect(String(e)).toMatch(/inlined core is damaged/); }
      if (out) expect(Buffer.from(out).equals(core)).toBe(false);
    }
  });
});
