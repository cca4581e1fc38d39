export * from "./faces/neorl/index.js";
