export { minimize, type MinimizeOptions, type MinimizeResult } from "./drivers/minimize.js";
