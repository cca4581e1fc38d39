// The contract fuzzer's fast tier (the fuzzer is test/contract/fuzz.ts; 20,000 sequences, corrupted
// bytes and the memory soak are in test/slow/fuzz.slow.test.ts). Seeded: the same sequences every run;
// a failure prints its seed, path and the command list to replay.
import { afterAll, describe, it } from "vitest";
import { counts, fuzzSequences, pendingExamples, pendingHits, refusedExamples } from "./fuzz";

describe("contract fuzzer (fast tier)", () => {
  it("2,000 model-checked sequences over every strategy, valid and invalid options", () => {
    fuzzSequences(2000, 30, 20261201);
  });

  afterAll(() => {
    console.log(`fuzz (fast): ${counts.sequences} sequences, ${counts.commands} commands, ${counts.invalidOptions} refused option sets, ${counts.typedErrors} typed errors, refused valid-looking: ${[...refusedExamples].slice(0, 8).join(" | ")}; pending (lead's part of issue 9): ${JSON.stringify(pendingHits)}\n${JSON.stringify(pendingExamples, null, 1)}`);
  });
});
