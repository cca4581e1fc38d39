/**
 * Status codes of <p>_init (assembly/abi.ts) turned into typed errors that say what was wrong.
 */
import { STATUS_BAD_CONFIG, STATUS_NO_MEMORY, STATUS_OK } from "../../assembly/abi.js";
import { fail } from "../check.js";

/**
 * Throws for a status other than OK. `names` maps config words to the options they came from;
 * `size` describes the sizes for the out-of-memory message.
 */
export function checkStatus(where: string, status: number, names: ReadonlyMap<number, string>, size: string): void {
  if (status === STATUS_OK) return;
  const code = status & 0xff, word = status >> 8;
  if (code === STATUS_NO_MEMORY) {
    fail("range", `${where}: options "mean" and "popSize"`, `(${size}) need more memory than WebAssembly allows (4 GiB) or than this runtime grants`);
  }
  if (code === STATUS_BAD_CONFIG) {
    const name = names.get(word) ?? `config word ${word}`;
    fail("range", `${where}: option "${name}"`, "is out of the range the core accepts");
  }
  throw new Error(`evostrat: ${where}: the core refused its configuration (status ${status})`);
}
