import type { ServerConfig } from "../config/schema.js";
import { appOfPorts } from "./app-of-ports.js";
import { createContainer, type RuntimeServices, resolvePort } from "./container.js";

/** The app for a validated configuration, with its ports wired by {@link createContainer}. */
export function createConfiguredApp(config: ServerConfig, runtime: RuntimeServices = {}) {
  const scope = createContainer(config, runtime);
  return appOfPorts(config, runtime, (token) => resolvePort(scope, token));
}
