import "reflect-metadata";
import {
  AgentDirectoryToken,
  AuthenticatorToken,
  ChannelDirectoryToken,
  type Clock,
  ClockToken,
  ConversationDirectoryToken,
  IdempotencyStoreToken,
  type InboundEventHandler,
  InboundEventHandlerToken,
  InMemoryIdempotencyStore,
  InMemoryMessageLog,
  InMemoryWebhookDeduplication,
  type Logger,
  LoggerToken,
  MessageLogToken,
  type PortToken,
  systemClock,
  type WebhookConnectionDirectory,
  WebhookDeduplicationToken,
} from "@replykit/core";
import type { ClientAddress, NativeRequestAccess } from "@replykit/http-app";
import {
  anyOf,
  createApiKeyAuthenticator,
  createJsonLogger,
  createJwtSessionAuthenticator,
} from "@replykit/http-app";
import type { HttpTransport } from "@replykit/http-transport";
import { type DependencyContainer, instanceCachingFactory } from "tsyringe";
import type { ServerConfig } from "../config/schema.js";
import { forwardingByOrganization } from "../forwarding/organization-forwarding.js";
import { channelsFor } from "./channels.js";
import {
  ConfigAgentDirectory,
  ConfigChannelDirectory,
  ConfigConversationDirectory,
} from "./config-directories.js";
import { asConfigError } from "./config-failure.js";
import { createDriverContainer, registeredDrivers } from "./drivers.js";
import type { SharedStores } from "./shared-stores.js";
import { StoredConnections } from "./stored-connections.js";
import { ConfigWebhookConnections } from "./webhook-connections.js";

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
  /**
   * The stores shared by every instance (the configuration's `store`, opened by the Node
   * server): they replace the in-memory ones, and the configuration's directories too when
   * they hold `directories`.
   */
  readonly stores?: SharedStores;
  /** The SHA-256 API keys are hashed with: `node:crypto`'s on Node. Default Web Crypto's. */
  readonly sha256?: (text: string) => Uint8Array | Promise<Uint8Array>;
  /** What `GET /readyz` checks (the shared stores answer). Default: always ready. */
  readonly readiness?: () => Promise<void>;
  /** The runtime's own request, see `AppDeps.native`: the Node server's `nodeRequestAccess`. */
  readonly native?: NativeRequestAccess;
  /** Where `"env:NAME"` in a stored connection's options is read. Default: none is set. */
  readonly variables?: Readonly<Record<string, string | undefined>>;
}

/**
 * The API keys, and sessions if configured. A factory that refuses its part throws a
 * `ConfigError` naming `apiKeys` or `sessions`, never quoting a digest or the secret.
 */
function authenticatorFor(config: ServerConfig, runtime: RuntimeServices) {
  const apiKeys = asConfigError(
    "apiKeys",
    config.apiKeys.map((key) => key.sha256),
    () =>
      createApiKeyAuthenticator(
        config.apiKeys,
        runtime.sha256 === undefined ? {} : { sha256: runtime.sha256 },
      ),
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
 * The composition root: one child container per configuration, every port of the core
 * registered under its token with the configuration's default — unless the container the
 * embedder passed (`runtime.container`) already registers that token: its own stores, its
 * own directories or its own event handler then take the default's place, the same way its
 * own drivers join the built-in ones. The ports hold no per-request state (the request id
 * travels in the use case's command), so no per-request container is needed.
 */
export function createContainer(
  config: ServerConfig,
  runtime: RuntimeServices = {},
): DependencyContainer {
  const scope = (runtime.container ?? createDriverContainer()).createChildContainer();
  const once = instanceCachingFactory;
  const byDefault = <Port>(
    token: PortToken<Port>,
    make: (resolver: DependencyContainer) => Port,
  ) => {
    if (!scope.isRegistered(token, true)) scope.register(token, { useFactory: once(make) });
  };
  byDefault(ClockToken, () => runtime.clock ?? systemClock);
  byDefault(LoggerToken, () => runtime.logger ?? createJsonLogger());
  const stores = runtime.stores;
  const directories = stores?.directories;
  if (directories === undefined) {
    byDefault(AuthenticatorToken, () => authenticatorFor(config, runtime));
    byDefault(AgentDirectoryToken, () => new ConfigAgentDirectory(config.agents));
    byDefault(
      ConversationDirectoryToken,
      () => new ConfigConversationDirectory(config.conversations),
    );
    byDefault(
      ChannelDirectoryToken,
      () =>
        new ConfigChannelDirectory(
          channelsFor(config.channelConnections, registeredDrivers(scope), {
            transport: runtime.transport,
          }),
        ),
    );
    byDefault(
      WebhookConnectionsToken,
      () => new ConfigWebhookConnections(config.channelConnections, registeredDrivers(scope)),
    );
  } else {
    // The file's keys and sessions first: they need no round trip to the database.
    byDefault(AuthenticatorToken, () => anyOf(authenticatorFor(config, runtime), directories));
    byDefault(AgentDirectoryToken, () => directories);
    byDefault(ConversationDirectoryToken, () => directories);
    const connections = once(
      () =>
        new StoredConnections(
          directories,
          registeredDrivers(scope),
          { transport: runtime.transport },
          runtime.variables ?? {},
        ),
    );
    byDefault(ChannelDirectoryToken, connections);
    byDefault(WebhookConnectionsToken, connections);
  }
  byDefault(MessageLogToken, () => stores?.messageLog ?? new InMemoryMessageLog());
  byDefault(
    WebhookDeduplicationToken,
    (resolver) =>
      stores?.webhookDeduplication ??
      new InMemoryWebhookDeduplication({ clock: resolver.resolve<Clock>(ClockToken) }),
  );
  byDefault(InboundEventHandlerToken, (resolver) => {
    const logger = resolver.resolve<Logger>(LoggerToken);
    return forwardingByOrganization(config, logger, loggingEventHandler(logger));
  });
  byDefault(
    IdempotencyStoreToken,
    (resolver) =>
      stores?.idempotency ??
      new InMemoryIdempotencyStore({
        clock: resolver.resolve<Clock>(ClockToken),
        ...(config.idempotency?.ttlMs === undefined ? {} : { ttlMs: config.idempotency.ttlMs }),
        ...(config.idempotency?.maxEntries === undefined
          ? {}
          : { maxEntries: config.idempotency.maxEntries }),
      }),
  );
  return scope;
}

/** `container.resolve` typed by the port the token names. */
export const resolvePort = <Port>(scope: DependencyContainer, token: PortToken<Port>): Port =>
  scope.resolve<Port>(token);

/** The connections' inbound sides, by connection id. */
export const WebhookConnectionsToken: PortToken<WebhookConnectionDirectory> = Symbol.for(
  "replykit.WebhookConnections",
);

/**
 * The default handler of inbound events when nothing else is registered: one log line per
 * event (its kind and ids, never a body), so that a round trip can be seen in the logs.
 */
function loggingEventHandler(logger: Logger): InboundEventHandler {
  return {
    async handle(events) {
      for (const event of events) {
        logger.log("info", "inbound.event", {
          kind: event.kind,
          connectionId: event.connectionId,
          provider: event.provider,
          ...(event.kind === "button_reply"
            ? {
                buttonId: event.buttonId,
                messageId: event.replyTo.messageId,
                matchedBy: event.replyTo.matchedBy,
              }
            : event.kind === "delivery_status"
              ? { status: event.status, messageId: event.messageId }
              : { reason: event.reason }),
        });
      }
    },
  };
}
