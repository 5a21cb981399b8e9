import "reflect-metadata";
import {
  AgentDirectoryToken,
  AuthenticatorToken,
  ChannelDirectoryToken,
  type Clock,
  ClockToken,
  ConversationDirectoryToken,
  IdempotencyStoreToken,
  InMemoryIdempotencyStore,
  type Logger,
  LoggerToken,
  type PortToken,
  systemClock,
} from "@replykit/core";
import type { ClientAddress } from "@replykit/http-app";
import {
  anyOf,
  createApiKeyAuthenticator,
  createJsonLogger,
  createJwtSessionAuthenticator,
} from "@replykit/http-app";
import type { HttpTransport } from "@replykit/http-transport";
import { type DependencyContainer, instanceCachingFactory } from "tsyringe";
import type { ServerConfig } from "../config/schema.js";
import { channelsFor } from "./channels.js";
import {
  ConfigAgentDirectory,
  ConfigChannelDirectory,
  ConfigConversationDirectory,
} from "./config-directories.js";
import { asConfigError } from "./config-failure.js";
import { createDriverContainer, registeredDrivers } from "./drivers.js";

/** What differs between runtimes; everything else comes from the configuration. */
export interface RuntimeServices {
  /** How adapters reach providers: undici on Node, the global `fetch` (default) on the edge. */
  readonly transport?: HttpTransport;
  readonly logger?: Logger;
  readonly clock?: Clock;
  /**
   * The drivers, as `createDriverContainer()` makes them with any of your own registered
   * (`container.register(ChannelDriverToken, { useValue: driver })`). Default: the built-in ones.
   */
  readonly container?: DependencyContainer;
  /** Aborted when the server stops; see `AppDeps.shutdownSignal`. */
  readonly shutdownSignal?: AbortSignal;
  /**
   * The client's address when the configuration names no `clientIpHeader`: the Node server
   * gives the socket's; the Workers entry gives `cf-connecting-ip`, which Cloudflare sets.
   */
  readonly clientAddress?: ClientAddress;
}

/**
 * The API keys, and sessions if configured. A factory that refuses its part throws a
 * `ConfigError` naming `apiKeys` or `sessions`, never quoting a digest or the secret.
 */
function authenticatorFor(config: ServerConfig) {
  const apiKeys = asConfigError(
    "apiKeys",
    config.apiKeys.map((key) => key.sha256),
    () => createApiKeyAuthenticator(config.apiKeys),
  );
  const { sessions } = config;
  if (sessions === undefined) return apiKeys;
  return anyOf(
    apiKeys,
    asConfigError("sessions", [sessions.jwtSecret], () =>
      createJwtSessionAuthenticator({
        secret: sessions.jwtSecret,
        ...(sessions.issuer === undefined ? {} : { issuer: sessions.issuer }),
        ...(sessions.audience === undefined ? {} : { audience: sessions.audience }),
      }),
    ),
  );
}

/**
 * The composition root: one child container per configuration, with every port of the
 * core registered under its token. The ports hold no per-request state (the request id
 * travels in the use case's command), so no per-request container is needed.
 */
export function createContainer(
  config: ServerConfig,
  runtime: RuntimeServices = {},
): DependencyContainer {
  const scope = (runtime.container ?? createDriverContainer()).createChildContainer();
  const once = instanceCachingFactory;
  scope.register(ClockToken, { useValue: runtime.clock ?? systemClock });
  scope.register(LoggerToken, { useValue: runtime.logger ?? createJsonLogger() });
  scope.register(AuthenticatorToken, { useFactory: once(() => authenticatorFor(config)) });
  scope.register(AgentDirectoryToken, {
    useFactory: once(() => new ConfigAgentDirectory(config.agents)),
  });
  scope.register(ConversationDirectoryToken, {
    useFactory: once(() => new ConfigConversationDirectory(config.conversations)),
  });
  scope.register(ChannelDirectoryToken, {
    useFactory: once(
      () =>
        new ConfigChannelDirectory(
          channelsFor(config.channelConnections, registeredDrivers(scope), {
            transport: runtime.transport,
          }),
        ),
    ),
  });
  scope.register(IdempotencyStoreToken, {
    useFactory: once(
      (resolver) =>
        new InMemoryIdempotencyStore({
          clock: resolver.resolve<Clock>(ClockToken),
          ...(config.idempotency?.ttlMs === undefined ? {} : { ttlMs: config.idempotency.ttlMs }),
          ...(config.idempotency?.maxEntries === undefined
            ? {}
            : { maxEntries: config.idempotency.maxEntries }),
        }),
    ),
  });
  return scope;
}

/** `container.resolve` typed by the port the token names. */
export const resolvePort = <Port>(scope: DependencyContainer, token: PortToken<Port>): Port =>
  scope.resolve<Port>(token);
