export { listen, type RunningServer } from "./server.js";
export { type StandaloneOptions, type StandaloneServer, startStandalone } from "./standalone.js";
