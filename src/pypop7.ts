export * from "./faces/pypop7/index.js";
