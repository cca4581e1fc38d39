// Type-level checks of minimize's options (tsc --strict, run by test/dist/typecheck.test.ts): `method`
// and the options are typed from the registry, so each line marked @ts-expect-error must fail to compile.
import { minimize } from "../../src/index";
const f = (x: Float64Array) => x[0] ** 2;

minimize(f, { mean: [1, 2] });
minimize(f, { method: "xnes", mean: [1, 2], etaB: 0.1, adaptSampling: true });
minimize(f, { method: "rmes", mean: new Float64Array(3), nEvolutionPaths: 3, restarts: { kind: "ipop" } });
minimize(f, { method: "openai", mean: [1], learningRate: 0.1, onGeneration: (i) => i.generation < 10 });
// the mean may be omitted when the restarts give a box to draw it from
minimize(f, { method: "csa", restarts: { kind: "bipop", lower: [-5, -5], upper: [5, 5] } });

// @ts-expect-error: no mean (and no restart box)
minimize(f, {});
// @ts-expect-error: a mean that is not numbers
minimize(f, { mean: "abc" });
// @ts-expect-error: a misspelt option
minimize(f, { mean: [1, 2], sigam: 0.5 });
// @ts-expect-error: an option of another strategy (etaB is XNES's)
minimize(f, { method: "csa", mean: [1, 2], etaB: 0.1 });
// @ts-expect-error: an unknown method
minimize(f, { method: "nope", mean: [1, 2] });
