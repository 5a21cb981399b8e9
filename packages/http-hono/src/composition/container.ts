import "reflect-metadata";
import type { PortToken } from "@replykit/core";
import { type DependencyContainer, instanceCachingFactory } from "tsyringe";
import type { ServerConfig } from "../config/schema.js";
import { databaseDirectoryPorts } from "./database-directory-ports.js";
import { configDirectoryPorts, defaultPorts, type RuntimeServices } from "./default-ports.js";
import { createDriverContainer, registeredDrivers } from "./drivers.js";

export { type RuntimeServices, WebhookConnectionsToken } from "./default-ports.js";

/**
 * The composition root: one child container per configuration, every port of the core
 * registered under its token with the configuration's default (`defaultPorts`) — unless the
 * container the embedder passed (`runtime.container`) already registers that token: its own
 * stores, its own directories or its own event handler then take the default's place, the
 * same way its own drivers join the built-in ones. The ports hold no per-request state (the
 * request id travels in the use case's command), so no per-request container is needed.
 */
export function createContainer(
  config: ServerConfig,
  runtime: RuntimeServices = {},
): DependencyContainer {
  const scope = (runtime.container ?? createDriverContainer()).createChildContainer();
  const drivers = () => registeredDrivers(scope);
  const directories = runtime.stores?.directories;
  const sourced =
    directories === undefined
      ? configDirectoryPorts(config, runtime, drivers)
      : databaseDirectoryPorts(config, runtime, directories, drivers);
  for (const { token, make } of defaultPorts(config, runtime, sourced)) {
    if (!scope.isRegistered(token, true)) {
      scope.register(token, {
        useFactory: instanceCachingFactory((resolver) =>
          make(<Port>(dependency: PortToken<Port>) => resolver.resolve<Port>(dependency)),
        ),
      });
    }
  }
  return scope;
}

/** `container.resolve` typed by the port the token names. */
export const resolvePort = <Port>(scope: DependencyContainer, token: PortToken<Port>): Port =>
  scope.resolve<Port>(token);
