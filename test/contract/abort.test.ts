// An AssemblyScript abort (a failed assert) reaches JS through the env.abort of src/wasm.ts (instantiateModule) as an
// Error carrying the message and the file:line:column it came from, in the test build and in the
// shipped module (where gemm asserts that its packing buffer was reserved).
import { describe, expect, it } from "vitest";
import { Core, compiledModule } from "../../src/wasm";
import { testingInstance } from "../testing-core";

describe("abort", () => {
  it("a failed assert in the test build throws an Error with its message and file:line", () => {
    const x = testingInstance();
    expect(x.testing_check_nonnegative(5)).toBe(5);
    let err: unknown;
    try {
      x.testing_check_nonnegative(-1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(WebAssembly.RuntimeError);
    const msg = (err as Error).message;
    expect(msg).toContain("testing: x must be non-negative");
    expect(msg).toMatch(/assembly\/testing\.ts:\d+:\d+/);
  });

  it("the shipped module imports env.abort, and gemm without gemm_reserve aborts naming it", () => {
    const core = new Core();
    expect(WebAssembly.Module.imports(compiledModule())).toEqual([{ module: "env", name: "abort", kind: "function" }]);
    const p = core.x.allocF64(32) >>> 0;
    // alpha = 0 packs nothing, so it needs no reservation
    core.x.gemm(0, 0, 2, 2, 2, 0, p, 2, p + 32, 2, 0, p + 64, 2);
    expect(() => core.x.gemm(0, 0, 2, 2, 2, 1, p, 2, p + 32, 2, 0, p + 64, 2)).toThrow(/^abort: gemm: packing buffer too small for this product \(reserve it at init: gemm_reserve\(m, n, k\)\) at assembly\/linalg\/gemm\.ts:\d+:\d+$/);
    core.x.gemm_reserve(2, 2, 2);
    core.x.gemm(0, 0, 2, 2, 2, 1, p, 2, p + 32, 2, 0, p + 64, 2);
    // n = 3 packs as n = 4 (NR = 4), so it fits the reservation for 2×2×2; n = 5 does not
    core.x.gemm(0, 0, 2, 3, 2, 1, p, 2, p + 32, 3, 0, p + 112, 3);
    expect(() => core.x.gemm(0, 0, 2, 5, 2, 1, p, 2, p + 32, 5, 0, p + 112, 5)).toThrow(/gemm_reserve/);
  });
});
