export { ConfigError, parseServerConfig, parseServerConfigJson } from "../config/load-config.js";
export {
  type ChannelConnectionConfig,
  channelConnectionSchema,
  type ServerConfig,
  serverConfigSchema,
} from "../config/schema.js";
export { channelFor, channelsFor } from "./channels.js";
export {
  ConfigAgentDirectory,
  ConfigChannelDirectory,
  ConfigConversationDirectory,
} from "./config-directories.js";
export { createConfiguredApp } from "./configured-app.js";
export { createContainer, type RuntimeServices, resolvePort } from "./container.js";
