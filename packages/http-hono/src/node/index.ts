export { nodeRequestAccess, readIncomingBody } from "./native-request.js";
export {
  type CloseReport,
  LISTEN_DEFAULTS,
  type ListenOptions,
  listen,
  type RunningServer,
} from "./server.js";
export { installShutdown, type ShutdownOptions, type SignalSource } from "./shutdown.js";
export { type StandaloneOptions, type StandaloneServer, startStandalone } from "./standalone.js";
