// The package's entries, written once: dist/<name>.* (and dist/workerd/<name>.mjs) from these sources.
// tsup.config.ts builds them, scripts/ensure-dist.mjs checks them, package.json's exports map them.
export const entries = {
  index: "src/index.ts",
  neorl: "src/faces/neorl/index.ts",
  pypop7: "src/faces/pypop7/index.ts",
  pycma: "src/faces/pycma/index.ts",
  distributed: "src/distributed/index.ts",
  kernels: "src/kernels.ts",
  bbob: "src/bbob/index.ts",
  "bbob-runner": "src/bbob/runner.ts",
};
