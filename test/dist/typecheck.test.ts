// The repository type-checks under tsc --strict (tsconfig.json): src/, the tests and the *.typecheck.ts
// files whose @ts-expect-error lines must stay errors (test/contract/minimize-types.typecheck.ts).
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

describe("types", () => {
  it("tsc -p tsconfig.json passes (strict), so the expected type errors still are errors", () => {
    const root = join(__dirname, "..", "..");
    let out = "";
    try {
      execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.json")], { cwd: root, encoding: "utf8" });
    } catch (e) {
      out = String((e as { stdout?: string }).stdout ?? e);
    }
    expect(out).toBe("");
  });
});
