// <p>_init returns a status code (assembly/abi.ts); the bridge turns each into a typed error that says
// what was wrong (src/wasm/errors.ts). The TS side checks every option first, so these cases need a
// strategy that writes a bad config word or understates its memory on purpose.
import { describe, expect, it } from "vitest";
import * as abi from "../../assembly/abi";
import { ConfigWriter } from "../../src/contract/strategy";
import { CSAES, XNES, type CSAESParams, type XNESParams } from "../../src/index";

class BadMu extends CSAES {
  protected override configure(c: ConfigWriter, p: CSAESParams): void {
    super.configure(c, p);
    c.set(abi.CSA_MU, 0, "mu");
  }
}
class Understated extends XNES {
  protected override memoryEstimate(_p: XNESParams): number {
    return 0;
  }
}

describe("init's status codes", () => {
  it("BAD_CONFIG names the option its config word came from", () => {
    expect(() => new BadMu({ mean: [1, 2, 3] })).toThrow(RangeError);
    expect(() => new BadMu({ mean: [1, 2, 3] })).toThrow(/option "mu" is out of the range the core accepts/);
  });

  it("NO_MEMORY is a RangeError naming mean and popSize, without growing the memory to 4 GiB first", () => {
    // B alone is d² = 7.2 GB at d = 30,000: the core refuses the reservation before growing for it
    const rss0 = process.memoryUsage().rss;
    expect(() => new Understated({ mean: new Float64Array(30_000) })).toThrow(/options "mean" and "popSize" \(d = 30000, popSize = 34\) need more memory/);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 2 ** 20);
  });

  it("the up-front estimate refuses the same size before any instance exists", () => {
    expect(() => new XNES({ mean: new Float64Array(30_000) })).toThrow(/need at least .* GiB/);
  });
});
