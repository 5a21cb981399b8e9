export { ConfigError, parseServerConfig, parseServerConfigJson } from "../config/load-config.js";
export {
  type ChannelConnectionConfig,
  channelConnectionSchema,
  channelConnectionSchemaFor,
  type ServerConfig,
  serverConfigSchema,
  serverConfigSchemaFor,
} from "../config/schema.js";
export * from "../forwarding/index.js";
export { forwardingByOrganization } from "../forwarding/organization-forwarding.js";
export { channelsFor } from "./channels.js";
export {
  ConfigAgentDirectory,
  ConfigChannelDirectory,
  ConfigConversationDirectory,
} from "./config-directories.js";
export { createConfiguredApp } from "./configured-app.js";
export { createContainer, type RuntimeServices, resolvePort } from "./container.js";
export {
  BUILT_IN_DRIVERS,
  createDriverContainer,
  registeredDrivers,
  type ServerChannelDriver,
  type ServerDriverEnv,
} from "./drivers.js";
export { createEdgeApp } from "./edge-app.js";
